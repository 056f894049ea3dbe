"""Kestra's query-filter syntax parsed into OR-of-AND leaves, and what it refuses (with the parameter named)."""

from __future__ import annotations

import re

import pytest

from app.domain.query_filters import ASSET_FIELDS, Leaf, parse, parse_sort
from app.errors import BadRequest


def test_flat_filters_and_together() -> None:
    f = parse([("filters[id][EQUALS]", "a"), ("filters[namespace][PREFIX]", "data"), ("page", "1")], ASSET_FIELDS)
    assert f.any_of == [[Leaf("id", "in", vs=("a",)), Leaf("namespace", "prefix", v="data")]]


def test_grouped_or_expands_to_alternatives() -> None:
    f = parse(
        [
            ("filters[type][EQUALS]", "TABLE"),
            ("filters[or][0][id][STARTS_WITH]", "a"),
            ("filters[or][1][and][0][id][ENDS_WITH]", "z"),
            ("filters[or][1][and][1][metadata][NOT_EQUALS][owner]", "bo"),
        ],
        ASSET_FIELDS,
    )
    table = Leaf("type", "in", vs=("TABLE",))
    assert f.any_of == [
        [table, Leaf("id", "starts", v="a")],
        [table, Leaf("id", "ends", v="z"), Leaf("meta", "in", vs=('["owner","bo"]',), neg=True)],
    ]


def test_no_filters_match_everything() -> None:
    assert parse([("size", "10")], ASSET_FIELDS).any_of == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("filters[labels][EQUALS]", "x", "unknown field 'labels'"),
        ("filters[created][PREFIX]", "x", "created does not take 'PREFIX'"),  # id takes it (Kestra's SDKs send it)
        ("filters[id][LIKE]", "x", "id does not take 'LIKE'"),
        ("filters[metadata][EQUALS]", "x", "filters[metadata][EQUALS][<key>]"),
        ("filters[created][GREATER_THAN]", "yesterday", "not an ISO-8601 date"),
        ("filters[id][REGEX]", "(a+)+$", "nested repetition"),
        ("filters[id][REGEX]", "(a|b", "not a valid regular expression"),
        ("filters[id][REGEX]", "a" * 201, "longer than 200"),
        ("filters[or][x][id][EQUALS]", "a", "expected an index"),
        ("filters[or][0][and][0][or][0][id][EQUALS]", "a", "one level deep"),
        ("filters[id]", "a", "filters[<field>][<OPERATION>]"),
    ],
)
def test_refusals_name_the_parameter(name: str, value: str, message: str) -> None:
    with pytest.raises(BadRequest, match=re.escape(message)) as err:
        parse([(name, value)], ASSET_FIELDS)
    assert err.value.field == name or err.value.field == "filters"


def test_too_many_alternatives_are_refused() -> None:
    params = [(f"filters[and][{i}][or][{j}][id][EQUALS]", f"{i}{j}") for i in range(3) for j in range(5)]
    with pytest.raises(BadRequest, match="alternatives"):
        parse(params, ASSET_FIELDS)


def test_sort() -> None:
    assert parse_sort(["updated:desc", "id:asc"], ("id", "updated")).descending is True
    with pytest.raises(BadRequest, match="unknown field"):
        parse_sort(["secret:asc"], ("id",))


def test_required_leaves_are_those_of_every_alternative() -> None:
    f = parse(
        [
            ("filters[namespace][PREFIX]", "data"),
            ("filters[or][0][type][EQUALS]", "TABLE"),
            ("filters[or][1][id][EQUALS]", "x"),
        ],
        ASSET_FIELDS,
    )
    assert f.required() == [Leaf("namespace", "prefix", v="data")]
    assert parse([], ASSET_FIELDS).required() == []
