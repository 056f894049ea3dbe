"""Each directive of the Cypher files on its own (app/store/queries.py): declarations (`:param`, `:literal`, `:flag`,
`:number`), composition (`{{fragment(args)}}`, `:variant`, `when`, `:repeat`), the header as the whole contract of a
composed query, the recent-edge tables a LadybugDB query cannot forget, and `lineage cypher show`."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.store.queries import CypherFileError, Literal, Param, QuerySet, parse_file
from tests.unit.test_queries import write

FRAGMENTS = """// :fragment visible(n)
// :literal allNamespaces flag
// :param namespaces list<string>
({{allNamespaces}} OR n.namespace IN $namespaces)
// :fragment hop(a, b) when direction=down
(a)-[:R]->(b)
// :fragment hop(a, b) when direction=up
(a)<-[:R]-(b)
// :fragment twice(x)
{{visible(x)}} AND {{visible(x)}}
// :fragment reads()
READ|READ_RECENT
"""
NEO4J_FRAGMENTS = """// :fragment visible(n)
// :param allNamespaces boolean
// :param namespaces list<string>
($allNamespaces OR n.namespace IN $namespaces)
// :fragment reads()
READ
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write(tmp_path, "fragments.cypher", FRAGMENTS)
    write(tmp_path, "neo4j/fragments.cypher", NEO4J_FRAGMENTS)
    return tmp_path


def test_flag_and_number_take_each_dialects_form(root: Path) -> None:
    path = write(root, "q.cypher", "// q\n// :flag all\n// :number limit 1..50\nRETURN {{all}} LIMIT {{limit}}")
    lb = parse_file(path, "ladybug")
    assert lb.literals == {"all": Literal("all", flag=True), "limit": Literal("limit", 1, 50)}
    assert lb.bind({"all": True, "limit": 7})[0] == "RETURN true LIMIT 7"
    neo_path = write(root, "neo4j/q.cypher", "// q\n// :flag all\n// :number limit 1..50\nRETURN $all LIMIT $limit")
    neo = parse_file(neo_path, "neo4j")
    assert neo.params == {"all": Param("all", "boolean", False), "limit": Param("limit", "integer", False)}
    assert neo.literals == {}


def test_a_file_declares_what_its_fragments_take(root: Path) -> None:
    path = write(root, "q.cypher", "// q\n// :param namespaces list<string>\nMATCH (a) WHERE {{visible(a)}} RETURN a")
    with pytest.raises(CypherFileError, match="literals used"):  # allNamespaces: the fragment's, not declared here
        QuerySet("ladybug", root)
    path.write_text(
        "// q\n// :flag allNamespaces\n// :param namespaces list<string>\nMATCH (a) WHERE {{twice(a)}} RETURN a"
    )
    for dialect in ("ladybug", "neo4j"):  # nested fragments; one declaration serves both dialects
        assert QuerySet(dialect, root)["q"].text.count("namespaces") == 2
    path.write_text(
        "// q\n// :flag allNamespaces\n// :param namespaces string\nMATCH (a) WHERE {{visible(a)}} RETURN a"
    )
    with pytest.raises(CypherFileError, match="its fragments need ':param namespaces list<string>'"):
        QuerySet("ladybug", root)


def test_variants_choose_fragments_and_header_lines(root: Path) -> None:
    with (root / "fragments.cypher").open("a") as f:
        f.write("// :fragment cutoff(x) when direction=down\ntrue\n")
        f.write("// :fragment cutoff(x) when direction=up\n// :param since string\nx.date >= $since\n")
    write(
        root,
        "walk.cypher",
        "// walk\n// :variant walk_down direction=down\n// :variant walk_up direction=up\n// :param k string\n"
        "// :param since string when direction=up\nMATCH {{hop(s, t)}} WHERE s.k = $k AND {{cutoff(t)}} RETURN t",
    )
    qs = QuerySet("ladybug", root)
    down, up = qs["walk_down"], qs["walk_up"]
    assert "(s)-[:R]->(t)" in down.text and "(s)<-[:R]-(t)" in up.text
    assert set(down.params) == {"k"} and set(up.params) == {"k", "since"}
    # a header line for another dialect only is dropped for this one
    path = write(
        root,
        "d.cypher",
        "// d\n// :param a string when dialect=neo4j\n// :param a integer when dialect=ladybug\nRETURN $a",
    )
    assert parse_file(path, "neo4j").params["a"].type == "string"
    assert parse_file(path, "ladybug").params["a"].type == "integer"


