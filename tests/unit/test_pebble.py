"""Pebble's syntax and filters as Kestra flows write them, rendered by the sandboxed renderer."""

from __future__ import annotations

import pytest

from app.domain.pebble import rewrite_expression
from app.domain.templating import Renderer, UnknownVariable
from app.errors import InvalidInput

R = Renderer()
CONTEXT = {
    "inputs": {"none": None, "name": "B", "items": [1, 2, 3]},
    "execution": {"startDate": "2026-01-31T22:15:07.123456Z"},
    "now": lambda: "2026-11-27T10:00:00Z",
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ inputs.none ?? 'x' }}", "x"),
        ("{{ inputs.missing ?? 'y' }}", "y"),
        ("{{ inputs.missing.deeper.still ?? inputs.name }}", "B"),
        ("{{ inputs.none ??? 'z' }}", ""),  # defined (null): `???` keeps it
        ("{{ inputs.missing ??? 'z' }}", "z"),
        ("{{ inputs.missing ?? inputs.none ?? 'last' }}", "last"),
        ("{{ inputs.name == 'B' ? 'yes' : 'no' }}", "yes"),
        ("{{ inputs.name == 'C' ? 'yes' : inputs.none == null ? 'null' : 'set' }}", "null"),
        ("{{ true ? (false ? 1 : 2) : 3 }}", "2"),
        ("{{ (inputs.missing ?? 'q') | upper }}", "Q"),
        ("{{ [inputs.missing ?? 1, inputs.none ?? 2] | join('-') }}", "1-2"),
        ("{{ 'a ? b : c' ~ '??' }}", "a ? b : c??"),
        ("{{ inputs.items | first }}/{{ inputs.items | length }}/{{ inputs.items | join(',') }}", "1/3/1,2,3"),
        ("{{ 'env-' ~ inputs.name | lower }}", "env-b"),
        ("{{ null | default('d') }}", "d"),
        ("{{ execution.startDate | date('yyyy-MM-dd HH:mm:ss.SSS') }}", "2026-01-31 22:15:07.123"),
        ("{{ execution.startDate | date(\"yyyyMMdd'T'HH\") }}", "20260131T22"),
        ("{{ execution.startDate | date('yyyy-MM-dd', timeZone='Europe/Paris') }}", "2026-01-31"),
        ("{{ execution.startDate | date('HH:mm XXX', timeZone='Asia/Tokyo') }}", "07:15 +09:00"),
        ("{{ execution.startDate | date('EEE d MMM yy') }}", "Sat 31 Jan 26"),
        ("{{ execution.startDate | dateAdd(1, 'MONTHS') | date('yyyy-MM-dd') }}", "2026-02-28"),
        ("{{ execution.startDate | dateAdd(-2, 'HOURS') | date('iso_date_time') }}", "2026-01-31T20:15:07Z"),
        ("{{ now() }}", "2026-11-27T10:00:00Z"),
        ("{{ now() | dateAdd(-1, 'DAYS') | date('yyyy-MM-dd') }}", "2026-11-26"),
    ],
)
def test_pebble_renders_as_kestra_does(template: str, expected: str) -> None:
    assert R.render(template, CONTEXT) == expected


def test_missing_variables_still_fail_and_name_themselves() -> None:
    with pytest.raises(UnknownVariable, match=r"unknown variable inputs\.missing"):
        R.render("{{ inputs.missing.deeper }}", CONTEXT)
    with pytest.raises(UnknownVariable, match="unknown variable workingDir"):
        R.render("{{ workingDir }}/x.csv", CONTEXT)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ inputs.name ? 'a' }}", "without its `:`"),
        ("{{ now() | dateAdd(1, 'FORTNIGHTS') }}", "unknown unit"),
        ("{{ 'yesterday' | date('yyyy') }}", "not an ISO-8601 date"),
        ("{{ now() | date('yyyy', timeZone='Mars/Olympus') }}", "unknown time zone"),
    ],
)
def test_bad_pebble_is_a_clear_error(template: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        R.render(template, CONTEXT)


def test_the_rewrite_leaves_strings_and_slices_alone() -> None:
    assert rewrite_expression(" x[1:2] ") == " x[1:2] "
    assert rewrite_expression("'?' ~ a ?? b") == "__nc('?' ~ a ,  b)"
