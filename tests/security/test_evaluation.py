"""What evaluates user input (templates, jq, flow YAML) is bounded by the operating system and reads nothing of
the server's: probed as an adversary would, against a real `lineage serve` with tokens, on both backends.

- A canary secret planted in the server's environment never reaches a response, by any channel: jq's `$ENV`,
  `env`, `input_filename`, module imports, template internals, error texts, the OpenAPI document.
- One viewer request cannot exhaust the server: each probe below is a 4xx that names the limit it reached (never a
  500), the server's own memory stays small, and `/health` answers within 1 s throughout.
- One caller's slow renders do not queue another caller's.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest

from app.auth import check_grant, create_token
from tests.e2e.server import Server

CANARY = "canary-7f3a9c1e-do-not-leak"
NEO4J_CANARY = "neo4j-pw-canary-51b2"
TIMEOUT = 15.0  # a probe's answer: the 2 s limit, a worker's kill and restart, on a busy machine


class Secured:
    def __init__(self, server: Server, tokens: dict[str, str], root: Path) -> None:
        self.server, self.tokens, self.root = server, tokens, root

    def post(self, who: str, path: str, headers: dict[str, str] | None = None, **kwargs: object) -> httpx.Response:
        headers = {**(headers or {}), "Authorization": f"Bearer {self.tokens[who]}"}
        return httpx.post(self.server.url + path, headers=headers, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]

    def expression(self, who: str, text: str) -> httpx.Response:
        return self.post(who, "/api/v1/main/expressions", json={"expression": text})


@pytest.fixture(scope="module", params=["ladybug", "neo4j"])
def secured(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    from tests.conftest import neo4j_flags

    root = tmp_path_factory.mktemp("evaluation")
    auth = root / "auth.yaml"
    tokens = {
        "viewer": create_token(auth, tenant="main", grants=[check_grant("company.team:viewer")], name="viewer"),
        "other": create_token(auth, tenant="main", grants=[check_grant("company.other:viewer")], name="other"),
        "admin": create_token(auth, tenant="main", grants=[], admin=True, name="admin"),
    }
    env = {"LINEAGE_TEST_CANARY": CANARY, "AWS_SECRET_ACCESS_KEY": CANARY}
    flags = ["--auth-file", str(auth), "--require-auth"]
    if request.param == "neo4j":
        flags += neo4j_flags(request.getfixturevalue("neo4j_server"))
    else:
        env["NEO4J_PASSWORD"] = NEO4J_CANARY  # read by the server's settings, unused by LadybugDB
    with Server(root / "data", *flags, env=env) as server:
        yield Secured(server, tokens, root)


def _secrets(secured: Secured) -> list[str]:
    out = [CANARY, NEO4J_CANARY, str(secured.root), "lineage-sandbox-"]
    host = socket.gethostname()
    return out + ([host] if len(host) >= 8 else [])


LEAK_PROBES = [
    "{{ [1] | jq('$ENV') }}",
    "{{ [1] | jq('env') }}",
    "{{ [1] | jq('$ENV.LINEAGE_TEST_CANARY') }}",
    "{{ [1] | jq('$ENV.NEO4J_PASSWORD') }}",
    "{{ [1] | jq('env | tostring | error') }}",
    "{{ [1] | jq('input_filename') }}",
    "{{ [1] | jq('$__loc__') }}",
    "{{ [1] | jq('get_search_list') }}",
    "{{ [1] | jq('import \"auth\" as $a; $a') }}",
    "{{ [1] | jq('include \"x\"; .') }}",
    "{{ [1] | jq('import \"/proc/self/environ\" as $e; $e') }}",
    "{{ range.__globals__ }}",
    "{{ lipsum }}",
    "{{ cycler.__init__.__globals__.os.environ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self }}",
    "{{ config }}",
    "{{ environ }}",
    "{{ now.__globals__ }}",
    "{{ assets.__globals__ }}",
    "{% include '/etc/hostname' %}",
    "{% import 'os' as os %}{{ os.environ }}",
    "{% extends '/proc/self/environ' %}",
    "{{ date('yyyy', timeZone='../../../../proc/self/environ') }}",
    "{{ nope.LINEAGE_TEST_CANARY }}",
    "{{ 1/0 }}",
]


@pytest.mark.parametrize("probe", LEAK_PROBES)
def test_no_channel_reads_the_servers_environment(secured: Secured, probe: str) -> None:
    r = secured.expression("viewer", probe)
    assert r.status_code != 500, r.text
    for secret in _secrets(secured):
        assert secret not in r.text, f"{probe!r} leaked {secret!r}: {r.text[:300]}"


def test_jq_sees_an_empty_environment(secured: Secured) -> None:
    r = secured.expression("viewer", "{{ [1] | jq('$ENV') }}")
    assert r.status_code == 200, r.text
    assert r.json()["value"] == [{}]


def test_no_document_or_error_carries_the_secret(secured: Secured) -> None:
    schema = httpx.get(secured.server.url + "/schema/openapi.json", timeout=TIMEOUT)
    flow = (
        'id: f\nnamespace: company.team\ninputs:\n  - id: x\n    type: STRING\n    defaults: "{{ env }}"\n'
        "tasks: [{id: t, type: x}]\n"
    )
    stored = secured.post("admin", "/api/v1/main/flows", content=flow, headers={"content-type": "application/x-yaml"})
    errors = [
        secured.post("admin", "/api/v1/main/executions", json={"flow": "id: [", "inputs": {}}),
        secured.post("admin", "/api/v1/main/executions", json={"flow": flow, "inputs": {"nope": 1}}),
        secured.post("admin", "/api/v1/main/ship", content="assetExporters: [{id: x, type: nope}]"),
        httpx.get(secured.server.url + "/api/v1/main/assets/x", timeout=TIMEOUT),
    ]
    for r in [schema, stored, *errors]:
        assert r.status_code < 500, r.text
        for secret in _secrets(secured):
            assert secret not in r.text


# -- one request cannot take the server down -----------------------------------------------------------------

BREACH_PROBES = [
    ("{{ ('%1500000000d' % 1) | length }}", ("memory",)),
    ("{{ ((((9**64)**64)**64)**64) > 1 }}", ("time", "cpu")),
    ("{{ [[0]*10000]*5000 }}", ("time", "memory")),
    ("{% macro f(x) %}{{ f(x) }}{% endmacro %}{{ f(1) }}", ("recursion",)),
    ("{{ 'a'.center(1500000000) | length }}", ("memory",)),
    ("{{ '{:>1500000000}'.format(1) | length }}", ("memory",)),
    ("{{ ('x' * 90000).replace('x', 'y' * 90000) | length }}", ("memory", "time")),
    ("{{ '%s' | format('x' * 90000) | replace('x', 'x' * 90000) | length }}", ("memory", "time")),
    ("{{ [1] | jq('def f: f; f') }}", ("time", "cpu")),
    ("{{ [1] | jq('[range(1e9)]') }}", ("time", "memory", "cpu")),
    ("{{ [1] | jq('[limit(100000000; repeat(\"xxxxxxxxxx\"))] | length') }}", ("time", "memory", "cpu")),
]


class HealthWatch:
    """Asks `/health` every 50 ms in the background and keeps the slowest answer (a failure counts as 60 s)."""

    def __init__(self, url: str) -> None:
        self.url, self.slowest, self.samples = url + "/health", 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            while not self._stop.wait(0.05):
                started = time.monotonic()
                try:
                    ok = client.get(self.url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.slowest = max(self.slowest, time.monotonic() - started if ok else 60.0)
                self.samples += 1

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_every_breach_is_a_4xx_naming_its_limit_and_the_server_stays_up(secured: Secured) -> None:
    server = psutil.Process(secured.server.proc.pid)  # type: ignore[union-attr]
    before = server.memory_info().rss
    with HealthWatch(secured.server.url) as health:
        for probe, limits in BREACH_PROBES:
            r = secured.expression("viewer", probe)
            assert r.status_code == 422, (probe, r.text)
            problem = r.json()
            assert problem.get("limit") in limits, (probe, problem)
            assert problem["field"] == "expression"
            assert problem["limit"] in problem["detail"] or "recursed" in problem["detail"], problem
    grown = server.memory_info().rss - before
    assert grown < 100 * 1024 * 1024, f"the server's own memory grew by {grown / 1e6:.0f} MB"
    assert health.samples > 10
    assert health.slowest < 1.0, f"/health took {health.slowest:.2f} s while the probes ran"
    # and evaluation works again
    assert secured.expression("viewer", "{{ [1, 2] | jq('.[] * 2') }}").json()["value"] == [2, 4]


def _busy_workers(server: psutil.Process, before: dict[int, float]) -> int:
    """Sandbox workers that have spent CPU since `before` (their CPU seconds by pid)."""
    busy = 0
    for child in server.children():
        try:
            spent = sum(child.cpu_times()[:2]) - before.get(child.pid, 0.0)
        except psutil.NoSuchProcess:
            continue
        busy += spent > 0.2
    return busy


def _cpu_by_pid(server: psutil.Process) -> dict[int, float]:
    return {c.pid: sum(c.cpu_times()[:2]) for c in server.children()}


def test_one_callers_slow_renders_do_not_queue_another_callers(secured: Secured) -> None:
    loop = "{{ [1] | jq('def f: f; f') }}"
    server = psutil.Process(secured.server.proc.pid)  # type: ignore[union-attr]
    before = _cpu_by_pid(server)
    with ThreadPoolExecutor(max_workers=6) as pool:
        slow = [pool.submit(secured.expression, "viewer", loop) for _ in range(6)]
        deadline = time.monotonic() + TIMEOUT
        while _busy_workers(server, before) < 2:  # the first caller's loops hold their workers
            assert time.monotonic() < deadline, "the looping renders never started"
            time.sleep(0.02)  # polling interval while waiting for the condition above
        started = time.monotonic()
        quick = secured.expression("other", "{{ 6 * 7 }}")
        waited = time.monotonic() - started
        statuses = sorted(f.result().status_code for f in slow)
    assert quick.status_code == 200 and quick.json()["value"] == 42, quick.text
    assert waited < 1.5, f"another caller waited {waited:.2f} s behind one caller's six looping renders"
    assert set(statuses) <= {422, 429}, statuses  # each loop is stopped at its limit, or refused while it queued
