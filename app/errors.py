"""Domain errors.

Raised by the domain, the services and the stores; turned into RFC 9457 problem details in exactly one
place (`app.api.problems`). Each carries the HTTP status it means so that the mapping stays a table.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status: int = 400
    title: str = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra


class InvalidInput(DomainError):
    """The request is well-formed HTTP but its content is not acceptable."""

    status = 422
    title = "Invalid input"


def invalid_input(exc: Exception, default_field: str = "body") -> InvalidInput:
    """A msgspec ValidationError as the 422 it means, naming the field its message points at (`at `$.a``)."""
    message = str(exc)
    field = message.rsplit("at `$.", 1)[-1].rstrip("`") if "at `$." in message else default_field
    return InvalidInput(message, field=field)


class BadRequest(DomainError):
    status = 400
    title = "Bad request"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


class TooLarge(DomainError):
    status = 413
    title = "Payload too large"


class StoreUnavailable(DomainError):
    """The database cannot be reached or refused the work for a reason that is not the caller's."""

    status = 503
    title = "Store unavailable"


class QueryTimeout(StoreUnavailable):
    """A query ran past its time limit and the database stopped it."""


class SearchTooSlow(DomainError):
    """A search the caller's filters made slow (a backtracking regular expression) ran past its time limit."""

    status = 422
    title = "Search took too long"


class StoreFailure(DomainError):
    """The database rejected a query for a reason that is neither the caller's nor the database's availability:
    a bug in a query, a full disk. Retrying does not help, so it is not `StoreUnavailable`."""

    status = 500
    title = "Store error"


class SchemaVersionError(RuntimeError):
    """The database file was written by a newer (or unknown) version of the service."""
