"""How CLI commands reach the service: the HTTP API of a server (`--server URL --token T`), or the same API
in this process on the local store (the default), so both modes behave exactly alike.

Exit codes scripts can rely on:
  0  done
  1  done, but something was not found or some items failed
  2  bad usage or invalid input (the service answered 4xx)
  3  authentication or authorization failed (401 / 403)
  4  the service or its database is unavailable (connection error, 503)
  5  the service failed (500: a bug, not something a retry mends)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import httpx
import msgspec
from rich.console import Console
from rich.text import Text

from app.cli.config import settings_from

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_AUTH, EXIT_UNAVAILABLE, EXIT_BROKEN = 0, 1, 2, 3, 4, 5


class CliError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def report(command: Callable[[], int]) -> int:
    """Runs a command: a failure is one line on stderr and its exit code, never a traceback."""
    try:
        return command()
    except CliError as exc:
        message, code = exc.message, exc.code
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:  # a file named on the command line
        message, code = str(exc), EXIT_USAGE
    Console(stderr=True).print(Text("lineage: ", style="red") + Text(message))
    return code


def add_client_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--server",
        default=os.environ.get("LINEAGE_SERVER") or None,
        help="a running service (http://host:8080; env LINEAGE_SERVER); default: the local store",
    )
    p.add_argument("--token", help="API token for --server (env LINEAGE_TOKEN)")
    p.add_argument("--tenant", default="main", help="tenant (default main)")
    p.add_argument("--data-dir", type=Path, help="local LadybugDB directory (default ./data; env LINEAGE_DATA_DIR)")
    p.add_argument("--neo4j-uri", help="local mode on Neo4j instead (env NEO4J_URI)")
    p.add_argument("--neo4j-user", help=argparse.SUPPRESS)
    p.add_argument("--neo4j-password", help=argparse.SUPPRESS)
    p.add_argument("--neo4j-database", help=argparse.SUPPRESS)


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
        return str(body.get("detail") or body.get("title") or response.text)
    except ValueError:
        return response.text[:500]


class Api:
    """`request()` returns the parsed JSON of a success, raises `CliError` with the right exit code otherwise."""

    def __init__(self, args: argparse.Namespace, *, timeout: float = 120) -> None:
        self.tenant = args.tenant
        self._client: Any
        self._app_client: Any = None
        if args.server:
            token = args.token or os.environ.get("LINEAGE_TOKEN")
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            self._client = httpx.Client(base_url=args.server.rstrip("/"), headers=headers, timeout=timeout)
        else:
            from litestar.testing import TestClient

            from app.asgi import create_app

            # In process, the server's start-up banner and per-request logs are noise on a terminal.
            logging.getLogger("app.asgi").setLevel(logging.ERROR)
            for name in ("app", "httpx", "litestar"):
                logging.getLogger(name).setLevel(logging.WARNING)
            # Whoever can open the database file needs no token: the auth file guards the network API. One command
            # evaluates user input at most once: its sandbox worker starts when asked, not ahead.
            settings = msgspec.structs.replace(
                settings_from(args), auth_file=None, require_auth=False, sandbox_prewarm=False
            )
            self._app_client = TestClient(create_app(settings), raise_server_exceptions=False)
            try:
                self._client = self._app_client.__enter__()
            except Exception as exc:  # the store could not be opened (locked by a running server, ...)
                raise CliError(EXIT_UNAVAILABLE, f"cannot open the local store: {exc}") from exc

    def url(self, path: str) -> str:
        return f"/api/v1/{self.tenant}{path}"

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (200, 201), **kwargs: Any) -> Any:
        try:
            response = self._client.request(method, self.url(path) if path.startswith("/") else path, **kwargs)
        except httpx.HTTPError as exc:
            raise CliError(EXIT_UNAVAILABLE, f"cannot reach the service: {exc}") from exc
        if response.status_code in ok:
            if not response.content:
                return None
            if response.headers.get("content-type", "").startswith(("application/json", "application/problem")):
                return response.json()
            return response.text
        _fail(response)

    def download(self, path: str, out: BinaryIO, **kwargs: Any) -> int:
        """Copy a streamed answer to `out` as it arrives, never holding it whole; the bytes written."""
        written = 0
        try:
            with self._client.stream("GET", self.url(path), **kwargs) as response:
                if response.status_code != 200:
                    response.read()
                    _fail(response)
                for chunk in response.iter_bytes():
                    out.write(chunk)
                    written += len(chunk)
        except httpx.HTTPError as exc:  # a cut stream too: the file is incomplete, and the exit code says so
            raise CliError(EXIT_UNAVAILABLE, f"the download failed after {written} bytes: {exc}") from exc
        return written

    def close(self) -> None:
        if self._app_client is not None:
            self._app_client.__exit__(None, None, None)
        else:
            self._client.close()

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fail(response: httpx.Response) -> NoReturn:
    """Raise the `CliError` an error response means."""
    message = f"{response.status_code}: {_problem(response)}"
    if response.status_code in (401, 403):
        raise CliError(EXIT_AUTH, message)
    if response.status_code == 404:
        raise CliError(EXIT_FAILED, message)
    if response.status_code in (502, 503, 504):
        raise CliError(EXIT_UNAVAILABLE, message)
    if response.status_code >= 500:
        raise CliError(EXIT_BROKEN, message)
    raise CliError(EXIT_USAGE, message)
