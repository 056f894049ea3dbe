"""Pebble syntax that Jinja2 does not read, rewritten into Jinja2 before a template compiles, and the Pebble
filters and functions Kestra flows use that Jinja2 lacks (`date`, `dateAdd`, `now()`).

Rewritten inside `{{ ... }}`:

- `a ?? b` (null coalescing: `b` when `a` is undefined or null) -> `__nc(a, b)`;
- `a ??? b` (undefined coalescing: `b` only when `a` is undefined) -> `__uc(a, b)`;
- `cond ? a : b` -> `((a) if (cond) else (b))`.

Everything else (`~`, `| first`, `| length`, `| join`, `null`, `| default`) Jinja2 already reads the same way.
The rewrite knows string literals and brackets, so `'a ? b'` and `x[1:2]` stay what they are.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import jinja2

from app.errors import InvalidInput

_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
_OPEN, _CLOSE = "([{", ")]}"


def to_jinja(template: str) -> str:
    """The template with every `{{ expression }}` that uses `??`, `???` or `? :` rewritten."""
    if "?" not in template:
        return template
    return _EXPRESSION.sub(lambda m: "{{" + _rewrite(m.group(1)) + "}}", template)


def _scan(text: str) -> list[tuple[int, str]]:
    """(position, character) of every character outside string literals, with its bracket depth folded in:
    characters inside brackets are reported as depth markers so callers only see the top level."""
    out: list[tuple[int, str]] = []
    depth, quote, i = 0, "", 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
        elif depth == 0:
            out.append((i, c))
        i += 1
    return out


def _top_level(text: str, token: str) -> list[int]:
    """Positions of `token` outside strings and brackets (`?` never matches part of `??`)."""
    top = dict(_scan(text))
    hits, i = [], 0
    while i < len(text):
        if all(top.get(i + k) == ch for k, ch in enumerate(token)):
            if token == "?" and (top.get(i + 1) == "?" or top.get(i - 1) == "?"):
                i += 1
                continue
            if token == "??" and top.get(i + 2) == "?":
                i += 3  # `???` is the other operator
                continue
            hits.append(i)
            i += len(token)
            continue
        i += 1
    return hits


def rewrite_expression(expr: str) -> str:
    """One expression (the inside of `{{ }}`) in Jinja2's syntax."""
    return _rewrite(expr)


def _rewrite(expr: str) -> str:
    if "?" not in expr:
        return expr
    expr = _rewrite_brackets(expr)
    questions = _top_level(expr, "?")
    if questions:
        q = questions[0]
        colon = _matching_colon(expr, q)
        if colon is None:
            raise InvalidInput(f"`?` without its `:` in {{{{{expr}}}}}")
        cond, then, other = expr[:q], expr[q + 1 : colon], expr[colon + 1 :]
        return f"(({_rewrite(then)}) if ({_rewrite(cond)}) else ({_rewrite(other)}))"
    return _coalesce(expr)


def _matching_colon(expr: str, question: int) -> int | None:
    """The `:` closing the ternary opened at `question` (a nested ternary in its middle takes its own `:`)."""
    questions = set(_top_level(expr, "?"))
    pending = 0
    for i, c in _scan(expr):
        if i <= question:
            continue
        if i in questions:
            pending += 1
        elif c == ":":
            if pending == 0:
                return i
            pending -= 1
    return None


def _coalesce(expr: str) -> str:
    """Left to right: `a ?? b ??? c` is `__uc(__nc(a, b), c)`."""
    cuts = sorted(
        [(i, "???", "__uc") for i in _top_level(expr, "???")] + [(i, "??", "__nc") for i in _top_level(expr, "??")]
    )
    if not cuts:
        return expr
    out, start, fn = "", 0, None
    for i, token, name in cuts:
        part = expr[start:i]
        out = part if fn is None else f"{fn}({out}, {part})"
        fn, start = name, i + len(token)
    return f"{fn}({out}, {expr[start:]})"


def _rewrite_brackets(expr: str) -> str:
    """Rewrite inside `( ... )` and `[ ... ]` first, each comma-separated part on its own."""
    out, i = [], 0
    while i < len(expr):
        c = expr[i]
        if c in "([" and "?" in expr[i:]:
            end = _closing(expr, i)
            if end is None:
                return expr
            inner = ",".join(_rewrite(part) for part in _split_commas(expr[i + 1 : end]))
            out.append(c + inner + expr[end])
            i = end + 1
            continue
        if c in "'\"":
            end = _string_end(expr, i)
            out.append(expr[i : end + 1])
            i = end + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _string_end(expr: str, start: int) -> int:
    i = start + 1
    while i < len(expr) and expr[i] != expr[start]:
        i += 2 if expr[i] == "\\" else 1
    return min(i, len(expr) - 1)


