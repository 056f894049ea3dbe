"""`lineage bench`: load a synthetic lineage graph through the bulk path, then measure the service through its
HTTP API, and time the two baselines on the identical graph in the same run.

Everything the report states is measured here; nothing is estimated. The store-level timing ("count plus
first page") runs in this process before the server starts (an embedded database file has one owner), the
HTTP timings run against a real `lineage serve` process, whose peak RSS is read from /proc.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, urlparse

import httpx
import msgspec
import numpy as np
import psutil
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.bench.answers import all_distances
from app.bench.baselines import CsrBaseline, CteBaseline
from app.bench.events import COLUMNS, NAMESPACE
from app.bench.events import generate as generate_events
from app.bench.graph import SyntheticGraph, generate
from app.bench.mixed import MixedLoad
from app.bench.report import render
from app.bench.trickle import GAP_S, Trickle
from app.domain.access import open_scope
from app.domain.lineage import Traversal
from app.services import lineage
from app.store.base import GraphStore
from app.store.ladybug import DB_FILE

#: Events a batch request carries (what `lineage import` sends), and events posted one by one for the baseline.
EVENT_BATCH = 1_000
SINGLE_SAMPLE = 2_000


#: rounds of sinks off / on in the sinks' measure by default (a 2-core machine's noise is of the size of what is
#: measured, so each round's on / off ratio is taken apart and their median reported beside the means)
SINK_ROUNDS = 2


@dataclass
class BenchConfig:
    assets: int = 100_000
    executions: int = 1_000
    #: executions recorded before the timed ones (compilation, caches), reported but not timed
    warmup: int = 200
    clients: int = 8
    #: API processes of the servers on Neo4j (`lineage serve --workers`); LadybugDB's file has one owner process
    api_workers: int = 1
    hub_requests: int = 30
    typical_requests: int = 100
    seed: int = 42
    #: measured one after the other on the same generated graph, reported side by side
    backends: tuple[str, ...] = ("ladybug",)
    data_dir: Path | None = None
    keep: bool = False
    verify: bool = False
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None
    json_path: Path | None = None
    #: OpenLineage events replayed through the batch endpoint after the read timings (0: skip that phase)
    events: int = 0
    #: seconds of reads and writes at once after the other phases (0: skip that phase)
    mixed: float = 0
    #: recordings sent one at a time, one every 3 s, after the other phases (0: skip that phase)
    trickle: int = 0
    cte_depth: int = 100
    #: a Kafka broker: measure recording with the sinks on (Kafka and HTTP forwarding) against off
    kafka_bootstrap: str | None = None
    #: alternating rounds of sinks off and on
    sink_rounds: int = SINK_ROUNDS
    results: dict[str, Any] = field(default_factory=dict)


def _pct(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


#: recordings by one client alone after each variant's concurrent ones
LONE_EXECUTIONS = 200
#: the OpenLineage events of one of the bench's executions (one task run: its START and its end)
EVENTS_PER_EXECUTION = 2


def _ms(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(_pct(samples, 50) * 1000, 2),
        "p95_ms": round(_pct(samples, 95) * 1000, 2),
        "n": len(samples),
    }


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


class Bench:
    """One run: the graph, its baselines (computed once), then each backend in turn on the same graph."""

    def __init__(self, cfg: BenchConfig, console: Console) -> None:
        self.cfg = cfg
        self.console = console
        self.workdir = Path(tempfile.mkdtemp(prefix="lineage-bench-"))
        self.results: dict[str, Any] = {
            "config": {
                "assets": cfg.assets,
                "executions": cfg.executions,
                "warmup": cfg.warmup,
                "clients": cfg.clients,
                "backends": list(cfg.backends),
                "seed": cfg.seed,
                "cte_depth": cfg.cte_depth,
                "events": cfg.events,
                "mixed_s": cfg.mixed,
                "trickle": cfg.trickle,
            },
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "backends": {},
        }

    def run(self) -> dict[str, Any]:
        try:
            graph = generate(self.cfg.assets, tenant="bench", seed=self.cfg.seed)
            csr = CsrBaseline(graph)
            picks = self.pick_assets(graph, csr)
            self.baselines(graph, csr, picks)
            for backend in self.cfg.backends:
                self.console.rule(f"[bold]{backend}")
                self.results["backends"][backend] = BackendRun(self, backend, csr, picks).run()
            return self.results
        finally:
            if not self.cfg.keep:
                shutil.rmtree(self.workdir, ignore_errors=True)

    def pick_assets(self, graph: SyntheticGraph, csr: CsrBaseline) -> dict[str, Any]:
        rng = np.random.default_rng(self.cfg.seed + 1)
        outdeg = np.diff(csr.down.indptr)
        candidates = set(graph.hubs.tolist()) | set(np.argsort(outdeg)[-20:].tolist())
        hub = max(candidates, key=lambda i: len(csr.reached(int(i))))
        indeg = np.diff(csr.up.indptr)
        up_candidates = set(np.argsort(indeg)[-20:].tolist()) | set(
            rng.choice(
                np.arange(graph.bounds[-1][1], graph.n), size=min(200, graph.n - graph.bounds[-1][1]), replace=False
            ).tolist()
        )
        up_hub = max(up_candidates, key=lambda i: len(csr.reached(int(i), upstream=True)))
        typical = [int(i) for i in rng.choice(graph.n, size=min(200, graph.n), replace=False)]
        reach = [len(csr.reached(i)) for i in typical]
        self.results["graph"] = {
            "assets": graph.n,
            "edges": graph.edges,
            "executions": len(np.unique(graph.targets)),
            "layers": {name: hi - lo for name, lo, hi in graph.bounds},
            "hub_candidates": len(graph.hubs),
        }
        self.results["assets"] = {
            "hub": {"id": graph.asset_id(int(hub)), "readers": int(outdeg[hub]), "reached": len(csr.reached(int(hub)))},
            "upstream_hub": {
                "id": graph.asset_id(int(up_hub)),
                "reached": len(csr.reached(int(up_hub), upstream=True)),
            },
            "typical": {"sampled": len(typical), "reached_p50": int(np.median(reach)), "reached_max": int(max(reach))},
        }
        return {"hub": int(hub), "up_hub": int(up_hub), "typical": typical}

    def baselines(self, graph: SyntheticGraph, csr: CsrBaseline, picks: dict[str, Any]) -> None:
        """The CSR floor and the recursive CTE on the hub: once per run, whatever the backends."""
        hub = picks["hub"]
        floor_t: list[float] = []
        for _ in range(50):
            t = time.perf_counter()
            reached = csr.reached(hub)
            floor_t.append(time.perf_counter() - t)
        with self.console.status(f"recursive CTE in SQLite on the hub (depth {self.cfg.cte_depth})..."):
            cte = CteBaseline(graph, self.workdir / "cte.sqlite")
            cte_t: list[float] = []
            cte_total = 0
            for _ in range(2):
                t = time.perf_counter()
                cte_total, _page = cte.impact(hub, depth=self.cfg.cte_depth)
                cte_t.append(time.perf_counter() - t)
            cte.close()
        self.results["baselines"] = {
            "hub_reached": {"csr": len(reached), "cte": int(cte_total)},
            "csr_floor_bfs": _ms(floor_t),
            "sqlite_recursive_cte": _ms(cte_t),
        }


class BackendRun:
    """Everything measured on one backend: bulk load, the store's own hub timing, `--verify`, then HTTP."""

    def __init__(self, bench: Bench, backend: str, csr: CsrBaseline, picks: dict[str, Any]) -> None:
        self.bench = bench
        self.cfg = bench.cfg
        self.console = bench.console
        self.backend = backend
        self.csr = csr
        self.picks = picks
        # A LadybugDB file is fresh for this run; a Neo4j server may hold other data, so its tenant is new.
        self.tenant = "bench" if backend == "ladybug" else f"bench-{uuid.uuid4().hex[:8]}"
        self.workdir = bench.workdir / backend
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.cfg.data_dir or self.workdir / "data"
        self.results: dict[str, Any] = {"tenant": self.tenant}
        self.server: psutil.Process | None = None

    def run(self) -> dict[str, Any]:
        graph = generate(self.cfg.assets, tenant=self.tenant, seed=self.cfg.seed)  # the same graph, its tenant
        store = self.open_store()
        try:
            self.load(graph, store)
            self.store_timing(graph, store)
            if self.cfg.verify:
                self.verify(graph, store)
        finally:
            store.close()
        self.http_phase(graph)
        if self.backend == "neo4j":
            self.results["neo4j"] = {"peak_rss_mb": _neo4j_peak_rss_mb(self.cfg.neo4j_uri or "")}
        floor = self.bench.results["baselines"]["csr_floor_bfs"]["p50_ms"]
        cte = self.bench.results["baselines"]["sqlite_recursive_cte"]["p50_ms"]
        store_p50 = self.results["store_count_first_page"]["p50_ms"]
        self.results["store_over_floor"] = round(store_p50 / floor, 1)
        self.results["cte_over_store"] = round(cte / store_p50, 1)
        return self.results

    def open_store(self) -> GraphStore:
        if self.backend == "neo4j":
            from app.store.neo4j import Neo4jStore

            if not self.cfg.neo4j_uri:
                raise SystemExit("the neo4j backend needs --neo4j-uri (or NEO4J_URI)")
            return Neo4jStore(
                self.cfg.neo4j_uri,
                user=self.cfg.neo4j_user,
                password=self.cfg.neo4j_password,
                database=self.cfg.neo4j_database,
            )
        from app.store.ladybug import LadybugStore

        if self.data_dir.exists() and any(self.data_dir.iterdir()):
            raise SystemExit(f"{self.data_dir} is not empty: the bench loads a fresh database")
        return LadybugStore(self.data_dir)

    def load(self, graph: SyntheticGraph, store: GraphStore) -> None:
        runs = self.bench.results["graph"]["executions"]
        totals = {
            "assets": graph.n,
            "executions": runs,
            "task slots": runs,
            "READ edges": graph.edges,
            "WROTE edges": runs,
            "FEEDS edges": graph.edges,
        }
        with _progress(self.console) as progress:
            tasks = {label: progress.add_task(f"load {label}", total=total) for label, total in totals.items()}
            t = time.perf_counter()
            store.bulk_load(graph.assets(), graph.runs(), lambda label, n: progress.advance(tasks[label], n))
            load_s = time.perf_counter() - t
        self.results["load"] = {
            "bulk_load_s": round(load_s, 2),
            "edges_per_s": round((graph.edges * 2 + runs * 3 + graph.n) / load_s),
            "executions_per_s": round(runs / load_s),
        }

    def store_timing(self, graph: SyntheticGraph, store: GraphStore) -> None:
        """The store's count plus first page on the hub, in this process: what the baselines are compared with."""
        scope = open_scope(self.tenant)
        samples: list[float] = []
        total = 0
        for _ in range(15):
            t = time.perf_counter()
            page = lineage.impact(
                store, scope, graph.asset_id(self.picks["hub"]), "downstream", Traversal(), size=100, with_via=False
            )
            samples.append(time.perf_counter() - t)
            total = page.total
        self.results["store_count_first_page"] = {**_ms(samples), "reached": total}

    def verify(self, graph: SyntheticGraph, store: GraphStore) -> None:
        """Every reached set and distance equals the CSR baseline's, both directions."""
        checked = 0
        mismatches: list[str] = []
        sample = [self.picks["hub"], self.picks["up_hub"], *self.picks["typical"][:40]]
        with _progress(self.console) as progress:
            task = progress.add_task("verify against CSR", total=len(sample) * 2)
            for node in sample:
                for direction, upstream in (("downstream", False), ("upstream", True)):
                    expected = {graph.asset_id(i): d for i, d in self.csr.distances(node, upstream=upstream).items()}
                    got = all_distances(store, self.tenant, graph.asset_id(node), direction)
                    if got != expected:
                        missing = len(set(expected) - set(got))
                        extra = len(set(got) - set(expected))
                        mismatches.append(f"{direction} of {graph.asset_id(node)}: {missing} missing, {extra} extra")
                    checked += 1
                    progress.advance(task)
        self.results["verify"] = {"answers_checked": checked, "mismatches": mismatches, "ok": not mismatches}

    # -- HTTP -----------------------------------------------------------------------------------------------

    def _serve(self, *flags: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str, Path]:
        """A `lineage serve` on this backend's store, ready: (process, its URL, its log)."""
        port = _free_port()
        env = {**os.environ, **(env or {})}
        cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--log-level", "INFO", *flags]
        if self.backend == "neo4j":
            env.update(
                {
                    "NEO4J_URI": self.cfg.neo4j_uri or "",
                    "NEO4J_USER": self.cfg.neo4j_user,
                    "NEO4J_PASSWORD": self.cfg.neo4j_password,
                }
            )
            if self.cfg.neo4j_database:
                env["NEO4J_DATABASE"] = self.cfg.neo4j_database
            cmd += ["--workers", str(self.cfg.api_workers)]
        else:
            env.pop("NEO4J_URI", None)
            cmd += ["--data-dir", str(self.data_dir)]
        log_path = self.workdir / f"server-{port}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(proc, url)
        except BaseException:
            _stop(proc)
            raise
        return proc, url, log_path

    def http_phase(self, graph: SyntheticGraph) -> None:
        proc, url, log_path = self._serve()
        self.server = psutil.Process(proc.pid)
        try:
            base = f"{url}/api/v1/{self.tenant}"
            with httpx.Client(base_url=base, timeout=60) as client:
                self._record_executions(base, graph)
                if self.backend == "ladybug":
                    self._wait_for_checkpoint(log_path)
                self._impact_timings(client, graph)
                self._blast_radius_timings(client, graph)
                self._list_timings(client)
                if self.cfg.events:
                    self._ingest_events(client, url, log_path)
                if self.cfg.mixed:
                    self._mixed_load(base, graph, log_path)
                if self.cfg.trickle:
                    self._trickle(base, graph, log_path)
            self.results["server"] = {"peak_rss_mb": _peak_rss_mb(proc.pid)}
            self.results["writes"] = self._writes()
        finally:
            _stop(proc)
        if self.cfg.kafka_bootstrap:
            self.results["sinks"] = self._sinks(graph)

    def _sinks(self, graph: SyntheticGraph) -> dict[str, Any]:
        """Recording with the sinks off and on (Kafka, and HTTP forwarding in batches to a receiver in this process
        that takes everything), in alternating rounds on servers of their own, then with the outbox written and no
        sink (last: what it leaves undelivered stays in this store); each server warmed up first. Per variant:
        8 clients at once (throughput, and the latency of a saturated server), then one client alone (the latency
        one orchestrator sees), and the server's CPU per execution; with the sinks on, how soon after the last
        recording they had delivered everything."""
        rng = random.Random(self.cfg.seed + 1)
        runs: dict[str, list[dict[str, Any]]] = {"off": [], "on": [], "outbox": []}
        with _Receiver() as receiver:
            topic = f"bench-{uuid.uuid4().hex[:8]}"
            sinks = ("--kafka-bootstrap", str(self.cfg.kafka_bootstrap), "--kafka-topic", topic)
            variants: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
                "off": ((), {}),
                "on": ((*sinks, "--forward-url", receiver.url, "--forward-batch"), {}),
                "outbox": ((), {"LINEAGE_OUTBOX": "1"}),
            }
            # The broker and the receiver warm up first, untimed: a catalog's broker runs warm, and one just started
            # would charge its own start-up to whichever round came first.
            warm_up = self._sink_run(graph, rng, "warm", *variants["on"], delivery=True)
            for n, label in enumerate(["off", "on"] * self.cfg.sink_rounds + ["outbox"]):
                flags, env = variants[label]
                runs[label].append(self._sink_run(graph, rng, f"{label}{n}", flags, env, delivery=label == "on"))
            catch_up = self._catch_up(variants["on"][0], runs["outbox"][-1]["events"])
        out: dict[str, Any] = {label: _mean_run(rs) for label, rs in runs.items()}
        out["catch_up"] = catch_up
        out["warm_up"] = {"per_s": warm_up["per_s"], "p50_ms": warm_up["p50_ms"], "events": warm_up["events"]}
        out["delivery"] = runs["on"][-1]["delivery"]
        out["forwarded"] = receiver.events
        for label in ("on", "outbox"):
            for figure in ("p50_ms", "lone_p50_ms"):
                out[f"{figure}_{label}_over_off"] = round(out[label][figure] / out["off"][figure], 3)
        for figure in ("p50_ms", "lone_p50_ms"):
            paired = [on[figure] / off[figure] for off, on in zip(runs["off"], runs["on"], strict=True)]
            out[f"{figure}_on_over_off_by_round"] = [round(r, 3) for r in paired]
            out[f"{figure}_on_over_off_median"] = round(statistics.median(paired), 3)
        out["rounds"] = runs
        return out

    def _sink_run(
        self, graph: SyntheticGraph, rng: random.Random, tag: str, flags: tuple[str, ...], env: dict[str, str],
        *, delivery: bool,
    ) -> dict[str, Any]:  # fmt: skip
        proc, url, _ = self._serve(*flags, env=env)
        server = psutil.Process(proc.pid)
        try:
            base = f"{url}/api/v1/{self.tenant}"
            warm, timed_end = min(self.cfg.warmup, 200), min(self.cfg.warmup, 200) + self.cfg.executions
            bodies = [
                self._execution_body(graph, rng, f"bench-sinks-{tag}-{n:06d}", n)
                for n in range(timed_end + LONE_EXECUTIONS)
            ]
            warmup, timed, lone = bodies[:warm], bodies[warm:timed_end], bodies[timed_end:]
            if warmup:
                self._post_all(base, warmup, f"warm-up, sinks {tag} (untimed)")
            cpu = _cpu_s(server)
            posted = self._post_all(base, timed, f"record executions, sinks {tag}")
            cpu = _cpu_s(server) - cpu
            alone = self._post_all(base, lone, f"one client alone, sinks {tag}", clients=1)
            run: dict[str, Any] = {
                "per_s": round(len(timed) / posted.wall, 1),
                **_ms(posted.latencies),
                "lone_p50_ms": _ms(alone.latencies)["p50_ms"],
                "server_cpu_ms_per_execution": round(cpu * 1000 / len(timed), 2),
                "clients_cpu_ms_per_execution": posted.clients_cpu_ms,
                "errors": len(posted.errors) + len(alone.errors),
            }
            run["events"] = EVENTS_PER_EXECUTION * len(bodies)  # what this server left for the sinks
            if delivery:
                run["delivery"] = self._delivered(base, run["events"])
            return run
        finally:
            _stop(proc)

    def _catch_up(self, flags: tuple[str, ...], events: int) -> dict[str, Any]:
        """How fast the sinks deliver a backlog (the `events` the outbox-only server left), as after an outage: a
        server with both sinks and nothing else to do, from its start to an empty backlog."""
        started = time.perf_counter()
        proc, url, _ = self._serve(*flags)
        try:
            delivered = self._delivered(f"{url}/api/v1/{self.tenant}", events)
        finally:
            _stop(proc)
        seconds = time.perf_counter() - started
        return {"events": events, "seconds": round(seconds, 2), "events_per_s": round(events / seconds, 1),
                "sinks": delivered["sinks"]}  # fmt: skip

    def _delivered(self, base: str, events: int) -> dict[str, Any]:
        """Wait until every sink has delivered what this server recorded (`events`): how long after its last
        recording that took."""
        started = time.perf_counter()
        with httpx.Client(base_url=base, timeout=60) as client, self.console.status("waiting for the sinks"):
            while time.perf_counter() - started < 600:
                sinks = client.get("/outbox").json()["sinks"]
                if len(sinks) == 2 and all(s["backlog"] == 0 for s in sinks):
                    break
                time.sleep(0.05)  # the sinks deliver in the background: poll their backlog
        return {
            "events": events,
            "drained_after_s": round(time.perf_counter() - started, 2),
            "sinks": {s["name"]: {"delivered": s["delivered"], "lastError": s["lastError"]} for s in sinks},
        }

    def _wait_for_checkpoint(self, log_path: Path, key: str | None = None) -> None:
        """Reads are timed as a server answers between write bursts: LadybugDB's store checkpoints once writes
        pause (app/store/ladybug.py), and timing reads during that checkpoint would measure the checkpoint."""
        started = time.perf_counter()
        seen = log_path.read_text(errors="replace").count("checkpoint done")
        with self.console.status("waiting for the server's checkpoint after the write burst"):
            while time.perf_counter() - started < 120:
                text = log_path.read_text(errors="replace")
                if text.count("checkpoint done") > seen:
                    break
                time.sleep(0.2)
        settle = round(time.perf_counter() - started, 2)
        if key is None:
            self.results["record_executions"]["settle_s"] = settle
        else:
            self.results[key] = settle

    def _record_executions(self, base: str, graph: SyntheticGraph) -> None:
        """`warmup` executions first, untimed (a fresh server's write paths are still being compiled: on a
        Neo4j just loaded, the first thousand recordings ran at 87-111 /s and the next at 170-209 /s), then
        `executions`, timed. Both backends get the same."""
        cfg = self.cfg
        rng = random.Random(cfg.seed)
        warmup = [self._execution_body(graph, rng, f"bench-warmup-{n:06d}", n) for n in range(cfg.warmup)]
        timed = [self._execution_body(graph, rng, f"bench-api-{n:06d}", n) for n in range(cfg.executions)]
        if warmup:
            self._post_all(base, warmup, "warm-up (HTTP, untimed)")
        neo4j = _neo4j_process(cfg.neo4j_uri or "") if self.backend == "neo4j" else None
        cpu, db_cpu = _cpu_s(self.server), _cpu_s(neo4j)
        posted = self._post_all(base, timed, "record executions (HTTP)")
        cpu, db_cpu = _cpu_s(self.server) - cpu, _cpu_s(neo4j) - db_cpu
        self.results["record_executions"] = {
            "server_cpu_ms_per_execution": round(cpu * 1000 / len(timed), 2),
            **({"neo4j_cpu_ms_per_execution": round(db_cpu * 1000 / len(timed), 2)} if neo4j else {}),
            "executions": len(timed),
            "warmup": len(warmup),
            "clients": cfg.clients,
            "clients_cpu_ms_per_execution": posted.clients_cpu_ms,
            "per_s": round(len(timed) / posted.wall, 1),
            **_ms(posted.latencies),
            "errors": len(posted.errors),
            "first_error": posted.errors[0] if posted.errors else None,
        }

    def _writes(self) -> dict[str, Any]:
        """The write path's figures side by side: CPU per execution recorded through the API (the service's own
        process; on Neo4j the database's CPU is not in it), the API, OpenLineage batch and bulk-load rates."""
        recorded = self.results.get("record_executions", {})
        bulk = self.results["load"]["executions_per_s"]
        batch = self.results.get("openlineage_ingest", {}).get("batch_events_per_s")
        return {
            "cpu_ms_per_execution": recorded.get("server_cpu_ms_per_execution"),
            "api_executions_per_s": recorded.get("per_s"),
            "api_clients": self.cfg.clients,
            "api_workers": self.cfg.api_workers if self.backend == "neo4j" else 1,
            "batch_events_per_s": batch,
            "bulk_executions_per_s": bulk,
            "batch_over_bulk": round(batch / bulk, 3) if batch else None,
        }

    @staticmethod
    def _execution_body(graph: SyntheticGraph, rng: random.Random, execution_id: str, n: int) -> dict[str, Any]:
        """2 inputs among the loaded assets, 1 new output."""
        a, b = rng.sample(range(graph.n), 2)
        return {
            "id": execution_id,
            "namespace": "bench.api",
            "flowId": f"api_flow_{n % 50:02d}",
            "taskRuns": [
                {
                    "taskId": f"task_{n:06d}",
                    "assets": {
                        "inputs": [{"id": graph.asset_id(a)}, {"id": graph.asset_id(b)}],
                        "outputs": [
                            {
                                "id": f"{execution_id}.out",
                                "type": "io.kestra.plugin.ee.assets.Table",
                                "metadata": {"layer": "api"},
                            }
                        ],
                    },
                }
            ],
        }

    def _post_all(self, base: str, bodies: list[dict[str, Any]], label: str, *, clients: int | None = None) -> _Posted:
        """POST every body with `clients` (default: the configured number) concurrent clients. The clients share
        this machine's cores with the server, so they are as light as a client can be: the bodies are encoded before
        the clock starts and sent over kept-alive `http.client` connections (httpx's own work per request was most
        of what the clients cost: README, Writes)."""
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        queue = [msgspec.json.encode(body) for body in reversed(bodies)]
        target = urlparse(base)
        with _progress(self.console) as progress:
            task = progress.add_task(label, total=len(bodies))

            def worker() -> None:
                client = _Poster(target.hostname or "127.0.0.1", target.port or 80, f"{target.path}/executions")
                with contextlib.closing(client):
                    while True:
                        with lock:
                            if not queue:
                                return
                            body = queue.pop()
                        t = time.perf_counter()
                        status, text = client.post(body)
                        elapsed = time.perf_counter() - t
                        with lock:
                            latencies.append(elapsed)
                            if status != 201:
                                errors.append(f"{status} {text[:200]}")
                            progress.advance(task)

            cpu, t0 = time.process_time(), time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(clients or self.cfg.clients)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            wall, cpu_ms = time.perf_counter() - t0, (time.process_time() - cpu) * 1000
            return _Posted(wall, latencies, errors, round(cpu_ms / max(len(bodies), 1), 2))

    def _impact_timings(self, client: httpx.Client, graph: SyntheticGraph) -> None:
        picks = self.picks
        cfg = self.cfg

        def timed(path: str, repeat: int) -> tuple[list[float], int]:
            samples = []
            total = 0
            for _ in range(repeat):
                t = time.perf_counter()
                r = client.get(path)
                samples.append(time.perf_counter() - t)
                r.raise_for_status()
                total = r.json()["total"]
            return samples, total

        def typical(kind: str) -> tuple[list[float], list[float], list[int]]:
            """(first-touch timings, warm timings, reached): every sampled asset is asked twice; the second
            answer is what a long-running server gives, the first one is reported beside it."""
            cold, warm, reached = [], [], []
            nodes = picks["typical"]
            for i in range(cfg.typical_requests):
                path = f"/assets/{graph.asset_id(nodes[i % len(nodes)])}/{kind}"
                first, _ = timed(path, 1)
                again, total = timed(path, 1)
                cold += first
                warm += again
                reached.append(total)
            return cold, warm, reached

        with _progress(self.console) as progress:
            task = progress.add_task("impact / upstream (HTTP)", total=4)
            timed(f"/assets/{graph.asset_id(picks['hub'])}/impact", 2)  # warm-up
            hub_s, hub_total = timed(f"/assets/{graph.asset_id(picks['hub'])}/impact", cfg.hub_requests)
            progress.advance(task)
            up_s, up_total = timed(f"/assets/{graph.asset_id(picks['up_hub'])}/upstream", cfg.hub_requests)
            progress.advance(task)
            typ_cold, typ_s, typ_reached = typical("impact")
            progress.advance(task)
            typ_up_cold, typ_up_s, typ_up_reached = typical("upstream")
            progress.advance(task)
        self.results["impact_http"] = {
            "hub": {**_ms(hub_s), "reached": hub_total},
            "typical": {
                **_ms(typ_s),
                "first_touch_p50_ms": _ms(typ_cold)["p50_ms"],
                "reached_p50": int(np.median(typ_reached)),
            },
        }
        self.results["upstream_http"] = {
            "hub": {**_ms(up_s), "reached": up_total},
            "typical": {
                **_ms(typ_up_s),
                "first_touch_p50_ms": _ms(typ_up_cold)["p50_ms"],
                "reached_p50": int(np.median(typ_up_reached)),
            },
        }

    def _blast_radius_timings(self, client: httpx.Client, graph: SyntheticGraph) -> None:
        """The worst hub's whole impact counted (`/impact/summary`, beside the impact answer's first page above:
        both one search), downloaded (`?format=csv`, streamed) and drawn grouped (the explorer's request)."""
        hub = f"/assets/{graph.asset_id(self.picks['hub'])}"
        repeat = max(3, self.cfg.hub_requests // 3)

        def timed(path: str, params: dict[str, Any]) -> tuple[list[float], httpx.Response]:
            samples, responses = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                responses.append(client.get(path, params=params).raise_for_status())
                samples.append(time.perf_counter() - t)
            return samples, responses[-1]

        with _progress(self.console) as progress:
            task = progress.add_task("impact summary, export, drawing (HTTP)", total=3)
            timed(f"{hub}/impact/summary", {})  # the first ask plans it (Neo4j), as at a server's start
            summary_s, summary = timed(f"{hub}/impact/summary", {})
            progress.advance(task)
            export_s, export = timed(f"{hub}/impact", {"format": "csv"})
            progress.advance(task)
            drawing_s, drawing = timed(f"{hub}/lineage", {"depth": 1, "group": 8, "limit": 400})
            progress.advance(task)
        self.results["blast_radius_http"] = {
            "summary": {**_ms(summary_s), "reached": summary.json()["total"]},
            "export_csv": {
                **_ms(export_s),
                "rows": export.text.count("\n") - 1,
                "mb": round(len(export.content) / 2**20, 1),
            },
            "drawing": {**_ms(drawing_s), "nodes": len(drawing.json()["nodes"])},
        }

    def _mixed_load(self, base: str, graph: SyntheticGraph, log_path: Path) -> None:
        """`--mixed SECONDS`: two writers and two readers at once (app/bench/mixed.py). The store is settled: every
        write phase before this one waited for the checkpoint after it, and only reads came since."""
        files = [] if self.backend == "neo4j" else [self.data_dir / DB_FILE, self.data_dir / f"{DB_FILE}.wal"]
        with self.console.status(f"mixed load: 2 writers and 2 readers for {self.cfg.mixed:.0f} s"):
            load = MixedLoad(base, graph, list(self.picks["typical"]), self.cfg.mixed, log_path, files)
            self.results["mixed"] = load.run()

    def _trickle(self, base: str, graph: SyntheticGraph, log_path: Path) -> None:
        """`--trickle N`: N recordings one at a time, one every 3 s (app/bench/trickle.py)."""
        rng = random.Random(self.cfg.seed + 1)
        bodies = [
            msgspec.json.encode(self._execution_body(graph, rng, f"bench-trickle-{n:06d}", n))
            for n in range(self.cfg.trickle)
        ]
        target = urlparse(base)
        poster = _Poster(target.hostname or "127.0.0.1", target.port or 80, f"{target.path}/executions")
        status = self.console.status(f"trickle: {len(bodies)} recordings, one every {GAP_S:g} s")
        with contextlib.closing(poster), status:
            self.results["trickle"] = Trickle(poster.post, bodies, log_path).run()

    def _ingest_events(self, client: httpx.Client, url: str, log_path: Path) -> None:
        """`--events N`: an OpenLineage history (app/bench/events.py) replayed in order through
        `POST /openlineage/batch`, 1,000 events a request (what `lineage import` sends), beside its baseline: the
        first events again, one request each (`POST /openlineage/lineage`), into a tenant of their own. Then column
        answers on what was ingested."""
        events = list(generate_events(self.cfg.events, self.cfg.seed))
        lines = [json.dumps(e, separators=(",", ":")) for e in events]
        batch_s: list[float] = []
        with _progress(self.console) as progress:
            task = progress.add_task("OpenLineage events (batch)", total=len(lines))
            started = time.perf_counter()
            for i in range(0, len(lines), EVENT_BATCH):
                chunk = lines[i : i + EVENT_BATCH]
                t0 = time.perf_counter()
                r = client.post("/openlineage/batch", content="\n".join(chunk).encode(), timeout=600)
                batch_s.append(time.perf_counter() - t0)
                if r.status_code != 200 or r.json()["failed"]:
                    raise SystemExit(f"batch refused: {r.status_code} {r.text[:500]}")
                progress.advance(task, len(chunk))
            total = time.perf_counter() - started
        single_tenant = f"{self.tenant}-single"
        sample = lines[: min(len(lines), SINGLE_SAMPLE)]
        started = time.perf_counter()
        for line in sample:
            r = client.post(f"{url}/api/v1/{single_tenant}/openlineage/lineage", content=line.encode())
            if r.status_code != 200:
                raise SystemExit(f"event refused: {r.status_code} {r.text[:500]}")
        single = time.perf_counter() - started
        if self.backend == "ladybug":
            self._wait_for_checkpoint(log_path, "openlineage_ingest_settle_s")
        self.results["openlineage_ingest"] = {
            "events": len(lines),
            "batch_events_per_s": round(len(lines) / total, 1),
            "batch_total_s": round(total, 1),
            "batch_ms": _ms(batch_s),
            "single_sample": len(sample),
            "single_events_per_s": round(len(sample) / single, 1),
            **self._column_timings(client, events),
            "settle_s": self.results.pop("openlineage_ingest_settle_s", None),
        }

    def _column_timings(self, client: httpx.Client, events: list[dict[str, Any]]) -> dict[str, Any]:
        """Column impact from raw tables' columns, column upstream from report tables' columns."""
        starts = sorted({d["name"] for e in events for d in e["inputs"] if d["name"].startswith("raw.")})
        ends = sorted({d["name"] for e in events for d in e["outputs"] if d["name"].startswith("report.")})
        rng = random.Random(self.cfg.seed)
        out: dict[str, Any] = {}
        for kind, names in (("impact", starts), ("upstream", ends)):
            samples, reached = [], []
            for _ in range(self.cfg.typical_requests):
                asset = quote(f"{NAMESPACE}/{rng.choice(names)}", safe="")
                t0 = time.perf_counter()
                r = client.get(f"/assets/{asset}/columns/c{rng.randrange(COLUMNS)}/{kind}")
                samples.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    raise SystemExit(f"column {kind} failed: {r.status_code} {r.text[:300]}")
                reached.append(len(r.json()["items"]))
            out[f"column_{kind}"] = {**_ms(samples), "reached_p50": int(np.median(reached))}
        return out

    def _list_timings(self, client: httpx.Client) -> None:
        samples = []
        matched = 0
        for i in range(30):
            t = time.perf_counter()
            r = client.get("/assets", params={"metadata.owner": f"team-{i % 20:02d}", "metadata.layer": "mart"})
            samples.append(time.perf_counter() - t)
            r.raise_for_status()
            matched = r.json()["total"]
        self.results["list_filter_http"] = {**_ms(samples), "matched": matched}
        # the same question in Kestra's query-filter syntax (GET /assets/search), one more filter on namespace
        samples = []
        for i in range(30):
            params = {
                "filters[metadata][EQUALS][owner]": f"team-{i % 20:02d}",
                "filters[metadata][EQUALS][layer]": "mart",
                "filters[namespace][PREFIX]": "bench",
            }
            t = time.perf_counter()
            r = client.get("/assets/search", params=params)
            samples.append(time.perf_counter() - t)
            r.raise_for_status()
            matched = r.json()["total"]
        self.results["kestra_search_http"] = {**_ms(samples), "matched": matched}


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class _Receiver:
    """A catalog's OpenLineage endpoint that takes every batch (the bench's HTTP forwarding target)."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                # counted, not parsed: this receiver shares the bench's process (and its GIL) with the clients
                count = len(msgspec.json.decode(body, type=list[msgspec.Raw])) if body.startswith(b"[") else 1
                with owner.lock:
                    owner.events += count
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.lock = threading.Lock()
        self.events = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/lineage"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _mean_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one variant of the sinks' measure, averaged."""
    figures = ("per_s", "p50_ms", "p95_ms", "lone_p50_ms", "server_cpu_ms_per_execution")
    out: dict[str, Any] = {f: round(sum(r[f] for r in runs) / len(runs), 2) for f in figures}
    out["errors"] = sum(r["errors"] for r in runs)
    out["rounds"] = len(runs)
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(proc: subprocess.Popen[bytes], url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"lineage serve exited with {proc.returncode}")
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("lineage serve did not become ready")


class _Posted(NamedTuple):
    """What a round of POSTs took: wall seconds, each request's latency, the errors, and the clients' own CPU per
    request (this process's, so the HTTP receiver of the sinks' rounds is in it)."""

    wall: float
    latencies: list[float]
    errors: list[str]
    clients_cpu_ms: float


class _Poster:
    """One client's kept-alive connection, reopened when the server closed it."""

    def __init__(self, host: str, port: int, path: str) -> None:
        self.host, self.port, self.path = host, port, path
        self.conn: http.client.HTTPConnection | None = None

    def post(self, body: bytes) -> tuple[int, str]:
        """(status, text); status 0 when the server could not be reached twice in a row."""
        try:
            return self._post(body)
        except (http.client.HTTPException, OSError):  # a kept-alive connection the server closed: once more, anew
            self.close()
        try:
            return self._post(body)
        except (http.client.HTTPException, OSError) as exc:
            self.close()
            return 0, f"{type(exc).__name__}: {exc}"

    def _post(self, body: bytes) -> tuple[int, str]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.conn.request("POST", self.path, body=body, headers={"Content-Type": "application/json"})
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        if response.will_close:
            self.close()
        return response.status, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _cpu_s(process: psutil.Process | None) -> float:
    """CPU seconds of a server: its process and its children (`--workers` processes, the sandbox's)."""
    if process is None:
        return 0.0
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = p.cpu_times()
            total += times.user + times.system
    return total


def _peak_rss_mb(pid: int) -> float | None:
    """The high-water mark of the server's largest process (with `--workers`, its largest worker)."""
    try:
        pids = [pid, *(c.pid for c in psutil.Process(pid).children(recursive=True))]
    except psutil.Error:
        pids = [pid]
    peaks = [peak for p in pids if (peak := _process_peak_rss_mb(p)) is not None]
    return max(peaks, default=None)


def _process_peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _neo4j_peak_rss_mb(uri: str) -> float | None:
    """Peak RSS of the Neo4j process serving `uri`, when it runs on this machine."""
    process = _neo4j_process(uri)
    return _process_peak_rss_mb(process.pid) if process else None


def _neo4j_process(uri: str) -> psutil.Process | None:
    """The Neo4j process serving `uri`, when it runs on this machine (found by its listening port)."""
    parsed = urlparse(uri)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1") or parsed.port is None:
        return None
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == parsed.port and conn.pid:
            return psutil.Process(conn.pid)
    return None


def main(cfg: BenchConfig, console: Console | None = None) -> dict[str, Any]:
    console = console or Console(stderr=True)
    results = Bench(cfg, console).run()
    render(results, console)
    text = json.dumps(results, indent=2)
    if cfg.json_path is not None:
        if str(cfg.json_path) == "-":
            print(text)
        else:
            cfg.json_path.write_text(text + "\n")
            console.print(f"results written to {cfg.json_path}")
    return results
