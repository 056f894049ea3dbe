"""AssetShipper through the API: files that load back equal, an OpenLineage exporter against a real HTTP
receiver, and failures reported rather than raised."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import amazon.ion.simpleion as ion
import pytest
from litestar.testing import TestClient

from app.asgi import create_app
from app.settings import Settings
from app.store.base import GraphStore
from tests.api.test_assets_api import problem
from tests.api.test_expressions_api import record_reference_flows
from tests.contract.helpers import flow_yaml


class Receiver:
    """A real HTTP server that records what OpenLineage clients post to it."""

    def __init__(self) -> None:
        received: list[tuple[str, dict]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.path, json.loads(body)))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.received = received
        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def client(store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    """The API with this machine's loopback receivers allowed as OpenLineage destinations."""
    app = create_app(Settings(data_dir=tmp_path / "unused", ship_allow="127.0.0.1"), store=store)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def listing(client: TestClient, base: str) -> dict[str, dict]:
    results = client.get(f"{base}/assets", params={"size": 1000}).json()["results"]
    return {a["id"]: {k: v for k, v in a.items() if v is not None} for a in results}


def test_json_and_ion_exports_load_back_equal(client: TestClient, base: str) -> None:
    record_reference_flows(client, base)
    expected = listing(client, base)
    for fmt, load in (
        ("JSON", lambda text: [json.loads(line) for line in text.splitlines()]),
        ("ION", lambda text: list(ion.loads(text, single_value=False))),
    ):
        spec = flow_yaml("ship_asset_to_file").replace("format: ION", f"format: {fmt}")
        r = client.post(f"{base}/ship", content=spec)
        assert r.status_code == 200, r.text
        (exporter,) = r.json()["exporters"]
        assert exporter["shipped"] == len(expected) == r.json()["assets"] and exporter["format"] == fmt
        download = client.get(exporter["uri"])
        assert download.status_code == 200
        loaded = load(download.text)
        assert {a["id"]: a for a in loaded} == expected, fmt
    problem(client.get(f"{base}/ship/files/../../etc/passwd"), 404)
    problem(client.get(f"{base}/ship/files/{'0' * 32}.ion"), 404)


def test_filters_choose_what_ships(client: TestClient, base: str) -> None:
    record_reference_flows(client, base)
    spec = {
        "assetExporters": [{"id": "f", "type": "io.kestra.plugin.ee.assets.FileAssetExporter", "format": "JSON"}],
        "metadata": {"model_layer": "mart"},
    }
    r = client.post(f"{base}/ship", json=spec)
    rows = [json.loads(x) for x in client.get(r.json()["exporters"][0]["uri"]).text.splitlines()]
    assert sorted(a["id"] for a in rows) == ["avg_passenger_count", "avg_trip_distance"]


def test_openlineage_exporter_to_a_real_receiver(client: TestClient, base: str, receiver: Receiver, ol_spec) -> None:  # type: ignore[no-untyped-def]
    record_reference_flows(client, base)
    spec = flow_yaml("ship_asset_to_openlineage").replace("http://host.docker.internal:5000", receiver.url)
    r = client.post(f"{base}/ship", content=spec)
    assert r.status_code == 200
    (exporter,) = r.json()["exporters"]
    assert exporter["shipped"] == 7 and exporter.get("failed", 0) == 0
    assert len(receiver.received) == 7 and {p for p, _ in receiver.received} == {"/api/v1/lineage"}
    events = {e["dataset"]["facets"]["kestra_asset"]["id"]: e for _, e in receiver.received}
    for event in events.values():
        ol_spec.assert_valid(event)
    trips = events["trips"]["dataset"]
    # the reference's mapping: Table datasets take the asset's namespace as their namespace
    assert (trips["namespace"], trips["name"]) == ("kestra.company.data", "trips")
    assert trips["facets"]["datasetType"]["datasetType"] == "TABLE"
    assert trips["facets"]["symlinks"]["identifiers"] == [
        {"namespace": f"kestra://{base.split('/')[3]}", "name": "trips", "type": "ASSET"}
    ]
    assert trips["facets"]["kestra_asset"]["metadata"] == {
        "database": "sqlite",
        "table": "trips",
        "model_layer": "staging",
    }
    bucket = events["kestra-data-bucket"]["dataset"]
    assert bucket["facets"]["kestra_asset"]["type"] == "AWS_BUCKET"


def test_unreachable_receiver_is_a_reported_failure(client: TestClient, base: str) -> None:
    record_reference_flows(client, base)
    spec = flow_yaml("ship_asset_to_openlineage").replace("host.docker.internal:5000", "127.0.0.1:9")
    r = client.post(f"{base}/ship", content=spec)
    assert r.status_code == 200
    (exporter,) = r.json()["exporters"]
    assert exporter.get("shipped", 0) == 0 and exporter["failed"] == 7
    assert "unreachable" in exporter["failures"][-1]


def test_bad_ship_requests(client: TestClient, base: str) -> None:
    problem(client.post(f"{base}/ship", content="id: x\nnamespace: y\ntasks: []\n"), 422, "assetExporters")
    problem(client.post(f"{base}/ship", json={"assetExporters": [{"id": "a", "type": "Nope"}]}), 422, "assetExporters")
    problem(
        client.post(
            f"{base}/ship",
            json={"assetExporters": [{"id": "a", "type": "io.kestra.plugin.ee.openlineage.OpenLineageAssetExporter"}]},
        ),
        422,
        "assetExporters",
    )
