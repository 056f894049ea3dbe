"""Every operation documents its problem responses, so clients (and schemathesis) know what errors look like."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin  # Litestar's own: it has no public hook on the built document
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIType, Schema

from app.api import exports


class Problem(msgspec.Struct, kw_only=True):
    """An RFC 9457 problem document."""

    status: int
    title: str
    detail: str
    type: str | None = None
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


_DESCRIPTIONS = {
    400: "Bad request: malformed body, parameter or tenant id",
    401: "Missing, unknown or revoked API token",
    403: "The token may not do this here",
    404: "Not found (or not visible to this token)",
    409: "Conflict with what is recorded",
    413: "Request body too large (decoded, when sent with Content-Encoding)",
    415: "A Content-Encoding this service does not take (it takes gzip and deflate)",
    422: "Invalid input (named in `field`), or an evaluation limit reached (named in `limit`)",
    429: "This caller already has as many evaluations running as it may",
    503: "The database is unavailable, or every evaluation worker is busy",
}


def document_problems(app: Litestar) -> None:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            extra = {
                code: ResponseSpec(
                    data_container=Problem,
                    description=text,
                    generate_examples=False,
                    media_type="application/problem+json",
                )
                for code, text in _DESCRIPTIONS.items()
            }
            handler.responses = {**extra, **(handler.responses or {})}


class _DocumentedOpenAPI(OpenAPIPlugin):
    """Litestar's OpenAPI plugin, which also applies `document_files` when it builds the document: on the first
    request for it, not at every app build (building the document is most of building the app, which each CLI
    command and each test does)."""

    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        openapi = super()._build_openapi()
        document_files(openapi, exports.FILE_ROUTES, list(exports.MEDIA.values()))
        return openapi


def document_files_when_built(app: Litestar) -> None:
    app.plugins.get(OpenAPIPlugin).__class__ = _DocumentedOpenAPI  # same slots: only the build step differs


def document_files(openapi: OpenAPI, paths: list[str], media_types: list[str]) -> None:
    """Routes that also answer as a file (`format=csv|ndjson`) say so: their 200 lists those media types, and its
    JSON is the paged answer alone (Litestar would document the union with the stream as any JSON at all)."""
    for path in paths:
        operation = openapi.paths[path].get  # type: ignore[index, union-attr]
        ok = operation.responses["200"]  # type: ignore[index, union-attr]
        page = ok.content["application/json"]  # type: ignore[index, union-attr]
        if isinstance(page.schema, Schema) and page.schema.one_of:
            page.schema = page.schema.one_of[0]
        for media_type in media_types:
            ok.content[media_type] = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))  # type: ignore[index, union-attr]
