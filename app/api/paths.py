"""Asset ids may contain `/` (OpenLineage dataset names do): clients percent-encode it as `%2F`.

ASGI servers decode `%2F` in `scope["path"]` before routing, which would split the id into two path
segments. This middleware rebuilds the path from `raw_path`, decoding every escape except `%2F` and `%25`,
so the id stays one segment; `decode_segment` restores those two in the handler. The round trip is exact:
a literal `%` is sent as `%25` and comes back as `%`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from litestar.types import Scope

_KEEP = re.compile(r"%(?:2[fF]|25)")


def _decode_keeping_separators(raw: str) -> str:
    parts = _KEEP.split(raw)
    kept = [m.upper() for m in _KEEP.findall(raw)]
    out = [unquote(parts[0])]
    for sep, part in zip(kept, parts[1:], strict=True):
        out.append(sep)
        out.append(unquote(part))
    return "".join(out)


def decode_segment(value: str) -> str:
    """The id as the client meant it, from a path parameter the middleware left partly encoded."""
    return value.replace("%2F", "/").replace("%25", "%")


def encode_segment(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def keep_encoded_separators(scope: Scope) -> None:
    """Rewrite `scope["path"]` before routing (Litestar middleware runs after routing, so the app's
    `__call__` does this; see `app.asgi.LineageApp`)."""
    raw = scope.get("raw_path") if scope["type"] in ("http", "websocket") else None
    if raw:
        text = raw.decode("utf-8", errors="replace").split("?", 1)[0]
        if _KEEP.search(text):
            scope["path"] = _decode_keeping_separators(text)  # type: ignore[index]
