"""JSON in, with the limits a public endpoint needs: a body that is not JSON, or nests deeper than any real
document does (OpenLineage facets nest a dozen levels), is the caller's 400, never the decoder's crash."""

from __future__ import annotations

from typing import Any

import msgspec

from app.errors import BadRequest

MAX_JSON_DEPTH = 64


def decode(raw: bytes | str, *, field: str = "body", what: str = "the body") -> Any:
    try:
        value = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise BadRequest(f"{what} is not JSON: {exc}", field=field) from exc
    except RecursionError as exc:  # msgspec's own limit, near 1,000 levels
        raise BadRequest(f"{what} nests deeper than {MAX_JSON_DEPTH} levels", field=field) from exc
    check_depth(value, field=field, what=what)
    return value


def check_depth(value: Any, *, field: str = "body", what: str = "the body") -> None:
    """Refuse a document nested deeper than MAX_JSON_DEPTH."""
    if type(value) in (dict, list) and _deeper(value, 1):
        raise BadRequest(f"{what} nests deeper than {MAX_JSON_DEPTH} levels", field=field)


def _deeper(node: dict[str, Any] | list[Any], depth: int) -> bool:
    """Whether `node`, a container at `depth`, holds one deeper than MAX_JSON_DEPTH. Recursive, so no deeper than
    that bound: every event of a batch is walked whole, and recursion skips a stack's tuples and generators."""
    for v in node.values() if type(node) is dict else node:
        kind = type(v)
        if (kind is dict or kind is list) and (depth >= MAX_JSON_DEPTH or _deeper(v, depth + 1)):
            return True
    return False
