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
    """Refuse a document nested deeper than MAX_JSON_DEPTH (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(f"{what} nests deeper than {MAX_JSON_DEPTH} levels", field=field)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, dict | list))
