"""Every Cypher file the Neo4j backend runs passes Neo4j's own parser, semantic analysis and planner.

Two checks: `lintCypherQuery` from npm `@neo4j-cypher/language-support` (the compiled Neo4j front end), with
the file's declared parameters and the graph model's labels, relationship types and property keys, where any
diagnostic, error or warning, fails; and EXPLAIN of every query, as composed, on the test Neo4j server.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.store import model
from app.store.queries import CYPHER_DIR, QuerySet, split_statements
from tests.neo4j_server import Neo4jServer

HERE = Path(__file__).resolve().parent
SAMPLES: dict[str, object] = {
    "string": "",
    "integer": 0,
    "float": 0.0,
    "boolean": True,
    "list<string>": [""],
    "map": {},
    "list<map>": [{}],
    "list<list<map>>": [[{}]],
}


@pytest.fixture(scope="session")
def linter() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("Node.js and npm are required for the Neo4j Cypher check (see README)")
    if not (HERE / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
    return HERE / "lint.mjs"


def _lint(linter: Path, files: list[dict[str, object]]) -> list[dict[str, object]]:
    payload = {
        "model": {
            "labels": list(model.LABELS),
            "relationshipTypes": list(model.REL_TYPES),
            "propertyKeys": list(model.PROPERTY_KEYS),
        },
        "files": files,
    }
    out = subprocess.run(
        ["node", str(linter)], input=json.dumps(payload), capture_output=True, text=True, cwd=HERE, check=True
    )
    return json.loads(out.stdout)


def neo4j_files() -> list[dict[str, object]]:
    """Every statement the Neo4j backend runs: the schema's, and each query as composed (fragments, variants
    and repeated blocks expanded), with every literal at its sample value."""
    schema = CYPHER_DIR / "neo4j" / "schema.cypher"
    files: list[dict[str, object]] = [
        {"path": f"neo4j/schema.cypher#{i + 1}", "text": statement, "parameters": {}}
        for i, statement in enumerate(split_statements(schema.read_text()))
    ]
    for query in QuerySet("neo4j"):
        params = {name: SAMPLES[p.type] for name, p in query.params.items()}
        where = f"{query.path.relative_to(CYPHER_DIR)} ({query.name})"
        files.append({"path": where, "text": query.lint_text(), "parameters": params})
    return files


def test_every_neo4j_file_is_clean(linter: Path) -> None:
    files = neo4j_files()
    assert len(files) > 10
    results = _lint(linter, files)
    problems = [
        f"{r['path']}:{d['line']}:{d['column']} {d['severity']}: {d['message']}"
        for r in results
        for d in r["diagnostics"]  # type: ignore[union-attr]
    ]
    assert not problems, "Neo4j rejects these Cypher files:\n" + "\n".join(problems)


def test_the_check_catches_mistakes(linter: Path) -> None:
    """The harness itself must fail on a bad query, or a green check means nothing."""
    bad = [
        {"path": "syntax", "text": "MATCH (a:Asset) RETRN a", "parameters": {}},
        {"path": "param", "text": "MATCH (a:Asset {key: $nope}) RETURN a", "parameters": {}},
        {"path": "label", "text": "MATCH (a:Assett) RETURN a", "parameters": {}},
        {"path": "property", "text": "MATCH (a:Asset) RETURN a.nmae", "parameters": {}},
        {"path": "semantic", "text": "MATCH (a:Asset) RETURN b", "parameters": {}},
    ]
    results = {r["path"]: r["diagnostics"] for r in _lint(linter, bad)}
    assert all(results[name] for name in results), results


#: Warnings about names this server's data has not used yet: the linter above checks names against the model.
UNKNOWN = ("label does not exist", "relationship type does not exist", "property key does not exist")


def _planner_problems(server: Neo4jServer, queries: list[tuple[str, str, dict[str, object]]]) -> list[str]:
    """EXPLAIN each (name, text, parameters) on the server: its errors and warnings, but for unknown names."""
    import neo4j

    problems = []
    with neo4j.GraphDatabase.driver(server.uri, auth=None, warn_notification_severity="OFF") as driver:
        for name, text, params in queries:
            with driver.session() as session:
                try:
                    summary = session.run("EXPLAIN " + text, params).consume()  # type: ignore[arg-type]
                except neo4j.exceptions.Neo4jError as exc:
                    problems.append(f"{name}: {exc.message}")
                    continue
            for status in summary.gql_status_objects:
                said = f"{status.status_description} {status.diagnostic_record}"
                flagged = status.severity == neo4j.NotificationSeverity.WARNING or status.classification in (
                    neo4j.NotificationClassification.PERFORMANCE,  # a cartesian product is "information"
                    neo4j.NotificationClassification.DEPRECATION,
                )
                if flagged and not any(u in said for u in UNKNOWN):
                    problems.append(f"{name}: {status.gql_status}: {status.status_description}")
    return problems


def test_the_server_plans_every_query(neo4j_server: Neo4jServer) -> None:
    """Every query as composed, EXPLAINed by the test Neo4j: its planner accepts it and raises no warning (a
    cartesian product, a deprecation) beyond names not yet in the data. Repeated blocks appear twice, as for the
    linter: planning the hundred-level texts takes the server seconds each, and the contract tests run them in
    full anyway."""
    from app.store.neo4j import Neo4jStore

    # Plans are checked against the schema a serving process has (an index hint names an index), whatever ran first.
    Neo4jStore(neo4j_server.uri, user=neo4j_server.user, password=neo4j_server.password).close()
    queries = [
        (q.name, q.lint_text(), {name: SAMPLES[p.type] for name, p in q.params.items()}) for q in QuerySet("neo4j")
    ]
    problems = _planner_problems(neo4j_server, queries)
    assert not problems, "\n".join(problems)


def test_the_server_check_catches_mistakes(neo4j_server: Neo4jServer) -> None:
    bad = [
        ("syntax", "MATCH (a:Asset) RETRN a", {}),
        ("cartesian", "MATCH (a:Asset), (b:Asset) RETURN a, b", {}),
        ("deprecated", "MATCH (a:Asset) RETURN id(a)", {}),
    ]
    problems = _planner_problems(neo4j_server, bad)
    assert [p.split(":")[0] for p in problems] == ["syntax", "cartesian", "deprecated"], problems


#: Operators that read a whole label, relationship type or index: a plan made on an empty database may pick one
#: (it costs nothing there), and a search text keeps its first plan (`CYPHER replan=skip`) whatever the data becomes.
SCANS = ("AllNodesScan", "NodeByLabelScan", "NodeIndexScan", "RelationshipTypeScan", "UnionNodeByLabelsScan")


def _scans(server: Neo4jServer, queries: list[tuple[str, str, dict[str, object]]]) -> list[str]:
    """The scans in each query's plan, as the server plans it now."""
    import neo4j

    found = []
    with neo4j.GraphDatabase.driver(server.uri, auth=None, warn_notification_severity="OFF") as driver:
        for name, text, params in queries:
            with driver.session() as session:
                plan = session.run("EXPLAIN " + text.replace("CYPHER replan=skip", ""), params).consume().plan
            stack = [plan]
            while stack:
                step = stack.pop()
                operator = str(step["operatorType"]).split("@")[0]
                if any(s in operator for s in SCANS):
                    found.append(f"{name}: {operator} {step.get('args', {}).get('Details', '')}")
                stack += step.get("children", [])
    return found


def test_searches_planned_on_an_empty_database_scan_nothing(fresh_neo4j: Neo4jServer) -> None:
    """The server plans the searches at start, often on a database still empty, and the texts that say
    `replan=skip` keep those plans: each must start from its asset's key and walk from there, never scan. (The
    column search, planned on a database without columns, scanned every column: it is planned again instead.)"""
    searches = [
        (q.name, q.lint_text(), {name: SAMPLES[p.type] for name, p in q.params.items()})
        for q in QuerySet("neo4j")
        if "replan=skip" in q.text
    ]
    assert len(searches) >= 8
    assert not _scans(fresh_neo4j, searches), "\n".join(_scans(fresh_neo4j, searches))
    scanning = "MATCH (s:AssetColumn {key: $key}) MATCH p = ANY SHORTEST (s)<-[:DERIVES]-{1,5}(t:AssetColumn) RETURN t"
    assert _scans(fresh_neo4j, [("control", scanning, {"key": ""})]), "the check must see the scan it exists for"