def _closing(expr: str, start: int) -> int | None:
    depth, i = 0, start
    while i < len(expr):
        c = expr[i]
        if c in "'\"":
            i = _string_end(expr, i) + 1
            continue
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _split_commas(text: str) -> list[str]:
    cuts = [i for i, c in _scan(text) if c == ","]
    bounds = [-1, *cuts, len(text)]
    return [text[a + 1 : b] for a, b in itertools.pairwise(bounds)]


# -- runtime helpers ----------------------------------------------------------------------------------------------


def null_coalesce(value: Any, fallback: Any) -> Any:
    return fallback if isinstance(value, jinja2.Undefined) or value is None else value


def undefined_coalesce(value: Any, fallback: Any) -> Any:
    return fallback if isinstance(value, jinja2.Undefined) else value


_UNITS = {
    "NANOS": timedelta(microseconds=0.001),
    "MICROS": timedelta(microseconds=1),
    "MILLIS": timedelta(milliseconds=1),
    "SECONDS": timedelta(seconds=1),
    "MINUTES": timedelta(minutes=1),
    "HOURS": timedelta(hours=1),
    "HALF_DAYS": timedelta(hours=12),
    "DAYS": timedelta(days=1),
    "WEEKS": timedelta(weeks=1),
}


def as_datetime(value: Any) -> datetime:
    """A date as Pebble receives it: a datetime, an ISO-8601 string, or epoch seconds."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidInput(f"{value!r} is not an ISO-8601 date") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise InvalidInput(f"{type(value).__name__} is not a date")


def date_add(value: Any, amount: int, unit: str) -> datetime:
    """Pebble's `dateAdd(amount, unit)`: units as Java's ChronoUnit names (DAYS, HOURS, MONTHS, YEARS...)."""
    start = as_datetime(value)
    unit = str(unit).upper()
    if unit in ("MONTHS", "YEARS"):
        months = start.month - 1 + int(amount) * (12 if unit == "YEARS" else 1)
        year, month = start.year + months // 12, months % 12 + 1
        day = min(start.day, _days_in(year, month))
        return start.replace(year=year, month=month, day=day)
    if unit not in _UNITS:
        raise InvalidInput(f"dateAdd: unknown unit {unit!r} (one of {', '.join([*_UNITS, 'MONTHS', 'YEARS'])})")
    return start + _UNITS[unit] * int(amount)


def _days_in(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


# Java DateTimeFormatter letters -> how to print them; runs of a letter choose the width.
_JAVA = re.compile(r"'([^']*)'|(y+|u+|M+|L+|d+|H+|h+|m+|s+|S+|a|E+|X+|x+|Z+|z+|D+)")
_NAMED = {
    "iso": lambda m: iso(m),
    "iso_date_time": lambda m: iso(m.replace(microsecond=0)),
    "iso_date": lambda m: m.date().isoformat(),
    "iso_local_date": lambda m: m.date().isoformat(),
    "iso_local_date_time": lambda m: m.replace(tzinfo=None, microsecond=0).isoformat(),
    "sql": lambda m: m.strftime("%Y-%m-%d %H:%M:%S.%f"),
}


def date_format(
    value: Any, format: str = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", timeZone: str | None = None, **_: Any
) -> str:
    """Pebble's `date` filter with a Java pattern (`yyyy-MM-dd`, `HH:mm`, `'T'` quoted) or a named format."""
    moment = as_datetime(value)
    if timeZone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            moment = moment.astimezone(ZoneInfo(timeZone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"date: unknown time zone {timeZone!r}") from exc
    if format.lower() in _NAMED:
        return _NAMED[format.lower()](moment)
    return _JAVA.sub(
        lambda m: m.group(1) if m.group(1) is not None else _field(moment, m.group(2)), format.replace("''", "\0")
    ).replace("\0", "'")


def _field(moment: datetime, letters: str) -> str:
    n, c = len(letters), letters[0]
    if c in "yu":
        return f"{moment.year % 100:02d}" if n == 2 else f"{moment.year:0{n}d}"
    if c in "ML":
        return moment.strftime("%B") if n >= 4 else moment.strftime("%b") if n == 3 else f"{moment.month:0{n}d}"
    simple = {"d": moment.day, "H": moment.hour, "h": (moment.hour % 12) or 12, "m": moment.minute, "s": moment.second}
    if c in simple:
        return f"{simple[c]:0{n}d}"
    if c == "D":
        return f"{moment.timetuple().tm_yday:0{n}d}"
    if c == "S":
        return f"{moment.microsecond:06d}"[:n].ljust(n, "0")
    if c == "a":
        return moment.strftime("%p")
    if c == "E":
        return moment.strftime("%A") if n >= 4 else moment.strftime("%a")
    offset = moment.strftime("%z")  # +0100
    if c == "X" and offset == "+0000":
        return "Z"
    if c in "Xx":
        return offset[:3] if n == 1 else offset if n == 2 else f"{offset[:3]}:{offset[3:]}"
    if c == "Z":
        return offset
    return moment.tzname() or offset  # z


def iso(moment: datetime) -> str:
    """How a date prints in a rendered template: ISO-8601, `Z` for UTC."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
