"""The one place where errors become RFC 9457 problem details (`application/problem+json`).

Every response that is not a success goes through here: domain errors, Litestar's own validation and HTTP
errors, and (as a last resort, logged with its traceback) anything unexpected, so a client never has to
parse two error formats.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from app.errors import DomainError

log = logging.getLogger(__name__)

PROBLEM_BASE = "https://github.com/lineage-service/lineage/blob/main/README.md#errors"
_AT = re.compile(r" - at `\$\.?([^`]*)`")
_BODY_AT = re.compile(r" - at `\$\.data([^`]*)`")
_PREFIX = re.compile(r"^([A-Za-z_][\w.-]*): ")


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def from_domain(exc: DomainError) -> ProblemDetailsException:
    extra: dict[str, Any] = dict(exc.extra)
    if exc.field:
        extra["field"] = exc.field
    return ProblemDetailsException(
        status_code=exc.status,
        title=exc.title,
        detail=exc.detail,
        type_=f"{PROBLEM_BASE}-{_slug(exc.title)}",
        extra=extra or None,
        headers={"WWW-Authenticate": 'Bearer realm="lineage"'} if exc.status == 401 else None,
    )


def _field_of(error: dict[str, Any]) -> str | None:
    """The dotted path of the offending field, from msgspec's message (`... - at `$.a.b``)."""
    message = str(error.get("message", ""))
    at = _AT.search(message)
    path = at.group(1).replace("[...]", "") if at else ""
    named = re.search(r"(?:unknown|required) field `([^`]*)`", message) or _PREFIX.match(message)
    if named:
        return f"{path}.{named.group(1)}" if path else named.group(1)
    if path:
        return path
    key = error.get("key")
    return str(key) if key and key != "data" else None


def from_validation(exc: ValidationException) -> ProblemDetailsException:
    """Litestar reports body and parameter errors as a list; name the fields in `detail` and `errors`."""
    raw = exc.extra if isinstance(exc.extra, list) else []
    errors = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        field = _field_of(item)
        message = _AT.sub("", str(item.get("message", ""))).strip()
        errors.append({"field": field, "message": message, "source": item.get("source")})
    if len(errors) == 1 and errors[0]["source"] == "body":
        # Litestar drops msgspec's path when the body is an array (`$[1].namespace`); the cause still has it.
        cause = _BODY_AT.search(str(exc.__cause__ or ""))
        at = cause.group(1).lstrip(".") if cause else ""
        if at.startswith("["):
            inner = errors[0]["field"]
            errors[0]["field"] = f"{at}.{inner}" if inner and not at.endswith(inner) else at
    for e in errors:
        if e["field"] and e["message"].startswith(f"{e['field']}: "):
            e["message"] = e["message"][len(e["field"]) + 2 :]  # "metadata.a: metadata.a: ..." says it once
        elif e["field"] and e["message"].startswith(e["field"].split("].", 1)[-1] + ": "):
            e["message"] = e["message"].split(": ", 1)[1]
    detail = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors) if errors else str(exc.detail)
    extra: dict[str, Any] = {"errors": errors}
    if errors and errors[0]["field"]:
        extra["field"] = errors[0]["field"]
    return ProblemDetailsException(
        status_code=exc.status_code,
        title="Invalid request",
        detail=detail,
        type_=f"{PROBLEM_BASE}-invalid-request",
        extra=extra,
    )


def from_http(exc: HTTPException) -> ProblemDetailsException:
    titles = {
        400: "Bad request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        413: "Payload too large",
        415: "Unsupported media type",
        429: "Too many requests",
    }
    title = titles.get(exc.status_code, "Error")
    extra = exc.extra if isinstance(exc.extra, dict) else None
    return ProblemDetailsException(
        status_code=exc.status_code,
        title=title,
        detail=str(exc.detail),
        headers=exc.headers,
        type_=f"{PROBLEM_BASE}-{_slug(title)}",
        extra=extra,
    )


def from_recursion(exc: RecursionError) -> ProblemDetailsException:
    """A body nested deeper than the decoder recurses (Litestar decodes JSON bodies before our code runs); our own
    decoders refuse far less nesting, with their limit (app/domain/jsonsafe.py)."""
    return ProblemDetailsException(
        status_code=400,
        title="Bad request",
        detail="the body nests too deeply to decode",
        type_=f"{PROBLEM_BASE}-bad-request",
        extra={"field": "body"},
    )


def from_unexpected(exc: Exception) -> ProblemDetailsException:
    log.exception("unexpected error", exc_info=exc)
    return ProblemDetailsException(
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
        title="Internal error",
        detail="an unexpected error occurred; it was logged on the server",
        type_=f"{PROBLEM_BASE}-internal-error",
    )


def plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            exception_to_problem_detail_map={
                DomainError: from_domain,
                ValidationException: from_validation,
                HTTPException: from_http,
                RecursionError: from_recursion,
                Exception: from_unexpected,
            }
        )
    )
