"""Property-based tests (hypothesis): the flow renderer, and impact / upstream against an in-test BFS."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.access import open_scope
from app.domain.executions import resolve_flow
from app.domain.flows import parse_flow
from app.domain.lineage import Traversal
from app.domain.templating import Renderer
from app.services import lineage
from app.store.base import GraphStore
from tests.conftest import BACKENDS, open_backend
from tests.contract.helpers import record
from tests.contract.test_lineage import bfs

R = Renderer()
plain_text = st.text(alphabet=st.characters(blacklist_characters="{}%#", blacklist_categories=("Cs",)), max_size=80)
values = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20), min_size=1, max_size=8
)


@given(plain_text)
def test_text_without_template_syntax_renders_as_itself(text: str) -> None:
    assert R.render(text, {}) == text


@given(st.text(max_size=40))
def test_variables_are_data_never_code(value: str) -> None:
    assert R.render("{{ v }}", {"v": value}) == value
    assert R.evaluate("{{ v }}", {"v": value}) == value


@given(st.text(max_size=40))
def test_slugify_is_safe_for_ids(value: str) -> None:
    out = R.render("{{ v | slugify }}", {"v": value})
    assert re.fullmatch(r"[a-z0-9-]*", out)


@given(values)
@settings(max_examples=60)
def test_foreach_gives_one_task_run_per_value(items: list[str]) -> None:
    flow = parse_flow(
        "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n"
        f"    values: {json.dumps(items, ensure_ascii=False)}\n    tasks:\n      - id: t\n        type: x\n"
        '        assets: {outputs: [{id: "out-{{ taskrun.value | slugify }}-{{ taskrun.value | length }}"}]}\n'
    )
    runs, *_ = resolve_flow(
        flow,
        execution_id="e",
        given_inputs={},
        labels={},
        state="SUCCESS",
        start_date="2026-01-01T00:00:00.000000Z",
        revision=None,
        renderer=R,
        now="2026-01-01T00:00:00.000000Z",
    )
    assert [r.value for r in runs] == items
    assert all(r.outputs[0].id.endswith(f"-{len(v)}") for r, v in zip(runs, items, strict=True))


@pytest.fixture(scope="module", params=BACKENDS)
def graph_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """One store per backend for every example (each example records under a tenant of its own)."""
    store = open_backend(request, request.param, tmp_path_factory.mktemp("properties") / "db")
    yield store
    store.close()


graphs = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=30, unique=True)


@given(graphs, st.integers(1, 6))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_impact_and_upstream_equal_a_bfs(graph_store: GraphStore, edges: list[tuple[int, int]], depth: int) -> None:
    tenant = "p" + uuid.uuid4().hex[:12]
    named = [(f"n{a}", f"n{b}") for a, b in edges]
    runs = [
        {"taskId": f"t{i}", "assets": {"inputs": [{"id": a}], "outputs": [{"id": b}]}} for i, (a, b) in enumerate(named)
    ]
    record(graph_store, tenant, {"namespace": "prop", "flowId": "g", "taskRuns": runs})
    for node in sorted({x for e in named for x in e}):
        for upstream in (False, True):
            for limit in (None, depth):
                page = lineage.impact(
                    graph_store,
                    open_scope(tenant),
                    node,
                    "upstream" if upstream else "downstream",
                    Traversal.build(limit, False, None, None),
                    size=1000,
                )
                got = {i.id: i.distance for i in page.results}
                assert got == bfs(named, node, upstream=upstream, depth=limit or 100), (node, upstream, limit)
                assert page.total == len(got)
                assert all(len(i.via or []) == i.distance for i in page.results)
