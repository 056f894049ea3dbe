"""LadybugDB keeps a prepared statement's first parameter values and copies them at every later run, so each
statement is prepared apart per size class of its longest list (app/store/ladybug.py: _sized)."""

from __future__ import annotations

from app.store.ladybug import _sized


def test_a_statement_copies_at_most_four_times_the_rows_it_is_given() -> None:
    for rows in range(2, 5000):
        marked = _sized("MATCH (n) RETURN n", {"rows": [{}] * rows, "key": "k"})
        bound = int(marked.rsplit("<= ", 1)[1])
        assert rows <= bound < 4 * rows
        assert marked.startswith("MATCH (n) RETURN n\n// rows <= ")


def test_statements_without_lists_keep_their_text() -> None:
    assert _sized("RETURN $x", {"x": "a"}) == "RETURN $x"
    assert _sized("RETURN $x", {"x": [1]}) == "RETURN $x"
    assert _sized("UNWIND $x AS y RETURN y", {"x": [1, 2], "z": [1] * 20}) == _sized(
        "UNWIND $x AS y RETURN y", {"z": [0] * 17}
    )
