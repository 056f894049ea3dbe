"""OpenLineage as producers send it (issue 23): openlineage-python's HTTP and async HTTP transports, configured as
their users configure them (gzip on, an API key sent as a bearer token, retries), against a real `lineage serve`
with an auth file, on both backends, on every ingest route; and the encodings a producer must not get wrong."""

from __future__ import annotations

import gzip
import uuid
import zlib
from collections.abc import Iterator

import httpx
import pytest
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.serde import Serde
from openlineage.client.transport.async_http import AsyncHttpConfig, AsyncHttpTransport
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpCompression, HttpConfig, HttpTransport

from app.auth import check_grant, create_token
from tests import neo4j_server as test_neo4j
from tests.e2e.server import Server

TIMEOUT = 30.0  # one request on a busy 2-core machine
PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python"


class Service:
    def __init__(self, server: Server, tokens: dict[str, str]) -> None:
        self.server, self.tokens = server, tokens

    def get(self, tenant: str, path: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens['admin-' + tenant]}"}
        return httpx.get(f"{self.server.url}/api/v1/{tenant}{path}", headers=headers, timeout=TIMEOUT)

    def downstream(self, tenant: str, asset: str) -> list[str]:
        page = self.get(tenant, f"/assets/{asset.replace('/', '%2F')}/impact").json()
        return sorted(a["id"] for a in page["results"])


@pytest.fixture(scope="module", params=["ladybug", "neo4j"])
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    from tests.conftest import neo4j_flags

    root = tmp_path_factory.mktemp("transports")
    auth = root / "auth.yaml"
    tokens = {
        "producer": create_token(auth, tenant="main", grants=[check_grant("jobs:editor")], name="producer"),
        "producer-other": create_token(auth, tenant="other", grants=[check_grant("jobs:editor")], name="p2"),
        "reader": create_token(auth, tenant="main", grants=[check_grant("jobs:viewer")], name="reader"),
        "admin-main": create_token(auth, tenant="main", grants=[], admin=True, name="admin"),
        "admin-other": create_token(auth, tenant="other", grants=[], admin=True, name="admin2"),
    }
    flags = ["--auth-file", str(auth), "--require-auth"]
    if request.param == "neo4j":  # tenants `main` and `other` are fixed here: start from an empty database
        neo4j = request.getfixturevalue("neo4j_server")
        test_neo4j.wipe(neo4j)
        flags += neo4j_flags(neo4j)
    with Server(root / "data", *flags) as server:
        yield Service(server, tokens)


def run_event(state: RunState, run_id: str, source: str, target: str) -> RunEvent:
    return RunEvent(
        eventType=state,
        eventTime="2026-11-01T10:00:00Z",
        run=Run(runId=run_id),
        job=Job(namespace="jobs", name="etl.load"),
        producer=PRODUCER,
        inputs=[InputDataset(namespace="postgres://db:5432", name=source)],
        outputs=[OutputDataset(namespace="postgres://db:5432", name=target)],
    )


def test_the_http_transport_with_gzip_and_an_api_key(service: Service) -> None:
    for tenant, endpoint in (("main", "api/v1/lineage"), ("other", "api/v1/other/openlineage/lineage")):
        key = service.tokens["producer" if tenant == "main" else "producer-other"]
        config = HttpConfig(
            url=service.server.url,
            endpoint=endpoint,
            timeout=TIMEOUT,
            auth=ApiKeyTokenProvider({"apiKey": key}),
            compression=HttpCompression.GZIP,
        )
        client = OpenLineageClient(transport=HttpTransport(config))
        run_id = str(uuid.uuid4())
        for state in (RunState.START, RunState.COMPLETE, RunState.COMPLETE):  # the last one a retry
            client.emit(run_event(state, run_id, f"{tenant}.src", f"{tenant}.dst"))
        assert service.downstream(tenant, f"postgres://db:5432/{tenant}.src") == [f"postgres://db:5432/{tenant}.dst"]
        assert service.get(tenant, f"/executions/{run_id}").json()["state"] == "SUCCESS"


def test_the_async_transport_with_gzip_retries_and_an_api_key(service: Service) -> None:
    config = AsyncHttpConfig(
        url=service.server.url,
        timeout=TIMEOUT,
        auth=ApiKeyTokenProvider({"apiKey": service.tokens["producer"]}),
        compression=HttpCompression.GZIP,
    )
    transport = AsyncHttpTransport(config)
    run_ids = [str(uuid.uuid4()) for _ in range(5)]
    for n, run_id in enumerate(run_ids):
        transport.emit(run_event(RunState.START, run_id, f"async.src{n}", f"async.dst{n}"))
        transport.emit(run_event(RunState.COMPLETE, run_id, f"async.src{n}", f"async.dst{n}"))
    assert transport.close(timeout=TIMEOUT)
    for n in range(5):
        assert service.downstream("main", f"postgres://db:5432/async.src{n}") == [f"postgres://db:5432/async.dst{n}"]


def test_a_token_without_a_write_grant_is_refused(service: Service) -> None:
    body = gzip.compress(Serde.to_json(run_event(RunState.COMPLETE, str(uuid.uuid4()), "r.src", "r.dst")).encode())
    r = httpx.post(
        f"{service.server.url}/api/v1/lineage",
        content=body,
        headers={
            "Authorization": f"Bearer {service.tokens['reader']}",
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
        },
        timeout=TIMEOUT,
    )
    assert r.status_code == 403, r.text


ROUTES = ("/api/v1/lineage", "/api/v1/main/openlineage/lineage", "/api/v1/main/openlineage/batch")


def _post(service: Service, route: str, body: bytes, encoding: str) -> httpx.Response:
    headers = {
        "Authorization": f"Bearer {service.tokens['producer']}",
        "Content-Type": "application/json",
        "Content-Encoding": encoding,
    }
    return httpx.post(service.server.url + route, content=body, headers=headers, timeout=TIMEOUT)


@pytest.mark.parametrize("route", ROUTES)
def test_encodings_on_every_ingest_route(service: Service, route: str) -> None:
    run_id = str(uuid.uuid4())
    event = Serde.to_json(run_event(RunState.COMPLETE, run_id, "enc.src", "enc.dst")).encode()
    body = b"[" + event + b"]" if route.endswith("batch") else event
    for encoding, data in (("gzip", gzip.compress(body)), ("deflate", zlib.compress(body))):
        r = _post(service, route, data, encoding)
        assert r.status_code == 200, (encoding, r.text)
    not_gzip = _post(service, route, body, "gzip")
    assert not_gzip.status_code == 400 and "gzip" in not_gzip.json()["detail"], not_gzip.text
    brotli = _post(service, route, body, "br")
    assert brotli.status_code == 415 and "gzip" in brotli.json()["detail"] and "deflate" in brotli.json()["detail"]
    # 48 KB that would decode to 50 MB: refused at the body limit, without decoding it all
    bomb = gzip.compress(b"[" + b" " * 50_000_000 + b"]")
    assert len(bomb) < 100_000
    r = _post(service, route, bomb, "gzip")
    assert r.status_code == 413, r.text


def test_the_server_stays_small_under_a_compressed_bomb(service: Service) -> None:
    import psutil

    server = psutil.Process(service.server.proc.pid)  # type: ignore[union-attr]
    before = server.memory_info().rss
    bomb = gzip.compress(b"[" + b" " * 200_000_000 + b"]")
    for _ in range(3):
        assert _post(service, "/api/v1/main/openlineage/batch", bomb, "gzip").status_code == 413
    assert server.memory_info().rss - before < 50 * 1024 * 1024
