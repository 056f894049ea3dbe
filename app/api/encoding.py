"""Request bodies sent compressed, as OpenLineage producers send them (openlineage-python's HTTP transport with
`compression: gzip`, the Java client of Spark and Flink): `Content-Encoding: gzip` or `deflate` is decoded as it
streams in, before Litestar reads the body.

The body limit (`LINEAGE_MAX_BODY_BYTES`) applies to the decoded bytes, and no more of them than the limit is ever
held: a small compressed bomb is a 413 that never fills memory. A body that says gzip but is not is a 400 naming
the encoding; an encoding not taken here (`br`, `zstd`) is a 415 naming those that are.
"""

from __future__ import annotations

import zlib

from litestar.exceptions import ClientException, HTTPException
from litestar.types import Message, Receive, Scope

#: what `Content-Encoding` may say (`identity`: not compressed)
TAKEN = ("gzip", "x-gzip", "deflate", "identity")
#: zlib's window bits that take a gzip or a zlib stream, whichever the header says
_GZIP_OR_ZLIB = zlib.MAX_WBITS | 32


def content_encoding(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"content-encoding":
            return value.decode("latin-1").strip().lower()
    return None


def decoding(scope: Scope, receive: Receive, limit: int) -> Receive:
    """`receive` with the request's body decoded (and its compressed-size headers dropped), or `receive` itself
    for a body sent as it is."""
    encoding = content_encoding(scope)
    if encoding in (None, "", "identity"):
        return receive
    scope["headers"] = [
        (name, value) for name, value in scope["headers"] if name not in (b"content-encoding", b"content-length")
    ]
    if encoding not in TAKEN:
        return _refusing(encoding)
    return _Decoder(receive, encoding, limit)


def _refusing(encoding: str) -> Receive:
    async def receive() -> Message:
        raise HTTPException(
            status_code=415,
            detail=f"Content-Encoding {encoding!r} is not taken here: send the body as it is, or with "
            f"{', '.join(e for e in TAKEN if e != 'identity')}",
            extra={"field": "content-encoding"},
        )

    return receive


class _Decoder:
    def __init__(self, receive: Receive, encoding: str, limit: int) -> None:
        self._receive, self._encoding, self._limit = receive, encoding, limit
        self._inflate = zlib.decompressobj(_GZIP_OR_ZLIB)
        self._decoded = 0

    async def __call__(self) -> Message:
        message = await self._receive()
        if message["type"] != "http.request":
            return message
        more = bool(message.get("more_body", False))
        try:
            # never more than one byte past the limit: Litestar then answers 413 for the decoded body
            out = self._inflate.decompress(message.get("body", b""), self._limit - self._decoded + 1)
            if not more and not self._inflate.unconsumed_tail:
                out += self._inflate.flush()
                if not self._inflate.eof:
                    raise zlib.error("the stream ends before its end")
        except zlib.error as exc:
            raise ClientException(
                detail=f"the body says Content-Encoding: {self._encoding} but is not {self._encoding} ({exc})",
                extra={"field": "content-encoding"},
            ) from exc
        self._decoded += len(out)
        over = self._decoded > self._limit or bool(self._inflate.unconsumed_tail)
        return {"type": "http.request", "body": out, "more_body": more and not over}
