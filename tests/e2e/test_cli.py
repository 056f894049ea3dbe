"""`lineage assets|flows|impact|upstream|import|export` as scripts use them: exit codes, output formats, the
local store and a remote server behaving alike."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli.explore import to_dot
from tests import neo4j_server as test_neo4j
from tests.conftest import BACKENDS
from tests.e2e.server import Server

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "tests" / "data" / "flows"


@dataclass(frozen=True)
class Workdir:
    """Where local commands run, and the environment that picks their store (./data, or NEO4J_URI)."""

    path: Path
    env: dict[str, str]


def lineage(*args: str, cwd: Path | Workdir, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LINEAGE_", "NEO4J_"))}
    if isinstance(cwd, Workdir):
        env, cwd = {**cwd.env, **(env or {})}, cwd.path
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module", params=BACKENDS)
def recorded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workdir]:
    """A working directory whose local store holds the reference pipeline: ./data, or the session's Neo4j
    (emptied first; local commands reach it through NEO4J_URI as a user's shell would)."""
    cwd = Workdir(tmp_path_factory.mktemp("cli"), {})
    if request.param == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        test_neo4j.wipe(server)
        cwd = Workdir(cwd.path, {"NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password})
    done = lineage("flows", "record", str(FLOWS / "data_pipeline_assets.yaml"), "--id", "run-1", cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert "create_staging_layer_asset" in done.stdout
    yield cwd
    if request.param == "neo4j":
        test_neo4j.wipe(request.getfixturevalue("neo4j_server"))


def test_exit_codes(recorded: Workdir) -> None:
    assert lineage("assets", "get", "trips", cwd=recorded).returncode == 0
    missing = lineage("assets", "get", "nope", cwd=recorded)
    assert missing.returncode == 1 and "does not exist" in missing.stderr and missing.stdout == ""
    bad = lineage("assets", "list", "--size", "0", cwd=recorded)
    assert bad.returncode == 2 and "size" in bad.stderr
    no_type = lineage("assets", "put", "x", cwd=recorded)
    assert no_type.returncode == 2 and "--type" in no_type.stderr
    assert lineage("assets", "frobnicate", cwd=recorded).returncode == 2  # argparse usage error
    for args in (
        ["flows", "record", "missing.yaml"],
        ["import", "missing.jsonl"],
        ["assets", "put", "x", "--file", "/"],
    ):
        unreadable = lineage(*args, cwd=recorded)  # a file named on the command line: a message, not a traceback
        assert (
            unreadable.returncode == 2
            and unreadable.stderr.startswith("lineage: ")
            and "Traceback" not in unreadable.stderr
        )
    down = lineage("impact", "trips", "--server", "http://127.0.0.1:9", cwd=recorded)
    assert down.returncode == 4 and "cannot reach" in down.stderr


def test_json_outputs_are_the_api_answers(recorded: Workdir) -> None:
    impact = json.loads(lineage("impact", "trips", "--format", "json", cwd=recorded).stdout)
    assert impact["total"] == 2
    assert [r["id"] for r in impact["results"]] == ["avg_passenger_count", "avg_trip_distance"]
    assert impact["results"][0]["via"][0]["executionId"] == "run-1"
    up = json.loads(lineage("upstream", "avg_trip_distance", "--depth", "1", "--format", "json", cwd=recorded).stdout)
    assert [(r["id"], r["distance"]) for r in up["results"]] == [("trips", 1)]
    asset = json.loads(lineage("assets", "get", "trips", "--format", "json", cwd=recorded).stdout)
    assert asset["createdBy"] == "run-1" and asset["metadata"] == {"model_layer": "staging"}


def test_dot_is_the_lineage_subgraph(recorded: Workdir) -> None:
    done = lineage("impact", "sample_data.nyc.taxi", "--format", "dot", cwd=recorded)
    assert done.returncode == 0, done.stderr
    dot = done.stdout
    for asset in ("sample_data.nyc.taxi", "trips", "avg_passenger_count", "avg_trip_distance"):
        assert f'label="{asset}"' in dot or f"label={asset}" in dot
    assert dot.count("label=read") == 3 and dot.count("label=wrote") == 3  # staging run + two mart runs


def test_dot_names_survive_colons_quotes_and_markup() -> None:
    graph = {
        "nodes": [
            {"key": "asset:s3://b/k", "kind": "asset", "id": 's3://b/"k"\\', "side": "center"},
            {"key": "run:x", "kind": "run", "flowId": "f", "taskId": "t", "value": "[bold]v"},
        ],
        "edges": [{"source": "asset:s3://b/k", "target": "run:x", "type": "READ"}],
    }
    dot = to_dot(graph)
    assert "n0 -> n1" in dot  # never `asset:s3` read as node `asset`, port `s3`
    assert 'label="s3://b/\\"k\\"\\\\"' in dot
    assert "[bold]v" in dot


def test_tables_print_data_not_markup(recorded: Workdir) -> None:
    put = lineage("assets", "put", "[red]x", "--type", "T", "--namespace", "n", cwd=recorded)
    assert put.returncode == 0, put.stderr
    listing = lineage("assets", "list", "--namespace", "n", cwd=recorded)
    assert "[red]x" in listing.stdout


def test_put_delete_and_revive(recorded: Workdir) -> None:
    put = lineage(
        "assets", "put", "orders", "--type", "io.kestra.core.models.assets.Table",
        "--metadata", "rows=12", "--metadata", "system=postgres", "--namespace", "sales", cwd=recorded,
    )  # fmt: skip
    asset = json.loads(put.stdout)
    assert asset["type"] == "io.kestra.plugin.ee.assets.Table" and asset["metadata"] == {
        "rows": 12,
        "system": "postgres",
    }
    assert lineage("assets", "delete", "orders", cwd=recorded).returncode == 0
    listed = json.loads(lineage("assets", "list", "--namespace", "sales", "--format", "json", cwd=recorded).stdout)
    assert listed["total"] == 0
    listed = json.loads(
        lineage("assets", "list", "--namespace", "sales", "--deleted", "--format", "json", cwd=recorded).stdout
    )
    assert [a["deleted"] for a in listed["results"]] == [True]
    assert lineage("assets", "put", "orders", "--type", "T", "--namespace", "sales", cwd=recorded).returncode == 0
    assert json.loads(lineage("assets", "get", "orders", "--format", "json", cwd=recorded).stdout)["deleted"] is False


def test_record_with_multiselect_inputs(tmp_path: Path) -> None:
    done = lineage(
        "flows", "record", str(FLOWS / "infra_assets.yaml"), "--input", "teams=Data", "--input", "teams=Product",
        "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)["taskRuns"]
    assert [(r["value"], r["outputs"]) for r in runs] == [
        ("Data", ["kestra-data-bucket"]),
        ("Product", ["kestra-product-bucket"]),
    ]
    bad = lineage("flows", "record", str(FLOWS / "infra_assets.yaml"), "--input", "teams", cwd=tmp_path)
    assert bad.returncode == 2 and "key=value" in bad.stderr


def test_export_import_round_trip_and_partial_failure(recorded: Workdir, tmp_path: Path) -> None:
    out = tmp_path / "assets.jsonl"
    done = lineage("export", "--output", str(out), cwd=recorded)
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert {"trips", "sample_data.nyc.taxi"} <= {a["id"] for a in exported}
    imported = lineage("import", str(out), "--tenant", "copy", cwd=recorded)
    assert imported.returncode == 0, imported.stderr
    again = [json.loads(line) for line in lineage("export", "--tenant", "copy", cwd=recorded).stdout.splitlines()]
    strip = ("tenantId", "created", "updated", "createdBy")
    assert [{k: v for k, v in a.items() if k not in strip} for a in again] == [
        {k: v for k, v in a.items() if k not in strip} for a in exported
    ]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "ok1", "type": "T"}\nnot json\n{"id": "", "type": "T"}\n{"id": "ok2", "type": "T"}\n')
    partial = lineage("import", str(broken), "--tenant", "copy2", cwd=recorded)
    assert partial.returncode == 1
    assert "imported 2 of 4" in partial.stderr and "line 2" in partial.stderr and "line 3" in partial.stderr
    ids = {json.loads(line)["id"] for line in lineage("export", "--tenant", "copy2", cwd=recorded).stdout.splitlines()}
    assert ids == {"ok1", "ok2"}


def test_server_mode_with_tokens(tmp_path: Path) -> None:
    auth = tmp_path / "auth.yaml"
    made = lineage("token", "create", "--auth-file", str(auth), "--grant", "kestra.company:editor", cwd=tmp_path)
    viewer = lineage("token", "create", "--auth-file", str(auth), "--grant", "kestra.company:viewer", cwd=tmp_path)
    editor_token, viewer_token = made.stdout.strip(), viewer.stdout.strip()
    with Server(tmp_path / "data", "--auth-file", str(auth)) as server:
        remote = ("--server", server.url)
        rec = lineage("flows", "record", str(FLOWS / "data_pipeline_assets.yaml"), *remote, "--token", editor_token,
                      cwd=tmp_path)  # fmt: skip
        assert rec.returncode == 0, rec.stderr
        impact = lineage(
            "impact", "trips", "--format", "json", *remote, cwd=tmp_path, env={"LINEAGE_TOKEN": viewer_token}
        )
        assert json.loads(impact.stdout)["total"] == 2
        assert lineage("impact", "trips", *remote, cwd=tmp_path).returncode == 3  # no token
        denied = lineage("assets", "delete", "trips", *remote, "--token", viewer_token, cwd=tmp_path)
        assert denied.returncode == 3 and "403" in denied.stderr
        # The server holds ./data: a local command says so instead of hanging or corrupting it.
        locked = lineage("assets", "list", "--data-dir", str(tmp_path / "data"), cwd=tmp_path)
        assert locked.returncode == 4 and "cannot open the local store" in locked.stderr


def test_help_has_examples(tmp_path: Path) -> None:
    for command in (["impact"], ["assets", "list"], ["flows", "record"], ["import"], ["export"]):
        done = lineage(*command, "--help", cwd=tmp_path)
        assert done.returncode == 0 and "example" in done.stdout and "exit codes" in done.stdout


def test_local_mode_needs_no_token_even_when_the_server_uses_an_auth_file(recorded: Workdir, tmp_path: Path) -> None:
    auth = tmp_path / "auth.yaml"
    assert lineage("token", "create", "--auth-file", str(auth), "--admin", cwd=tmp_path).returncode == 0
    done = lineage("assets", "get", "trips", "--format", "json", cwd=recorded, env={"LINEAGE_AUTH_FILE": str(auth)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "trips"


def test_ship_locally_and_on_a_server(recorded: Workdir, tmp_path: Path) -> None:
    spec = FLOWS / "ship_asset_to_file.yaml"
    done = lineage("ship", str(spec), cwd=recorded)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    [exporter] = result["exporters"]
    assert exporter["shipped"] >= 4 and not exporter.get("failed")  # the reference pipeline's assets
    bad = lineage("ship", str(FLOWS / "data_pipeline_assets.yaml"), cwd=recorded)  # a flow with no shipper
    assert bad.returncode == 2 and "assetExporters" in bad.stderr
    assert lineage("ship", str(tmp_path / "missing.yaml"), cwd=recorded).returncode == 2
    with Server(tmp_path / "data") as server:
        assert (
            lineage("flows", "record", str(FLOWS / "upload_file.yaml"), "--server", server.url, cwd=tmp_path).returncode
            == 0
        )
        remote = lineage("ship", str(spec), "--server", server.url, cwd=tmp_path)
        assert remote.returncode == 0, remote.stderr
        assert json.loads(remote.stdout)["exporters"][0]["shipped"] == 2  # kestra-data-bucket, raw_customer


def test_openlineage_replay_and_column_impact(recorded: Workdir, tmp_path: Path) -> None:
    corpus = tmp_path / "events.jsonl"
    corpus.write_text("".join(p.read_text() for p in sorted((ROOT / "tests" / "data" / "openlineage").glob("*.jsonl"))))
    done = lineage("import", str(corpus), "--tenant", "ol", cwd=recorded)
    assert done.returncode == 0, done.stderr
    assert "applied 17 of 17 OpenLineage events" in done.stderr
    raw = "postgres://localhost:5432/dbt_test.main.raw_orders"
    answer = lineage("impact", raw, "--column", "amount", "--format", "json", "--tenant", "ol", cwd=recorded)
    assert answer.returncode == 0, answer.stderr
    reached = {
        (i["assetId"].rsplit(".", 1)[-1], i["column"], i["distance"]) for i in json.loads(answer.stdout)["items"]
    }
    assert reached == {
        ("stg_orders", "amount", 1),
        ("stg_orders", "completed_amount", 1),
        ("customer_analytics", "avg_order_value", 2),
        ("customer_analytics", "total_revenue", 2),
    }
    table = lineage("upstream", "file//tmp/cll_test/tbl1", "--column", "agg", "--tenant", "ol", cwd=recorded)
    assert table.returncode == 0 and "DIRECT/AGGREGATION" in table.stdout, table.stdout + table.stderr
    assert lineage("impact", raw, "--column", "nope", "--tenant", "ol", cwd=recorded).returncode == 1
    # the pull feed, saved and replayed into another tenant, gives the same column answer
    feed = tmp_path / "feed.jsonl"
    assert lineage("export", "--openlineage", "--output", str(feed), "--tenant", "ol", cwd=recorded).returncode == 0
    replayed = lineage("import", str(feed), "--tenant", "ol2", cwd=recorded)
    assert replayed.returncode == 0, replayed.stderr
    again = lineage("impact", raw, "--column", "amount", "--format", "json", "--tenant", "ol2", cwd=recorded)
    assert {
        (i["assetId"].rsplit(".", 1)[-1], i["column"], i["distance"]) for i in json.loads(again.stdout)["items"]
    } == reached


def test_impact_summary_and_export(recorded: Workdir, tmp_path: Path) -> None:
    table = lineage("impact", "sample_data.nyc.taxi", "--summary", cwd=recorded)
    assert table.returncode == 0, table.stderr
    assert "3 asset(s) downstream of sample_data.nyc.taxi: 3 visible, 0 hidden, 0 deleted" in table.stdout
    assert "per namespace" in table.stdout and "per metadata owner" in table.stdout
    answer = json.loads(lineage("impact", "sample_data.nyc.taxi", "--summary", "--format", "json",
                                "--key", "model_layer", cwd=recorded).stdout)  # fmt: skip
    assert answer["total"] == 3 and [d["count"] for d in answer["byDistance"]] == [1, 2]
    assert {v["value"] for v in answer["byMetadata"]["model_layer"]["values"]} <= {"staging", "mart"}

    done = lineage("impact", "sample_data.nyc.taxi", "--format", "csv", "--key", "model_layer", cwd=recorded)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["id"], r["distance"]) for r in rows] == [("trips", "1"), ("avg_passenger_count", "2"),
                                                        ("avg_trip_distance", "2")]  # fmt: skip
    assert json.loads(rows[1]["route"]) == ["trips"] and rows[1]["executionId"] == "run-1"
    assert "metadata.model_layer" in rows[0]

    out = tmp_path / "up.ndjson"
    done = lineage("upstream", "avg_trip_distance", "--format", "ndjson", "--output", str(out), cwd=recorded)
    assert done.returncode == 0 and "wrote" in done.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["id"], r["distance"], r.get("route", [])) for r in lines] == [
        ("trips", 1, []),
        ("sample_data.nyc.taxi", 2, ["trips"]),
    ]
    missing = lineage("impact", "nope", "--format", "csv", cwd=recorded)
    assert missing.returncode == 1 and "404" in missing.stderr and missing.stdout == ""
    too_many = lineage("impact", "trips", "--summary", *[f"--key=k{i}" for i in range(6)], cwd=recorded)
    assert too_many.returncode == 2 and "keys" in too_many.stderr


def test_export_streams_over_http_under_the_callers_grants(tmp_path: Path) -> None:
    auth = tmp_path / "auth.yaml"
    editor = lineage("token", "create", "--auth-file", str(auth), "--grant", "*:editor", cwd=tmp_path).stdout.strip()
    narrow = lineage("token", "create", "--auth-file", str(auth), "--grant", "nowhere:viewer", cwd=tmp_path)
    with Server(tmp_path / "data", "--auth-file", str(auth)) as server:
        remote = ("--server", server.url, "--token", editor)
        rec = lineage("flows", "record", str(FLOWS / "data_pipeline_assets.yaml"), *remote, cwd=tmp_path)
        assert rec.returncode == 0, rec.stderr
        full = lineage("impact", "trips", "--format", "ndjson", *remote, cwd=tmp_path)
        assert [json.loads(line)["id"] for line in full.stdout.splitlines()] == ["avg_passenger_count",
                                                                                 "avg_trip_distance"]  # fmt: skip
        # a caller who cannot read the asset gets the same 404 as for one that does not exist
        hidden = lineage("impact", "trips", "--format", "csv", "--server", server.url, "--token",
                         narrow.stdout.strip(), cwd=tmp_path)  # fmt: skip
        assert hidden.returncode == 1 and "404" in hidden.stderr and hidden.stdout == ""


def test_which_flows_read_an_asset(recorded: Workdir) -> None:
    answer = json.loads(lineage("assets", "readers", "sample_data.nyc.taxi", "--format", "json", cwd=recorded).stdout)
    assert [(f["namespace"], f["flowId"]) for f in answer["flows"]] == [("kestra.company.data", "data_pipeline_assets")]
    table = lineage("assets", "readers", "trips", "--days", "1", cwd=recorded)
    assert table.returncode == 0 and "data_pipeline_assets" in table.stdout and "flows that read trips" in table.stdout
