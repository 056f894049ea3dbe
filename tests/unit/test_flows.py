"""Flow parsing and resolution to task runs: pure, no database."""

from __future__ import annotations

import pytest

from app.domain.executions import resolve_flow
from app.domain.flows import FlowError, parse_flow
from app.domain.templating import Renderer
from app.errors import InvalidInput
from tests.contract.helpers import FLOWS

R = Renderer()


def resolve(source: str, inputs: dict | None = None, state: str = "SUCCESS", labels: dict | None = None):  # type: ignore[no-untyped-def]
    flow = parse_flow(source)
    runs, stored, all_labels, notes = resolve_flow(
        flow,
        execution_id="e1",
        given_inputs=inputs or {},
        labels=labels or {},
        state=state,
        start_date="2026-01-01T00:00:00.000000Z",
        revision=None,
        renderer=R,
        now="2026-01-01T00:00:00.000000Z",
    )
    return runs, stored, all_labels, notes


def outs(runs) -> list[tuple[str, str, list[str], list[str]]]:  # type: ignore[no-untyped-def]
    return [(r.taskId, r.value, [a.id for a in r.inputs], [a.id for a in r.outputs]) for r in runs]


@pytest.mark.parametrize("path", sorted(FLOWS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_reference_flow_parses(path) -> None:  # type: ignore[no-untyped-def]
    flow = parse_flow(path.read_text())
    assert flow.id == path.stem and flow.tasks


def test_nested_foreach_parents_and_value_chains() -> None:
    runs, *_ = resolve("""
id: nested
namespace: company.team
tasks:
  - id: regions
    type: io.kestra.plugin.core.flow.ForEach
    values: ["eu", "us"]
    tasks:
      - id: days
        type: io.kestra.plugin.core.flow.ForEach
        values: ["mon", "tue"]
        tasks:
          - id: load
            type: x.Load
            assets:
              outputs:
                - id: "{{ parent.taskrun.value }}_{{ taskrun.value }}_{{ parents[0].taskrun.value | upper }}"
""")
    assert outs(runs) == [
        ("load", '["eu","mon"]', [], ["eu_mon_EU"]),
        ("load", '["eu","tue"]', [], ["eu_tue_EU"]),
        ("load", '["us","mon"]', [], ["us_mon_US"]),
        ("load", '["us","tue"]', [], ["us_tue_US"]),
    ]


def test_foreach_values_from_an_expression_and_objects() -> None:
    source = (FLOWS / "infra_assets.yaml").read_text()
    runs, stored, *_ = resolve(source, {"teams": '["Business", "Product"]'})
    assert [r.outputs[0].id for r in runs] == ["kestra-business-bucket", "kestra-product-bucket"]
    assert stored == {"teams": ["Business", "Product"]}
    runs, *_ = resolve("""
id: objs
namespace: n
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [{"name": "a"}, 2]
    tasks:
      - id: t
        type: x
        assets: {outputs: [{id: "v-{{ taskrun.value }}"}]}
""")
    assert [r.value for r in runs] == ['{"name":"a"}', "2"]


def test_if_and_switch_follow_inputs_and_record_every_branch_when_they_cannot() -> None:
    source = """
id: branches
namespace: n
inputs:
  - id: mode
    type: SELECT
    values: [full, delta]
    defaults: full
tasks:
  - id: choose
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.mode == 'full' }}"
    then:
      - id: full_load
        type: x
        assets: {outputs: [{id: full}]}
    else:
      - id: delta_load
        type: x
        assets: {outputs: [{id: delta}]}
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.mode }}"
    cases:
      delta:
        - id: delta_report
          type: x
          assets: {outputs: [{id: delta_report}]}
    defaults:
      - id: default_report
        type: x
        assets: {outputs: [{id: default_report}]}
  - id: by_output
    type: io.kestra.plugin.core.flow.If
    condition: "{{ outputs.check.ok }}"
    then:
      - id: a
        type: x
        assets: {outputs: [{id: a}]}
    else:
      - id: b
        type: x
        assets: {outputs: [{id: b}]}
"""
    runs, _, _, notes = resolve(source)
    assert [r.outputs[0].id for r in runs] == ["full", "default_report", "a", "b"]
    assert len(notes) == 1 and "by_output" in notes[0] and "outputs" in notes[0]
    runs, *_ = resolve(source, {"mode": "delta"})
    assert [r.outputs[0].id for r in runs][:2] == ["delta", "delta_report"]
    with pytest.raises(InvalidInput, match="not among the allowed values"):
        resolve(source, {"mode": "other"})


def test_containers_dag_disabled_errors_and_finally() -> None:
    source = """
id: shapes
namespace: n
labels:
  - key: team
    value: data
tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: seq
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: deep
            type: x
            assets: {outputs: [{id: "deep-{{ labels.team }}"}]}
      - id: off
        type: x
        disabled: true
        assets: {outputs: [{id: never}]}
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: d1
          type: x
          assets: {outputs: [{id: d1}]}
        dependsOn: []
errors:
  - id: on_error
    type: x
    assets: {outputs: [{id: alert}]}
finally:
  - id: cleanup
    type: x
    assets: {inputs: [{id: tmp}]}
triggers:
  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 0 * * *"
pluginDefaults:
  - type: x
    values: {token: "{{ secret('T') }}"}
"""
    runs, _, labels, _ = resolve(source)
    assert [r.taskId for r in runs] == ["deep", "d1", "cleanup"]
    assert runs[0].outputs[0].id == "deep-data" and labels == {"team": "data"}
    runs, *_ = resolve(source, state="FAILED")
    assert [r.taskId for r in runs] == ["deep", "d1", "on_error", "cleanup"]


def test_parse_errors_name_path_and_line() -> None:
    with pytest.raises(FlowError) as err:
        parse_flow("id: a\nnamespace: n\ntasks:\n  - id: t\n    type: x\n  - id: t\n    type: y\n")
    assert err.value.field == "tasks[1].id" and "line 6" in err.value.detail and "already used" in err.value.detail
    with pytest.raises(FlowError) as err:
        parse_flow("id: a\nnamespace: n\ntasks:\n  - id: t\n    type: x\n    assets:\n      outputs:\n        - {}\n")
    assert err.value.field == "tasks[0].assets.outputs[0].id" and "line 8" in err.value.detail
    with pytest.raises(FlowError, match="namespace"):
        parse_flow("id: a\nnamespace: 'bad ns'\ntasks: [{id: t, type: x}]\n")


def test_unknown_variables_and_secret_inputs_are_errors() -> None:
    source = """
id: s
namespace: n
inputs:
  - id: password
    type: SECRET
  - id: name
    type: STRING
tasks:
  - id: t
    type: x
    assets: {outputs: [{id: "{{ inputs.name }}-{{ inputs.password }}"}]}
"""
    with pytest.raises(InvalidInput, match="SECRET") as err:
        resolve(source, {"password": "hunter2", "name": "n"})
    assert "hunter2" not in err.value.detail
    with pytest.raises(InvalidInput, match=r"unknown variable inputs\.nme"):
        resolve(source.replace("inputs.name", "inputs.nme"), {"password": "p", "name": "n"})


def test_secret_inputs_are_stored_redacted() -> None:
    source = "id: s\nnamespace: n\ninputs:\n  - id: pw\n    type: SECRET\ntasks: [{id: t, type: x}]\n"
    _, stored, *_ = resolve(source, {"pw": "hunter2"})
    assert stored == {"pw": "******"}


def test_filters() -> None:
    ctx = {"v": "Hello World", "n": None}
    assert R.render("{{ v | slugify }}|{{ v | lower }}|{{ v | upper }}|{{ n | default('d') }}", ctx) == (
        "hello-world|hello world|HELLO WORLD|d"
    )
