"""One page of an ordered answer: `page` counts from 1, `size` rows each. The one place that checks them and turns
them into the rows to skip."""

from __future__ import annotations

from app.domain import limits
from app.errors import InvalidInput


def check(page: int, size: int, max_size: int = limits.MAX_PAGE_SIZE) -> None:
    """Refuse a page before 1 or a size outside 1..max_size, naming the parameter."""
    if page < 1:
        raise InvalidInput("page starts at 1", field="page")
    if not 1 <= size <= max_size:
        raise InvalidInput(f"size must be between 1 and {max_size}", field="size")


def skip(page: int, size: int) -> int:
    """The rows before the page."""
    return (page - 1) * size


def past_the_end(page: int, size: int, total: int) -> bool:
    """Does the page start after the answer's last row? Such a page is empty and is not asked of the database:
    LadybugDB 0.22 crashes the process (SIGSEGV) on `ORDER BY ... SKIP n LIMIT m` once `n` exceeds the rows by
    about 32,000, as schemathesis found with `page=99999`."""
    return skip(page, size) >= total
