"""Caches of what requests name again and again (column keys, transformation kinds, event times), bounded in memory
whatever the requests carry: a call whose strings are long together is computed, not kept."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps

#: Calls whose string arguments pass this many characters together are not kept.
SHORT_CHARS = 1024


Fn = Callable[..., str]


def cached_if_short(*, maxsize: int, max_chars: int = SHORT_CHARS) -> Callable[[Fn], Fn]:
    """`functools.lru_cache(maxsize)` for the calls whose string arguments are at most `max_chars` long together; the
    cache holds at most `maxsize` times that. The wrapper's `cache_info` is the cache's."""

    def wrap(fn: Fn) -> Fn:
        cached = lru_cache(maxsize=maxsize)(fn)

        @wraps(fn)
        def call(*args: str) -> str:
            return cached(*args) if sum(map(len, args)) <= max_chars else fn(*args)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call

    return wrap
