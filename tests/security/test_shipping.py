"""The AssetShipper is not an open proxy (issue 21, item 6): destinations come from the operator's allow-list,
redirects are not followed, and a failure reads the same whether the port was closed or silent. Real HTTP
receivers on loopback; both backends."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from litestar.testing import TestClient

from app.asgi import create_app
from app.settings import Settings
from app.store.base import GraphStore
from tests.api.test_assets_api import problem

EXPORTER = "io.kestra.plugin.ee.openlineage.OpenLineageAssetExporter"


class Receiver:
    """Records what is posted to it; answers `status` (with a Location when it is a redirect)."""

    def __init__(self, status: int = 201, location: str = "") -> None:
        self.received: list[str] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append(self.path)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for r in made:
        r.close()


def app_client(store: GraphStore, tmp_path: Path, allow: str) -> TestClient:
    settings = Settings(data_dir=tmp_path / "unused", ship_allow=allow, sandbox_prewarm=False)
    return TestClient(create_app(settings, store=store), raise_server_exceptions=False)


def ship(client: TestClient, base: str, uri: str, **exporter: object) -> object:
    body = {"assetExporters": [{"id": "ol", "type": EXPORTER, "uri": uri, **exporter}]}
    return client.post(f"{base}/ship", json=body)


def seed(client: TestClient, base: str, n: int = 2) -> None:
    for i in range(n):
        assert client.put(f"{base}/assets/a{i}", json={"type": "x"}).status_code == 201


@pytest.mark.parametrize(
    ("allow", "uri", "endpoint"),
    [
        ("", "{receiver}", None),  # nothing is allowed until the operator says so
        ("0.0.0.0/0, ::/0", "{receiver}", None),  # the whole Internet does not include loopback
        ("0.0.0.0/0", "http://169.254.169.254", None),  # nor a cloud's metadata address
        ("127.0.0.1", "file:///etc/passwd", None),
        ("127.0.0.1", "gopher://127.0.0.1:70/x", None),
        ("127.0.0.1", "{receiver}", "http://10.11.12.13/api/v1/lineage"),  # an absolute endpoint is checked too
        ("127.0.0.1", "http://no-such-host.invalid", None),
    ],
)
def test_destinations_outside_the_allow_list_are_refused_before_anything_ships(
    store: GraphStore, tmp_path: Path, base: str, receivers: list[Receiver], allow: str, uri: str, endpoint: str | None
) -> None:
    receivers.append(receiver := Receiver())
    with app_client(store, tmp_path, allow) as client:
        seed(client, base)
        extra = {"endpoint": endpoint} if endpoint else {}
        body = problem(ship(client, base, uri.format(receiver=receiver.url), **extra), 400, "assetExporters.ol.uri")
        assert "LINEAGE_SHIP_ALLOW" in body["detail"] or "http(s)" in body["detail"]
    assert receiver.received == []


def test_an_allowed_receiver_gets_every_asset(
    store: GraphStore, tmp_path: Path, base: str, receivers: list[Receiver]
) -> None:
    receivers.append(receiver := Receiver())
    with app_client(store, tmp_path, "127.0.0.1") as client:
        seed(client, base, 3)
        r = ship(client, base, receiver.url)
    assert r.status_code == 200 and r.json()["exporters"][0]["shipped"] == 3, r.text
    assert receiver.received == ["/api/v1/lineage"] * 3


def test_redirects_are_not_followed(store: GraphStore, tmp_path: Path, base: str, receivers: list[Receiver]) -> None:
    receivers.append(target := Receiver())
    receivers.append(redirecting := Receiver(status=307, location=target.url + "/elsewhere"))
    with app_client(store, tmp_path, "127.0.0.1") as client:
        seed(client, base)
        r = ship(client, base, redirecting.url)
    exporter = r.json()["exporters"][0]
    assert exporter.get("shipped", 0) == 0 and exporter["failed"] == 2
    assert all("redirects are not followed" in f for f in exporter["failures"])
    assert target.received == []  # the body never went where the receiver pointed


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_closed_port_and_a_silent_one_read_the_same(store: GraphStore, tmp_path: Path, base: str) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    try:
        with app_client(store, tmp_path, "127.0.0.1") as client:
            seed(client, base, 1)
            answers = [
                ship(client, base, f"http://127.0.0.1:{port}", timeout=0.5).json()["exporters"][0]["failures"]
                for port in (_closed_port(), silent.getsockname()[1])
            ]
    finally:
        silent.close()
    closed, quiet = (f[0] for f in answers)
    assert closed == quiet == "a0: not delivered (could not connect)", answers