def test_repeat_blocks(root: Path) -> None:
    fixed = parse_file(write(root, "r.cypher", "// r\nRETURN 1\n// :repeat 3\nUNION ALL RETURN 1\n// :end"), "neo4j")
    assert fixed.text.count("UNION ALL") == 3
    bound = parse_file(
        write(
            root, "b.cypher", "// b\n// :literal n 1..5\nRETURN 1\n// :repeat {{n}}\nUNION ALL RETURN {{n}}\n// :end"
        ),
        "ladybug",
    )
    assert bound.bind({"n": 4})[0].count("UNION ALL RETURN 4") == 4
    for broken in ("// :repeat 2\nRETURN 1", "RETURN 1\n// :end", "// :repeat 2\n// :repeat 2\nRETURN 1\n// :end"):
        with pytest.raises(CypherFileError):
            parse_file(write(root, "x.cypher", f"// x\n{broken}"), "neo4j")


def test_fragments_need_one_match_and_the_right_arity(root: Path) -> None:
    write(root, "f.cypher", "// f\nMATCH {{hop(a, b)}} RETURN a")  # no variant binds `direction`
    with pytest.raises(CypherFileError, match="0 fragments hop"):
        QuerySet("ladybug", root)
    (root / "f.cypher").write_text("// f\n// :variant f_down direction=down\nMATCH {{hop(a)}} RETURN a")
    with pytest.raises(CypherFileError, match="takes 2 arguments, got 1"):
        QuerySet("ladybug", root)


def test_a_ladybug_query_cannot_forget_the_recent_edges(root: Path) -> None:
    path = write(root, "reads.cypher", "// reads\nMATCH (e)-[r:READ]->(a) RETURN count(r)")
    with pytest.raises(CypherFileError, match=r"names \['READ'\] of READ\|READ_RECENT"):
        QuerySet("ladybug", root)
    assert QuerySet("neo4j", root)["reads"]  # Neo4j keeps each kind in one table
    path.write_text("// reads\nMATCH (e)-[r:{{reads()}}]->(a) RETURN count(r)")
    assert "READ|READ_RECENT" in QuerySet("ladybug", root)["reads"].text
    path.write_text("// reads\n// :one-table\nMATCH (e)-[r:READ_RECENT]->(a) RETURN count(r)")
    assert QuerySet("ladybug", root)["reads"].summary == "reads"  # a directive is not prose


def test_cypher_show_prints_the_composed_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cypher", "show", "asset_get", "--dialect", "neo4j"]) == 0
    out = capsys.readouterr().out
    assert "// :param allNamespaces boolean" in out and "$allNamespaces OR any(" in out and "{{" not in out
    assert main(["cypher", "show", "reach_page"]) == 2  # a file with variants: pick one
    assert "reach_page_upstream_window" in capsys.readouterr().err
    assert main(["cypher", "show", "reach_page", "--variant", "reach_page_upstream"]) == 0
    assert "<-[r:FEEDS|FEEDS_RECENT* SHORTEST 1..{{maxDepth}}" in capsys.readouterr().out
    assert main(["cypher", "show", "no_such_query"]) == 1
    assert main(["cypher", "show", "read_edges_create"]) == 0  # with the form a large batch runs
    out = capsys.readouterr().out
    assert "UNWIND $rows AS r" in out and "from 128 items in $rows" in out and "LOAD FROM $rows" in out


def test_a_scan_form_runs_from_its_size_and_the_file_as_written_below(root: Path) -> None:
    write(
        root, "put.cypher", "// put\n// :param rows list<map>\n// :scan rows 3\nUNWIND $rows AS r\nCREATE (:N {k: r.k})"
    )
    query = QuerySet("ladybug", root)["put"]
    assert query.bind({"rows": [{"k": 1}] * 2})[0] == "UNWIND $rows AS r\nCREATE (:N {k: r.k})"
    assert query.bind({"rows": [{"k": 1}] * 3})[0] == "LOAD FROM $rows\nCREATE (:N {k: k})"
    assert QuerySet("ladybug", root, scan_from=1)["put"].bind({"rows": [{"k": 1}]})[0].startswith("LOAD FROM")
    assert QuerySet("neo4j", root)["put"].bind({"rows": [{"k": 1}] * 3})[0].startswith("UNWIND")
    with pytest.raises(TypeError, match="must not be empty"):
        query.bind({"rows": []})


