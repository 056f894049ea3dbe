"""The lineage explorer page in headless Chromium, on the reference scenario, against a running server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx

from app.auth import check_grant, create_token
from tests.contract.helpers import flow_yaml
from tests.e2e.browser import ARTIFACTS, chromium
from tests.e2e.server import Server

SCREENSHOTS = Path(__file__).resolve().parents[1] / "data" / "screenshots"


def record_reference_flows(url: str, headers: dict[str, str] | None = None) -> None:
    api = httpx.Client(base_url=f"{url}/api/v1/main", headers=headers or {}, timeout=30)
    for body in (
        {"flow": flow_yaml("infra_assets"), "inputs": {"teams": ["Data", "Finance"]}},
        {"flow": flow_yaml("upload_file")},
        {"flow": flow_yaml("data_pipeline_assets")},
    ):
        assert api.post("/executions", json=body).status_code == 201


def save(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENSHOTS / name)
    return path


def test_search_asset_page_graph_and_recentre(tmp_path: Path, serve_flags: list[str]) -> None:
    with Server(tmp_path / "data", *serve_flags) as server, chromium() as browser:
        record_reference_flows(server.url)
        page = browser.new_page(viewport={"width": 1280, "height": 1100}, bypass_csp=True)  # for wait_for_function
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{server.url}/")
        page.fill("#search-q", "trips")
        page.click("#search-button")
        page.wait_for_selector("a.asset-link[data-id='trips']")
        assert page.inner_text("#result-count") == "1 asset"
        save(page, "search.png")

        # the other filters: type (either spelling), namespace and metadata, combined
        page.fill("#search-q", "")
        page.fill("input[name=type]", "io.kestra.core.models.assets.Table")
        page.fill("input[name=namespace]", "kestra.company")
        page.fill("input[name=metadata]", "model_layer=mart")
        page.click("#search-button")
        page.wait_for_selector("a.asset-link[data-id='avg_trip_distance']")
        assert page.inner_text("#result-count") == "2 assets"
        ids = page.eval_on_selector_all("a.asset-link", "links => links.map(a => a.dataset.id)")
        assert ids == ["avg_passenger_count", "avg_trip_distance"]
        page.fill("input[name=metadata]", "provider=s3")
        page.fill("input[name=type]", "")
        page.click("#search-button")
        page.wait_for_selector("a.asset-link[data-id='kestra-data-bucket']")  # the count alone was 2 before too
        assert page.inner_text("#result-count") == "2 assets"
        ids = page.eval_on_selector_all("a.asset-link", "links => links.map(a => a.dataset.id)")
        assert ids == ["kestra-data-bucket", "kestra-finance-bucket"]
        page.fill("#search-q", "trips")
        page.fill("input[name=namespace]", "")
        page.fill("input[name=metadata]", "")
        page.click("#search-button")
        page.wait_for_selector("a.asset-link[data-id='trips']")

        page.click("a.asset-link[data-id='trips']")
        page.wait_for_selector("#graph[data-ready='true']")
        page.wait_for_selector("#downstream-table")
        page.wait_for_selector("#impact-summary[data-ready='true']")
        assert page.inner_text("#asset-title").startswith("trips")
        assert page.inner_text("#impact-count") == "Changing this affects 2 downstream assets."
        downstream = page.eval_on_selector_all("#downstream-table tbody tr", "rows => rows.map(r => r.innerText)")
        assert [row.split("\t")[0] for row in downstream] == ["avg_passenger_count", "avg_trip_distance"]
        assert all("Table" in row for row in downstream)
        upstream = page.eval_on_selector_all("#upstream-table tbody tr", "rows => rows.map(r => r.innerText)")
        assert len(upstream) == 1 and upstream[0].startswith("sample_data.nyc.taxi") and "External" in upstream[0]
        graph = page.evaluate("window.lineageGraph")
        sides = sorted((n["id"], n.get("side")) for n in graph["nodes"] if n["kind"] == "asset")
        assert sides == [
            ("avg_passenger_count", "downstream"),
            ("avg_trip_distance", "downstream"),
            ("sample_data.nyc.taxi", "upstream"),
            ("trips", "center"),
        ]
        # each task run joins one asset to one other: drawn as the edge itself, carrying its task and execution
        runs = [e for e in graph["edges"] if e["type"] == "FEEDS"]
        assert len(runs) == 3 and all(e["taskId"] and e["executionId"] for e in runs)
        assert not [n for n in graph["nodes"] if n["kind"] == "execution"]
        assert "kestra.company.data" in page.inner_text("#usages-table")
        save(page, "asset-page.png")

        # click the node in the drawn graph: the page re-centres on it
        click_node(page, "window.cy.getElementById('asset:avg_trip_distance')")
        page.wait_for_function(
            "document.querySelector('#asset-title') && "
            "document.querySelector('#asset-title').innerText.startsWith('avg_trip_distance')"
        )
        page.wait_for_selector("#graph[data-ready='true']")
        page.wait_for_selector("#impact-summary[data-ready='true']")
        assert page.url.endswith("#/asset/avg_trip_distance")
        assert page.inner_text("#impact-count") == "Changing this affects 0 downstream assets."
        page.wait_for_selector("#upstream-table")
        ups = page.eval_on_selector_all(
            "#upstream-table tbody tr", "rows => rows.map(r => r.innerText.split('\\t')[0])"
        )
        assert ups == ["trips", "sample_data.nyc.taxi"]
        assert not errors, errors


def test_token_is_asked_once_and_kept_for_the_session(tmp_path: Path) -> None:
    auth = tmp_path / "auth.yaml"
    token = create_token(auth, tenant="main", grants=[check_grant("kestra.company.data:viewer")])
    admin = create_token(auth, tenant="main", grants=[], admin=True)
    with Server(tmp_path / "data", "--auth-file", str(auth)) as server, chromium() as browser:
        record_reference_flows(server.url, {"Authorization": f"Bearer {admin}"})
        page = browser.new_page()
        page.goto(f"{server.url}/#/search?q=bucket")
        page.wait_for_selector("#token-dialog[open]")
        page.fill("#token-input", token)
        page.click("#token-form button")
        page.wait_for_selector("#result-count")
        # the viewer of kestra.company.data does not see the infra buckets
        assert page.inner_text("#result-count") == "0 assets"
        page.goto(f"{server.url}/#/search?q=trips")
        page.reload()
        page.wait_for_selector("a.asset-link[data-id='trips']")
        assert not page.is_visible("#token-dialog[open]")


def test_a_fan_out_draws_a_few_siblings_and_a_group_that_expands(tmp_path: Path, serve_flags: list[str]) -> None:
    with Server(tmp_path / "data", *serve_flags) as server, chromium() as browser:
        api = httpx.Client(base_url=f"{server.url}/api/v1/main", timeout=30)
        fan_out = {
            "namespace": "company.team",
            "flowId": "fan",
            "taskRuns": [
                {
                    "taskId": f"t{n}",
                    "assets": {"inputs": [{"id": "source"}], "outputs": [{"id": f"out{n:03d}", "type": "T"}]},
                }
                for n in range(250)
            ],
        }
        assert api.post("/executions", json=fan_out).status_code == 201
        page = browser.new_page(viewport={"width": 1280, "height": 1100}, bypass_csp=True)
        page.goto(f"{server.url}/#/asset/source")
        page.wait_for_selector("#graph[data-ready='true']")
        page.wait_for_selector("#impact-summary[data-ready='true']")
        assert page.inner_text("#impact-count") == "Changing this affects 250 downstream assets."
        assert not page.locator("#graph-note").is_visible()
        groups = page.evaluate("window.cy.nodes('[kind = \"group\"]').map(n => n.data('label'))")
        assert groups == ["+242 in company.team (T)"]
        drawn = page.evaluate("window.cy.nodes('[kind = \"asset\"]').map(n => n.data('assetId')).sort()")
        assert drawn == ["out000", "out001", "out002", "out003", "out004", "out005", "out006", "out007", "source"]

        # lines inserted above the drawing after it was drawn (a slow summary) move its canvas: a click still lands
        # on the node under the pointer
        page.evaluate("document.querySelector('#impact-summary').prepend(Object.assign(document.createElement('div'),"
                      " {style: 'height: 120px'}))")  # fmt: skip
        click_group(page)
        expanded(page, 1)
        assert page.evaluate("window.cy.nodes('[kind = \"asset\"]').length") == 29
        assert page.evaluate("window.cy.nodes('[kind = \"group\"]').map(n => n.data('label'))") == [
            "+222 in company.team (T)"
        ]
        page.goto(f"{server.url}/#/asset/out001")
        page.wait_for_function(
            "(document.querySelector('#asset-title') || {innerText: ''}).innerText.startsWith('out001')"
        )
        page.wait_for_selector("#graph[data-ready='true']")
        assert page.evaluate("window.cy.nodes('[kind = \"group\"]').length") == 0


def expanded(page, times: int) -> None:  # type: ignore[no-untyped-def]
    """Wait until groups were expanded `times` times in this drawing."""
    page.wait_for_function(f"(document.querySelector('#graph') || {{dataset: {{}}}}).dataset.expanded === '{times}'")


def click_node(page, node: str) -> None:  # type: ignore[no-untyped-def]
    """Bring a node of the drawing (a JavaScript expression) to the middle of the canvas and click it with the
    mouse, as a user does; the canvas is first scrolled into view, so that the point clicked is the node's."""
    page.locator("#graph").scroll_into_view_if_needed()
    pos = page.evaluate(
        f"(() => {{ const n = {node}; window.cy.center(n); const p = n.renderedPosition();"
        " return {x: p.x, y: p.y}; })()"
    )
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def click_group(page, index: int = 0) -> None:  # type: ignore[no-untyped-def]
    click_node(page, f"window.cy.nodes('[kind = \"group\"]')[{index}]")


