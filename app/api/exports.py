"""An impact (upstream) answer as a file: CSV or NDJSON, streamed batch by batch as the client reads."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any, Literal

import msgspec
from litestar.response import Stream
from litestar.response.base import ASGIResponse

from app.domain.lineage import ExportRow
from app.services.streaming import ReadStream

Format = Literal["json", "csv", "ndjson"]
MEDIA = {"csv": "text/csv", "ndjson": "application/x-ndjson"}
#: The routes that answer as a file too.
FILE_ROUTES = ["/api/v1/{tenant}/assets/{id}/impact", "/api/v1/{tenant}/assets/{id}/upstream"]
_FIELDS = ("distance", "id", "namespace", "type", "displayName", "deleted", "route", "flowNamespace", "flowId")
_FIELDS_AFTER = ("taskId", "executionId")


class FileStream(Stream):
    """A stream whose own media type wins over its route's (JSON for the route's paged answer): Litestar's
    `Stream` lets the route's win."""

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        kwargs["media_type"] = self.media_type
        return super().to_asgi_response(*args, **kwargs)


def stream(rows: ReadStream[list[ExportRow]], fmt: Format, name: str, keys: list[str]) -> FileStream:
    """The response; its first batch is read here, so that a refused or failed search is an error response."""
    batches = iter(rows)
    first = next(batches)
    encode = _csv(keys) if fmt == "csv" else _ndjson
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:100] or "asset"
    return FileStream(
        _encoded(encode, first, batches, header=_csv_header(keys) if fmt == "csv" else b""),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{safe}.{fmt}"'},
    )


def _encoded(encode: object, first: list[ExportRow], rest: Iterator[list[ExportRow]], header: bytes) -> Iterator[bytes]:
    yield header + encode(first)  # type: ignore[operator]
    for batch in rest:
        yield encode(batch)  # type: ignore[operator]


def _csv_header(keys: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow([*_FIELDS, *_FIELDS_AFTER, *(f"metadata.{k}" for k in keys), "hidden"])
    return out.getvalue().encode()


def _csv(keys: list[str]):  # type: ignore[no-untyped-def]
    """One line per asset; `route` is a JSON array, exact whatever the ids hold."""

    def encode(batch: list[ExportRow]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        for r in batch:
            writer.writerow(
                [
                    r.distance,
                    r.id or "",
                    r.namespace or "",
                    r.type or "",
                    r.displayName or "",
                    "" if r.hidden else str(r.deleted).lower(),
                    "" if r.hidden else json.dumps(r.route, ensure_ascii=False, separators=(",", ":")),
                    r.flowNamespace or "",
                    r.flowId or "",
                    r.taskId or "",
                    r.executionId or "",
                    *(r.metadata.get(k, "") for k in keys),
                    "true" if r.hidden else "false",
                ]
            )
        return out.getvalue().encode()

    return encode


def _ndjson(batch: list[ExportRow]) -> bytes:
    return b"".join(msgspec.json.encode(r) + b"\n" for r in batch)
