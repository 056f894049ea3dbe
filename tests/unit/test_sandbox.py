"""The sandbox pool on its own: answers, errors as themselves, breaches, replacement, and one owner's share."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psutil
import pytest

from app.domain.sandbox import LimitExceeded, Sandbox, SandboxBusy, SandboxLimits
from app.domain.sandbox.wire import JqError
from app.domain.templating import UnknownVariable

LOOP = "{{ [1] | jq('def f: f; f') }}"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox(SandboxLimits(workers=2, per_owner=1, time_s=1.0, queue_wait_s=0.5))
    yield box
    box.close()


def expression(box: Sandbox, text: str, owner: str = "a", **kw: object) -> dict:
    return box.run("expression", {"expression": text}, owner=owner, field="expression", **kw)  # type: ignore[arg-type]


def workers() -> set[int]:
    return {c.pid for c in psutil.Process().children() if "app.domain.sandbox.worker" in " ".join(c.cmdline())}


def test_answers_and_domain_errors_cross_as_themselves(sandbox: Sandbox) -> None:
    assert expression(sandbox, "{{ [1, 2] | jq('.[] + 1') }}") == {"rendered": "[2,3]", "value": [2, 3]}
    first = workers()
    with pytest.raises(UnknownVariable) as unknown:
        expression(sandbox, "{{ inputs.nope }}")
    assert unknown.value.field == "expression" and "unknown variable inputs" in unknown.value.detail
    with pytest.raises(JqError, match="not available"):
        expression(sandbox, "{{ [1] | jq('import \"x\" as $x; $x') }}")
    assert workers() == first  # an error in the input is an answer, not a reason to replace the worker


def test_a_breach_kills_the_worker_and_a_fresh_one_answers(sandbox: Sandbox) -> None:
    expression(sandbox, "{{ 1 }}")
    before = workers()
    with pytest.raises(LimitExceeded) as breach:
        expression(sandbox, LOOP)
    assert breach.value.extra["limit"] == "time" and "1 s time limit" in breach.value.detail
    assert expression(sandbox, "{{ 2 }}")["value"] == 2
    assert len(before - workers()) == 1  # the looping worker is gone, the idle spare stays


def test_memory_breach_is_named(sandbox: Sandbox) -> None:
    with pytest.raises(LimitExceeded) as breach:
        expression(sandbox, "{{ ('%1500000000d' % 1) | length }}")
    assert breach.value.extra["limit"] == "memory" and "512 MiB" in breach.value.detail
    assert expression(sandbox, "{{ 3 }}")["value"] == 3


def test_one_owner_holds_at_most_its_share() -> None:
    # The loop runs out its time limit while the rest happens; the second worker is started beside the first one
    # taken, and the test waits until it has (on a busy machine that takes longer than the queue's wait).
    sandbox = Sandbox(SandboxLimits(workers=2, per_owner=1, time_s=5.0, queue_wait_s=0.5))
    outcome: list[object] = []
    looping = threading.Thread(target=lambda: outcome.append(_catch(lambda: expression(sandbox, LOOP))))
    looping.start()
    try:
        while not sandbox.running("a"):  # until the loop holds its worker
            looping.join(0.01)
        with sandbox._cond:
            assert sandbox._cond.wait_for(lambda: sandbox._idle, timeout=30), "the second worker never started"
        with pytest.raises(SandboxBusy) as busy:
            expression(sandbox, "{{ 1 }}", owner="a")  # its own second job waits, then is refused
        assert busy.value.status == 429
        assert expression(sandbox, "{{ 1 }}", owner="b")["value"] == 1  # another owner is not queued behind it
    finally:
        looping.join()
        sandbox.close()
    assert isinstance(outcome[0], LimitExceeded)


def test_calls_back_to_the_server(sandbox: Sandbox) -> None:
    seen: list[dict] = []

    def assets(**kwargs: object) -> list[dict]:
        seen.append(kwargs)
        return [{"id": "a"}, {"id": "b"}]

    out = expression(sandbox, "{{ assets('t', namespace='n') | jq('.[].id') }}", callbacks={"assets": assets})
    assert out["value"] == ["a", "b"]
    assert seen == [{"type": "t", "namespace": "n"}]


def _catch(fn):  # type: ignore[no-untyped-def]
    try:
        return fn()
    except Exception as exc:
        return exc