def test_asset_page_lists_columns_and_draws_column_lineage_on_demand(tmp_path: Path, serve_flags: list[str]) -> None:
    corpus = Path(__file__).resolve().parents[1] / "data" / "openlineage" / "dbt_csv_to_postgres.jsonl"
    with Server(tmp_path / "data", *serve_flags) as server, chromium() as browser:
        r = httpx.post(f"{server.url}/api/v1/main/openlineage/batch", content=corpus.read_bytes(), timeout=30)
        assert r.status_code == 200 and r.json()["failed"] == 0
        page = browser.new_page(viewport={"width": 1280, "height": 1400}, bypass_csp=True)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        stg = "postgres://localhost:5432/dbt_test.main.stg_orders"
        page.goto(f"{server.url}/#/asset/{stg.replace('/', '%2F')}")
        page.wait_for_selector("#columns-table")
        names = page.eval_on_selector_all(
            "#columns-table tbody tr", "rows => rows.map(r => r.innerText.split('\\t')[0])"
        )
        assert names == ["amount", "completed_amount", "customer_id", "order_date", "order_id", "status"]
        page.click("button.column-button[data-column='completed_amount'][data-kind='impact']")
        page.wait_for_selector("#column-graph[data-ready='true'], #column-lineage .error")
        assert not page.query_selector("#column-lineage .error"), page.inner_text("#column-lineage")
        rows = page.eval_on_selector_all("#column-lineage-table tbody tr", "rows => rows.map(r => r.innerText)")
        assert [row.split("\t")[2] for row in rows] == ["avg_order_value", "total_revenue"]
        drawn = page.evaluate("window.columnGraph")
        assert sorted(n["column"] for n in drawn["nodes"]) == ["avg_order_value", "completed_amount", "total_revenue"]
        assert "customer_analytics.total_revenue" in [n["label"] for n in drawn["nodes"]]
        assert len(drawn["edges"]) == 2
        page.click("button.column-button[data-column='completed_amount'][data-kind='upstream']")
        page.wait_for_function(
            "(document.querySelector('#column-lineage h3') || {innerText: ''}).innerText.includes('upstream')"
        )
        rows = page.eval_on_selector_all("#column-lineage-table tbody tr", "rows => rows.map(r => r.innerText)")
        assert [row.split("\t")[2] for row in rows] == ["amount", "status"]
        page.wait_for_selector("#graph[data-ready='true']")
        page.wait_for_selector("#downstream-table")
        save(page, "column-lineage.png")
        assert not errors, errors


