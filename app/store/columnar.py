"""LadybugDB's form of a statement over a small batch of rows: each field sent as a list of its own (`:columns`).

A statement over a batch unwinds a list of maps, ``UNWIND $rows AS r``, and reads each row by field, `r.key`.
LadybugDB's Python binding converts such a list value by value, each map as a struct whose type it infers and
unifies with the others', and a null or a list in a map costs it several times a string. For a file that says
``// :columns rows`` the rows go as one list per field instead, below the size from which they are scanned as a
table (`:scan`): ``UNWIND range(1, $rows__n) AS r__i``, each `r.key` read as ``list_extract($rows__key, r__i)``.
Two things the engine cannot type are written otherwise: a field no row has a value for is NULL, and a list field
is cast to its element type. A batch with any other kind of field (a map, lists of lists, of nothing or with a null
among them, mixed kinds) is sent as written, and so is a statement that reads a row in a MATCH or MERGE.

Only statements that create nodes from rows with nulls or lists gained (docs/measurements.md: Passing a small batch's
rows); rows of short strings converted faster as maps, and a node matched by `list_extract(...)` is not looked up by
its key but found by scanning its table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

#: The Python kinds a field may hold to be sent as a list, and the type a list field's elements are cast to.
_ELEMENT_TYPES = {str: "STRING", bool: "BOOLEAN", int: "INT64", float: "DOUBLE"}
#: A field's form: NULL (no row has a value), "" (its list as sent) or the type its list values are cast to.
NULL = "NULL"
#: A MATCH or MERGE clause, its WHERE included: up to the next clause that is neither.
_MATCHING = re.compile(
    r"\b(?:MATCH|MERGE)\b.*?(?=\b(?:CREATE|SET|WITH|RETURN|UNWIND|DELETE|MATCH|MERGE|OPTIONAL)\b|\Z)", re.S
)


def unwind_line(text: str, param: str) -> re.Match[str] | None:
    """The line ``UNWIND $param AS <row>`` of a statement over a batch (group 1: the row), which both LadybugDB forms
    of such a statement replace: this one and the scan (queries.py: `:scan`)."""
    return re.search(rf"^[ \t]*UNWIND \${param} AS ([A-Za-z_]\w*)[ \t]*$", text, re.M)


def unwound(text: str, param: str) -> tuple[str, tuple[str, ...]] | None:
    """The variable `param`'s rows are unwound as and the fields read from them, when the statement reads each row
    only by field."""
    unwind = unwind_line(text, param)
    if unwind is None:
        return None
    row = unwind.group(1)
    rest = text[: unwind.start()] + text[unwind.end() :]
    if re.search(rf"\b{row}\b(?!\.[A-Za-z_])", rest):
        return None
    if any(re.search(rf"\b{row}\.", clause) for clause in _MATCHING.findall(rest)):
        return None  # LadybugDB looks a node up by its key only from a field of a row unwound whole
    return row, tuple(dict.fromkeys(re.findall(rf"\b{row}\.([A-Za-z_]\w*)", rest)))


def shape_of(rows: list[Any], fields: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
    """Each field's form (NULL, "" or a cast); None when one has none, or no row has it (the statement as written
    then fails, as it should: the code sent rows without a field the statement reads)."""
    if not all(isinstance(r, dict) for r in rows):
        return None
    out = []
    for name in fields:
        form = _form([r.get(name) for r in rows]) if any(name in r for r in rows) else None
        if form is None:
            return None
        out.append((name, form))
    return tuple(out)


def _form(values: list[Any]) -> str | None:
    """One field's form, from its values in every row."""
    present = [v for v in values if v is not None]
    if not present:
        return NULL
    kinds = {type(v) for v in present}
    if len(kinds) == 1 and next(iter(kinds)) in _ELEMENT_TYPES:
        return ""
    if kinds != {list}:
        return None
    if len(present) < len(values):
        return None  # the binding sends a list of lists with a null after a list as one string
    elements = {type(e) for v in present for e in v if e is not None}
    if len(elements) != 1 or next(iter(elements)) not in _ELEMENT_TYPES:
        return None
    return f"{_ELEMENT_TYPES[next(iter(elements))]}[]"


@lru_cache(maxsize=4096)
def text(statement: str, param: str, row: str, shape: tuple[tuple[str, str], ...]) -> str:
    """The statement with its rows read from one list per field."""
    index = f"{row}__i"
    by_field = dict(shape)

    def value(m: re.Match[str]) -> str:
        form = by_field[m.group(1)]
        if form == NULL:
            return NULL
        got = f"list_extract(${param}__{m.group(1)}, {index})"
        return f"CAST({got} AS {form})" if form else got

    unwind = unwind_line(statement, param)
    assert unwind is not None and unwind.group(1) == row  # checked when the file loaded (unwound)
    indexed = f"{statement[: unwind.start()]}UNWIND range(1, ${param}__n) AS {index}{statement[unwind.end() :]}"
    return re.sub(rf"\b{row}\.([A-Za-z_]\w*)", value, indexed)


def args(given: dict[str, Any], param: str, shape: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The parameters of `text`: `param`'s rows as one list per field with a value, and their number."""
    rows = given[param]
    out = {k: v for k, v in given.items() if k != param}
    out[f"{param}__n"] = len(rows)
    for name, form in shape:
        if form != NULL:
            out[f"{param}__{name}"] = [r.get(name) for r in rows]
    return out
