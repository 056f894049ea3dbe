"""Every Cypher file the Neo4j backend runs passes Neo4j's own parser and semantic analysis.

There is no Neo4j server here, so the check is `lintCypherQuery` from npm `@neo4j-cypher/language-support`
(the compiled Neo4j front end), with the file's declared parameters and the graph model's labels,
relationship types and property keys: any diagnostic, error or warning, fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.store import model
from app.store.queries import CYPHER_DIR, dialect_files, is_ddl, parse_file, split_statements

HERE = Path(__file__).resolve().parent
SAMPLES: dict[str, object] = {
    "string": "",
    "integer": 0,
    "float": 0.0,
    "boolean": True,
    "list<string>": [""],
    "map": {},
    "list<map>": [{}],
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
    files = []
    for path in dialect_files("neo4j"):
        if is_ddl(path):
            for i, statement in enumerate(split_statements(path.read_text())):
                files.append({"path": f"{path.relative_to(CYPHER_DIR)}#{i + 1}", "text": statement, "parameters": {}})
            continue
        query = parse_file(path, "neo4j")
        params = {name: SAMPLES[p.type] for name, p in query.params.items()}
        files.append({"path": str(path.relative_to(CYPHER_DIR)), "text": query.lint_text(), "parameters": params})
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