def test_an_assets_failing_checks_show_at_the_top(tmp_path: Path, serve_flags: list[str]) -> None:
    """dbt's test results about a table (OpenLineage `dataQualityAssertions`): a failing one is said above the graph,
    and every check's latest result is listed."""
    facet = {
        "_producer": "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python",
        "_schemaURL": "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json",
        "assertions": [
            {"assertion": "not_null", "success": True, "column": "order_id"},
            {"assertion": "accepted_values", "success": False, "column": "status", "actual": "1"},
        ],
    }
    event = {
        "eventType": "FAIL",
        "eventTime": "2026-11-01T10:00:00Z",
        "producer": facet["_producer"],
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "01a242d0-32d1-7dc6-9813-2f75473e4b82"},
        "job": {"namespace": "dbt", "name": "test.jaffle.accepted_values_stg_orders_status"},
        "inputs": [{"namespace": "duckdb", "name": "stg_orders", "inputFacets": {"dataQualityAssertions": facet}}],
        "outputs": [],
    }
    with Server(tmp_path / "data", *serve_flags) as server, chromium() as browser:
        assert httpx.post(f"{server.url}/api/v1/lineage", json=event, timeout=30).status_code == 200
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        page.goto(f"{server.url}/#/asset/duckdb%2Fstg_orders")
        page.wait_for_selector("#checks-table")
        assert page.inner_text("#checks-line") == "1 check failing"
        rows = page.eval_on_selector_all("#checks-table tbody tr", "rows => rows.map(r => r.innerText)")
        assert any("accepted_values" in r and "FAIL" in r for r in rows) and any(
            "not_null" in r and "pass" in r for r in rows
        )
        save(page, "checks.png")
