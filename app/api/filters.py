"""Kestra's query filters from a request's query string (`filters[<field>][<OP>]=<value>`), for the routes that
search or delete by query."""

from __future__ import annotations

from collections.abc import Mapping

from litestar import Request

from app.domain import query_filters
from app.errors import BadRequest


def filters_of(
    request: Request, fields: Mapping[str, query_filters.FieldSpec] = query_filters.ASSET_FIELDS
) -> query_filters.Filter:
    return query_filters.parse(request.query_params.multi_items(), fields)


def some_filters_of(request: Request, fields: Mapping[str, query_filters.FieldSpec], what: str) -> query_filters.Filter:
    """The filters of a delete by query: at least one, so that a forgotten parameter cannot delete everything."""
    flt = filters_of(request, fields)
    if not flt.any_of:
        raise BadRequest(f"give at least one filter: deleting every {what} is not done by query", field="filters")
    return flt
