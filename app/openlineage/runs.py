"""An OpenLineage run as the union of its events (pure: no database).

The OpenLineage model is cumulative: a run's inputs, outputs and facets may be spread over its START, RUNNING,
COMPLETE / FAIL / ABORT and OTHER events, sent in any order and sometimes more than once. A run therefore keeps
every distinct event it received (by content hash), and its state is always recomputed by folding them in
event-time order: the result does not depend on arrival order, and receiving an event twice changes nothing.

- Datasets are merged by (namespace, name); a facet of a later event replaces the same facet of an earlier one.
- The run's end is its terminal event (COMPLETE, FAIL or ABORT) with the latest event time; until it has one the
  run records no lineage, unless its job is a streaming one (`jobType` facet), which records as RUNNING.
- Its start is its earliest START event, else its nominal start time, else its earliest event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import msgspec

from app.domain.jsonsafe import canonical
from app.packing import pack, unpack
from app.timeutil import normalize_iso

TERMINAL = {"COMPLETE": "SUCCESS", "FAIL": "FAILED", "ABORT": "KILLED"}
#: A run keeps at most this many events; older ones are folded into one snapshot event (`folded: true`).
MAX_KEPT_EVENTS = 64
_DATASET_LISTS = ("inputs", "outputs")


def event_hash(event: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(event).encode()).hexdigest()[:32]


def event_time(event: dict[str, Any]) -> str:
    return normalize_iso(str(event["eventTime"]))


@dataclass
class RunView:
    """What a run's events say together."""

    runId: str
    job: dict[str, Any]
    run_facets: dict[str, Any]
    inputs: list[dict[str, Any]]
    outputs: list[dict[str, Any]]
    first_time: str
    last_time: str
    start_time: str | None = None
    terminal: str | None = None  # COMPLETE, FAIL or ABORT
    end_time: str | None = None
    producer: str = ""
    event_types: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.terminal:
            return self.terminal
        return "RUNNING" if self.event_types else "UNKNOWN"

    @property
    def streaming(self) -> bool:
        """A streaming job (Flink, Spark Structured Streaming) may run for months: its lineage counts while it runs."""
        return str((self.job["facets"].get("jobType") or {}).get("processingType") or "").upper() == "STREAMING"

    def records(self) -> bool:
        """Whether the run records its lineage now: once it has ended, or from its first event when streaming."""
        return self.terminal is not None or self.streaming

    def started(self) -> str:
        nominal = (self.run_facets.get("nominalTime") or {}).get("nominalStartTime")
        if self.start_time:
            return self.start_time
        if nominal:
            return normalize_iso(str(nominal))
        return self.first_time

    def as_event(self) -> dict[str, Any]:
        """The union as one RunEvent (kept with the execution it records, and read back by the pull feed)."""
        return {
            "eventType": self.terminal or "OTHER",
            "eventTime": self.end_time or self.last_time,
            "producer": self.producer,
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": self.runId, "facets": self.run_facets},
            "job": self.job,
            "inputs": self.inputs,
            "outputs": self.outputs,
        }


def _merge_dataset(into: dict[str, Any], dataset: dict[str, Any]) -> None:
    for key, value in dataset.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = {**into[key], **value}  # facets, inputFacets, outputFacets: later facet wins
        else:
            into[key] = value


def _fold_datasets(current: list[dict[str, Any]], more: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_name = {(d["namespace"], d["name"]): d for d in current}
    for dataset in more:
        name = (dataset["namespace"], dataset["name"])
        if name in by_name:
            _merge_dataset(by_name[name], dataset)
        else:
            # A copy of the top level is enough: _merge_dataset replaces keys and builds new facet maps, never
            # changing a nested value in place, so the stored event keeps its own.
            by_name[name] = dict(dataset)
            current.append(by_name[name])
    return current


@dataclass
class RunEvents:
    """The distinct events of one run, as stored (`document` of a LineageRun node)."""

    events: list[dict[str, Any]] = field(default_factory=list)  # {"hash", "time", "event"}

    @classmethod
    def load(cls, document: str | None) -> RunEvents:
        return cls(events=msgspec.json.decode(unpack(document))["events"]) if document else cls()

    def dump(self) -> str:
        """Packed (app/packing.py): a run's document is rewritten at each of its events."""
        return pack(msgspec.json.encode({"events": self.events}))

    def has(self, digest: str) -> bool:
        return any(e["hash"] == digest for e in self.events)

    def add(self, event: dict[str, Any], digest: str | None = None) -> str:
        """Keep `event` (once); returns its hash (`digest`, when the caller has it already)."""
        digest = digest or event_hash(event)
        if not self.has(digest):
            self.events.append({"hash": digest, "time": event_time(event), "event": event})
            self.events.sort(key=lambda e: (e["time"], e["hash"]))
            if len(self.events) > MAX_KEPT_EVENTS:
                self._fold_oldest()
        return digest

    def _fold_oldest(self) -> None:
        """Replace the oldest half by one snapshot of them, so that a run sending events forever stays bounded."""
        half = len(self.events) // 2
        view = fold(self.events[:half])
        snapshot = view.as_event()
        snapshot["eventType"] = view.terminal or "OTHER"
        snapshot["eventTime"] = self.events[half - 1]["time"]
        kept = {"hash": "folded-" + event_hash(snapshot), "time": snapshot["eventTime"], "event": snapshot}
        kept["event"]["run"]["facets"] = {**view.run_facets, "lineage_folded": {"startTime": view.start_time}}
        self.events = [kept, *self.events[half:]]

    def fingerprint(self) -> str:
        return hashlib.sha256("".join(e["hash"] for e in self.events).encode()).hexdigest()[:32]

    def view(self) -> RunView:
        return fold(self.events)


def fold(kept: list[dict[str, Any]]) -> RunView:
    first = kept[0]["event"]
    view = RunView(
        runId=str(first["run"]["runId"]),
        job={"namespace": first["job"]["namespace"], "name": first["job"]["name"], "facets": {}},
        run_facets={},
        inputs=[],
        outputs=[],
        first_time=kept[0]["time"],
        last_time=kept[-1]["time"],
    )
    for entry in kept:
        event, time = entry["event"], entry["time"]
        kind = event.get("eventType") or "OTHER"
        view.event_types.append(kind)
        view.producer = event.get("producer") or view.producer
        view.job["facets"].update((event.get("job") or {}).get("facets") or {})
        facets = dict((event.get("run") or {}).get("facets") or {})
        folded_start = (facets.pop("lineage_folded", None) or {}).get("startTime")
        view.run_facets.update(facets)
        if folded_start and (view.start_time is None or folded_start < view.start_time):
            view.start_time = folded_start
        if kind == "START" and (view.start_time is None or time < view.start_time):
            view.start_time = time
        if kind in TERMINAL:
            view.terminal, view.end_time = kind, time
        for name in _DATASET_LISTS:
            _fold_datasets(getattr(view, name), event.get(name) or [])
    return view


def parent_of(view: RunView) -> dict[str, str] | None:
    """The parent run a run names in its `parent` facet (runId, job namespace and name), if any."""
    parent = view.run_facets.get("parent") or {}
    run_id = (parent.get("run") or {}).get("runId")
    job = parent.get("job") or {}
    if not run_id or not job.get("namespace") or not job.get("name"):
        return None
    return {"runId": str(run_id), "namespace": str(job["namespace"]), "name": str(job["name"])}
