"""What crosses the pipe between the server and a sandbox worker: one JSON document per line, each way.

server -> worker   {"job": name, "args": {...}, "cpu": seconds}      a job
worker -> server   {"call": name, "kwargs": {...}}                   the job needs the server (e.g. `assets()`)
server -> worker   {"ok": value} | {"error": {...}}                  the call's answer
worker -> server   {"ok": value} | {"error": {...}}                  the job's answer

An error is the domain error it was (class name, detail, field, extra), raised again on the other side, so a
422 from a template reads the same whether it was raised in the server or in a worker.
"""

from __future__ import annotations

from typing import Any

import msgspec

from app.domain.flows import FlowError
from app.domain.templating import SecretRefused, TemplateError, UnknownVariable
from app.errors import BadRequest, Conflict, DomainError, Forbidden, InvalidInput, NotFound, TooLarge


class JqError(InvalidInput):
    title = "Invalid jq program"


_ERRORS: dict[str, type[DomainError]] = {
    cls.__name__: cls
    for cls in (
        InvalidInput,
        BadRequest,
        NotFound,
        Forbidden,
        Conflict,
        TooLarge,
        TemplateError,
        UnknownVariable,
        SecretRefused,
        FlowError,
        JqError,
    )
}

_encoder = msgspec.json.Encoder(enc_hook=str)
_decoder = msgspec.json.Decoder()


def encode(message: dict[str, Any]) -> bytes:
    return _encoder.encode(message) + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    return _decoder.decode(line)  # type: ignore[no-any-return]


def error_document(exc: DomainError) -> dict[str, Any]:
    name = type(exc).__name__ if type(exc).__name__ in _ERRORS else "InvalidInput"
    return {"type": name, "detail": exc.detail, "field": exc.field, "extra": exc.extra}


def error_from(document: dict[str, Any]) -> DomainError:
    cls = _ERRORS.get(str(document.get("type")), InvalidInput)
    return cls(str(document.get("detail", "")), field=document.get("field"), **(document.get("extra") or {}))
