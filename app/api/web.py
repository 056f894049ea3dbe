"""The lineage explorer page: `/` and its bundled static files (built from `app/web/src`, committed)."""

from __future__ import annotations

from pathlib import Path

from litestar import Response, get
from litestar.static_files import create_static_files_router

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"


@get("/", include_in_schema=False, sync_to_thread=False)
def index() -> Response[bytes]:
    return Response(
        (STATIC / "index.html").read_bytes(),
        media_type="text/html",
        headers={"Cache-Control": "no-cache", "Content-Security-Policy": CSP},
    )


#: The page loads only its own script and style; no CDN, no inline script.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)

static_files = create_static_files_router(path="/static", directories=[STATIC], include_in_schema=False, name="static")
