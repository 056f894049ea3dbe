"""JSON in, with the limits a public endpoint needs: a body that is not JSON, or nests deeper than any real
document does (OpenLineage facets nest a dozen levels), is the caller's 400, never the decoder's crash."""

from __future__ import annotations

import json
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


_SORTED = msgspec.json.Encoder(order="sorted")
#: digits as one digit, so that a float's exponent (`1e16`, `2.5e-9`) is found as the text `0e` by a plain search
_ONE_DIGIT = bytes.maketrans(b"123456789", b"000000000")


def _floats_apart(text: bytes) -> bool:
    """Whether `text` (msgspec's) may hold a float that json writes otherwise: one in exponent form (msgspec
    `1e16`, json `1e+16`), or below 1e-4 (`0.00001`, json `1e-05`). Such characters are mostly inside strings (hex
    digests, UUIDs); a match counts only where a number may stand, which a string can only mimic (a false alarm)."""
    return _any_in_number(text, text.translate(_ONE_DIGIT), b"0e") or _any_in_number(text, text, b"0.0000")


def _any_in_number(text: bytes, searched: bytes, what: bytes) -> bool:
    at = searched.find(what)
    while at >= 0:
        start = at
        while start > 0 and text[start - 1] in b"0123456789.-":
            start -= 1
        if start == 0 or text[start - 1] in b"[:,":  # where a value starts: a number, not a string's inside
            return True
        at = searched.find(what, at + 1)
    return False


def canonical(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))` of a JSON value, the text
    stored digests (event hashes, fingerprints) are taken of, written by msgspec about five times faster. The two
    agree on JSON values except floats that json writes in exponent form (_floats_apart): when the text may hold
    one, and whenever msgspec refuses the value, json writes it. JSON values as the decoders
    and the validated models give them: string keys (json sorts other keys before writing them as text), no NaN
    (msgspec would write null)."""
    try:
        text = _SORTED.encode(value)
    except (TypeError, ValueError, UnicodeEncodeError):
        return _dumps(value)
    if _floats_apart(text):
        return _dumps(value)
    return text.decode()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
