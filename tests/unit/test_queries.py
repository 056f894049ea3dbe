"""The Cypher loader: headers are checked against bodies, dialect folders override, casts for LadybugDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store.queries import CypherFileError, QuerySet, parse_file


def write(dir_: Path, name: str, text: str) -> Path:
    path = dir_ / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_declared_and_used_parameters_must_agree(tmp_path: Path) -> None:
    undeclared = write(tmp_path, "a.cypher", "// q\n// :param a string\nRETURN $a, $b")
    with pytest.raises(CypherFileError, match=r"undeclared parameters \['b'\]"):
        parse_file(undeclared, "neo4j")
    unused = write(tmp_path, "b.cypher", "// q\n// :param a string\n// :param c integer\nRETURN $a")
    with pytest.raises(CypherFileError, match=r"unused parameters \['c'\]"):
        parse_file(unused, "neo4j")
    bad_type = write(tmp_path, "c.cypher", "// :param a strng\nRETURN $a")
    with pytest.raises(CypherFileError, match="unknown type"):
        parse_file(bad_type, "neo4j")


def test_ladybug_casts_nullable_parameters_only(tmp_path: Path) -> None:
    source = (
        "// q\n// :param a string?\n// :param b list<string>?\n// :param c integer\n// :param d list<string>\n"
        "MATCH (x) WHERE x.p = $a AND x.q IN $b AND x.r IN $d RETURN x LIMIT $c"
    )
    lb = parse_file(write(tmp_path, "q.cypher", source), "ladybug")
    text = lb.bind({"a": None, "b": [], "c": 1, "d": ["x"]})[0]
    assert "CAST($a AS STRING)" in text and "CAST($b AS STRING[])" in text and "LIMIT $c" in text
    assert "x.r IN $d" in text  # a cast runs per row: only untyped values (null, empty list) are cast
    typed = lb.bind({"a": "v", "b": ["y"], "c": 1, "d": ["x"]})[0]
    assert "CAST" not in typed
    neo = parse_file(tmp_path / "q.cypher", "neo4j")
    assert "CAST" not in neo.bind({"a": None, "b": [], "c": 1, "d": ["x"]})[0]
    with pytest.raises(TypeError, match="must not be empty"):
        lb.bind({"a": None, "b": [], "c": 1, "d": []})
    with pytest.raises(TypeError, match="not nullable"):
        lb.bind({"a": None, "b": [], "c": None, "d": ["x"]})
    assert lb.bind({"a": None, "b": [], "c": 1, "d": ["x"]})[1]["b"] == []


def test_literals_are_range_checked_and_written_in(tmp_path: Path) -> None:
    source = (
        "// q\n// :param k string\n// :literal maxDepth 1..100\n"
        "MATCH (s {key: $k})-[:R* SHORTEST 1..{{maxDepth}}]->(t) RETURN t"
    )
    q = parse_file(write(tmp_path, "q.cypher", source), "ladybug")
    text, params = q.bind({"k": "x", "maxDepth": 7})
    assert "1..7]" in text and params == {"k": "x"}
    for bad in (0, 101, "7", 7.0, True):
        with pytest.raises(ValueError, match="maxDepth"):
            q.bind({"k": "x", "maxDepth": bad})
    undeclared = write(tmp_path, "r.cypher", "// q\nMATCH (s)-[:R* SHORTEST 1..{{d}}]->(t) RETURN t")
    with pytest.raises(CypherFileError, match="literals"):
        parse_file(undeclared, "ladybug")
    f = parse_file(write(tmp_path, "f.cypher", "// q\n// :literal path file\nLOAD FROM {{path}} RETURN *"), "ladybug")
    assert f.bind({"path": "/tmp/a-b/c.csv"})[0].endswith("LOAD FROM '/tmp/a-b/c.csv' RETURN *")
    for bad_path in ("relative.csv", "/tmp/x'; DROP", "/tmp/../etc/passwd"):
        with pytest.raises(ValueError):
            f.bind({"path": bad_path})


def test_dialect_folder_overrides_the_shared_file(tmp_path: Path) -> None:
    write(tmp_path, "q.cypher", "// shared\nRETURN 1 AS x")
    write(tmp_path, "neo4j/q.cypher", "// neo4j only\nRETURN 2 AS x")
    write(tmp_path, "neo4j/schema.cypher", "CREATE INDEX x IF NOT EXISTS FOR (a:Asset) ON (a.id);")
    assert "RETURN 2" in QuerySet("neo4j", tmp_path)["q"].text
    assert "RETURN 1" in QuerySet("ladybug", tmp_path)["q"].text


def test_calls_must_pass_exactly_the_declared_parameters() -> None:
    q = QuerySet("ladybug")["asset_get"]
    with pytest.raises(TypeError, match="missing"):
        q.check_args({"key": "x"})
    q.check_args({"key": "x", "allNamespaces": True, "namespaces": []})


@pytest.mark.parametrize("dialect", ["ladybug", "neo4j"])
def test_every_real_file_loads(dialect: str) -> None:
    qs = QuerySet(dialect)
    names = {q.name for q in qs}
    assert {"asset_get", "asset_put", "asset_list", "asset_count", "asset_delete"} <= names
    assert all(q.summary for q in qs), [q.name for q in qs if not q.summary]
    assert qs.schema_statements()