def test_a_scan_needs_its_rows_unwound_and_read_by_key(root: Path) -> None:
    write(root, "put.cypher", "// put\n// :param rows list<map>\n// :scan rows 3\nUNWIND $rows + [] AS r CREATE (:N)")
    with pytest.raises(CypherFileError, match="needs a line `UNWIND \\$rows AS <row>`"):
        QuerySet("ladybug", root)
    write(root, "put.cypher", "// put\n// :param rows list<map>\n// :scan rows 3\nUNWIND $rows AS r\nRETURN r")
    with pytest.raises(CypherFileError, match=r"used otherwise than as `r\.key`"):
        QuerySet("ladybug", root)
    assert QuerySet("neo4j", root)["put"]  # Neo4j runs the file as written
    write(
        root, "put.cypher", "// put\n// :param rows list<map>\n// :scan row 3\nUNWIND $rows AS r\nCREATE (:N {k: r.k})"
    )
    with pytest.raises(CypherFileError, match="names no list parameter"):
        QuerySet("ladybug", root)


def test_columns_send_a_small_batch_one_list_per_field(root: Path) -> None:
    write(
        root,
        "put.cypher",
        "// put\n// :param rows list<map>\n// :param now string\n// :scan rows 3\n// :columns rows\n"
        "UNWIND $rows AS r\nCREATE (:N {k: r.k, tags: r.tags, note: r.note, at: $now})",
    )
    query = QuerySet("ladybug", root)["put"]
    rows = [{"k": "a", "tags": ["x"], "note": None}, {"k": "b", "tags": [], "note": None}]
    text, args = query.bind({"rows": rows, "now": "t"})
    assert text == (
        "UNWIND range(1, $rows__n) AS r__i\nCREATE (:N {k: list_extract($rows__k, r__i),"
        " tags: CAST(list_extract($rows__tags, r__i) AS STRING[]), note: NULL, at: $now})"
    )
    assert args == {"now": "t", "rows__n": 2, "rows__k": ["a", "b"], "rows__tags": [["x"], []]}
    # What the engine cannot type goes as written: a map, lists with no element, mixed kinds, a null among lists (the
    # binding would send that column as one string), a field no row has.
    for odd in (
        [{"k": "a", "tags": {"x": 1}, "note": None}],
        [{"k": "a", "tags": [], "note": None}],
        [{"k": "a", "tags": ["x"], "note": None}, {"k": 1, "tags": ["y"], "note": None}],
        [{"k": "a", "tags": ["x"], "note": None}, {"k": "b", "tags": None, "note": None}],
        [{"k": "a", "tags": ["x"]}],
    ):
        assert query.bind({"rows": odd, "now": "t"}) == (query.text, {"rows": odd, "now": "t"})
    assert query.bind({"rows": rows * 2, "now": "t"})[0].startswith("LOAD FROM $rows")  # the scan from its size
    assert QuerySet("neo4j", root)["put"].bind({"rows": rows, "now": "t"})[0].startswith("UNWIND $rows AS r")


def test_columns_need_rows_read_by_field_and_no_node_matched_by_one(root: Path) -> None:
    head = "// put\n// :param rows list<map>\n// :columns rows\n"
    write(root, "put.cypher", head + "UNWIND $rows AS r\nCREATE (:N {k: r.k, all: r})")
    with pytest.raises(CypherFileError, match=r"read only as `<row>\.key`"):
        QuerySet("ladybug", root)
    # A node matched by list_extract(...) is found by scanning its table, not looked up by its key.
    write(root, "put.cypher", head + "UNWIND $rows AS r\nMATCH (n:N {k: r.k})\nSET n.v = r.v")
    with pytest.raises(CypherFileError, match="never in a MATCH or MERGE"):
        QuerySet("ladybug", root)
    write(root, "put.cypher", head + "UNWIND $rows AS r\nOPTIONAL MATCH (n:N)\nWHERE n.k = r.k\nCREATE (:M {v: r.v})")
    with pytest.raises(CypherFileError, match="never in a MATCH or MERGE"):
        QuerySet("ladybug", root)
    assert QuerySet("neo4j", root)["put"]
    write(
        root,
        "put.cypher",
        "// put\n// :param keys list<string>\n// :columns keys\nUNWIND $keys AS k\nCREATE (:N {k: k})",
    )
    with pytest.raises(CypherFileError, match="names no list<map> parameter"):
        QuerySet("ladybug", root)
