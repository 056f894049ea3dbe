"""`lineage bench`: load a synthetic lineage graph through the bulk path, then measure the service through its
HTTP API, and time the two baselines on the identical graph in the same run.

Everything the report states is measured here; nothing is estimated. The store-level timing ("count plus
first page") runs in this process before the server starts (an embedded database file has one owner), the
HTTP timings run against a real `lineage serve` process, whose peak RSS is read from /proc.
"""

from __future__ import annotations

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
from typing import Any

import httpx
import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.bench.answers import all_distances
from app.bench.baselines import CsrBaseline, CteBaseline
from app.bench.graph import SyntheticGraph, generate
from app.domain.access import open_scope
from app.domain.lineage import Traversal
from app.services import lineage
from app.store.base import GraphStore


@dataclass
class BenchConfig:
    assets: int = 100_000
    executions: int = 1_000
    clients: int = 4
    hub_requests: int = 30
    typical_requests: int = 100
    seed: int = 42
    backend: str = "ladybug"
    data_dir: Path | None = None
    keep: bool = False
    verify: bool = False
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None
    json_path: Path | None = None
    cte_depth: int = 100
    results: dict[str, Any] = field(default_factory=dict)


def _pct(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


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
    def __init__(self, cfg: BenchConfig, console: Console) -> None:
        self.cfg = cfg
        self.console = console
        self.tenant = "bench" if cfg.backend == "ladybug" else f"bench-{uuid.uuid4().hex[:8]}"
        self.workdir = Path(tempfile.mkdtemp(prefix="lineage-bench-"))
        self.data_dir = cfg.data_dir or self.workdir / "data"
        self.results: dict[str, Any] = {
            "config": {
                "assets": cfg.assets,
                "executions": cfg.executions,
                "clients": cfg.clients,
                "backend": cfg.backend,
                "seed": cfg.seed,
                "cte_depth": cfg.cte_depth,
            },
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        }

    # -- store ----------------------------------------------------------------------------------------------

    def open_store(self) -> GraphStore:
        if self.cfg.backend == "neo4j":
            from app.store.neo4j import Neo4jStore

            if not self.cfg.neo4j_uri:
                raise SystemExit("--backend neo4j needs --neo4j-uri (or NEO4J_URI)")
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

    # -- phases ---------------------------------------------------------------------------------------------

    def generate_and_load(self) -> tuple[SyntheticGraph, GraphStore]:
        cfg = self.cfg
        with _progress(self.console) as progress:
            t0 = time.perf_counter()
            task = progress.add_task("generate graph", total=1)
            graph = generate(cfg.assets, tenant=self.tenant, seed=cfg.seed)
            progress.update(task, completed=1)
            generate_s = time.perf_counter() - t0
            runs = sum(1 for _ in np.unique(graph.targets))
            totals = {
                "assets": graph.n,
                "executions": runs,
                "task slots": runs,
                "READ edges": graph.edges,
                "WROTE edges": runs,
                "FEEDS edges": graph.edges,
            }
            tasks = {label: progress.add_task(f"load {label}", total=total) for label, total in totals.items()}
            store = self.open_store()
            t1 = time.perf_counter()
            store.bulk_load(graph.assets(), graph.runs(), lambda label, n: progress.advance(tasks[label], n))
            load_s = time.perf_counter() - t1
        self.results["graph"] = {
            "assets": graph.n,
            "edges": graph.edges,
            "executions": runs,
            "layers": {name: hi - lo for name, lo, hi in graph.bounds},
            "hub_candidates": len(graph.hubs),
        }
        self.results["load"] = {
            "generate_s": round(generate_s, 2),
            "bulk_load_s": round(load_s, 2),
            "edges_per_s": round((graph.edges * 2 + runs * 3 + graph.n) / load_s),
        }
        return graph, store

    def pick_assets(self, graph: SyntheticGraph, csr: CsrBaseline) -> dict[str, Any]:
        rng = np.random.default_rng(self.cfg.seed + 1)
        outdeg = np.diff(csr.down.indptr)
        candidates = set(graph.hubs.tolist()) | set(np.argsort(outdeg)[-20:].tolist())
        hub = max(candidates, key=lambda i: len(csr.reached(int(i))))
        indeg = np.diff(csr.up.indptr)
        up_candidates = set(np.argsort(indeg)[-20:].tolist()) | set(
            rng.choice(np.arange(graph.bounds[-1][1], graph.n), size=200, replace=False).tolist()
        )
        up_hub = max(up_candidates, key=lambda i: len(csr.reached(int(i), upstream=True)))
        typical = [int(i) for i in rng.choice(graph.n, size=min(200, graph.n), replace=False)]
        reach = [len(csr.reached(i)) for i in typical]
        self.results["assets"] = {
            "hub": {
                "id": graph.asset_id(int(hub)),
                "readers": int(outdeg[hub]),
                "reached": len(csr.reached(int(hub))),
            },
            "upstream_hub": {
                "id": graph.asset_id(int(up_hub)),
                "reached": len(csr.reached(int(up_hub), upstream=True)),
            },
            "typical": {"sampled": len(typical), "reached_p50": int(np.median(reach)), "reached_max": int(max(reach))},
        }
        return {"hub": int(hub), "up_hub": int(up_hub), "typical": typical}

    def baselines(self, graph: SyntheticGraph, store: GraphStore, csr: CsrBaseline, picks: dict[str, Any]) -> None:
        """The store's count-plus-first-page, the CSR floor and the recursive CTE, on the hub, in this run."""
        hub = picks["hub"]
        scope = open_scope(self.tenant)
        traversal = Traversal()
        store_t: list[float] = []
        total = 0
        for _ in range(15):
            t = time.perf_counter()
            page = lineage.impact(store, scope, graph.asset_id(hub), "downstream", traversal, size=100, with_via=False)
            store_t.append(time.perf_counter() - t)
            total = page.total
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
        store_p50, floor_p50, cte_p50 = (statistics.median(x) for x in (store_t, floor_t, cte_t))
        self.results["baselines"] = {
            "hub_reached": {"store": total, "csr": len(reached), "cte": int(cte_total)},
            "store_count_first_page": _ms(store_t),
            "csr_floor_bfs": _ms(floor_t),
            "sqlite_recursive_cte": _ms(cte_t),
            "cte_over_store": round(cte_p50 / store_p50, 1),
            "store_over_floor": round(store_p50 / floor_p50, 1),
        }

    def verify(self, graph: SyntheticGraph, store: GraphStore, csr: CsrBaseline, picks: dict[str, Any]) -> None:
        """Every reached set and distance equals the CSR baseline's, both directions."""
        checked = 0
        mismatches: list[str] = []
        sample = [picks["hub"], picks["up_hub"], *picks["typical"][:40]]
        with _progress(self.console) as progress:
            task = progress.add_task("verify against CSR", total=len(sample) * 2)
            for node in sample:
                for direction, upstream in (("downstream", False), ("upstream", True)):
                    expected = {graph.asset_id(i): d for i, d in csr.distances(node, upstream=upstream).items()}
                    got = all_distances(store, self.tenant, graph.asset_id(node), direction)
                    if got != expected:
                        missing = len(set(expected) - set(got))
                        extra = len(set(got) - set(expected))
                        mismatches.append(f"{direction} of {graph.asset_id(node)}: {missing} missing, {extra} extra")
                    checked += 1
                    progress.advance(task)
        self.results["verify"] = {"answers_checked": checked, "mismatches": mismatches, "ok": not mismatches}

    # -- HTTP -----------------------------------------------------------------------------------------------

    def http_phase(self, graph: SyntheticGraph, picks: dict[str, Any]) -> None:
        port = _free_port()
        env = {**os.environ}
        cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--log-level", "INFO"]
        if self.cfg.backend == "neo4j":
            env.update(
                {
                    "NEO4J_URI": self.cfg.neo4j_uri or "",
                    "NEO4J_USER": self.cfg.neo4j_user,
                    "NEO4J_PASSWORD": self.cfg.neo4j_password,
                }
            )
            if self.cfg.neo4j_database:
                env["NEO4J_DATABASE"] = self.cfg.neo4j_database
        else:
            env.pop("NEO4J_URI", None)
            cmd += ["--data-dir", str(self.data_dir)]
        log = (self.workdir / "server.log").open("wb")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(proc, url)
            base = f"{url}/api/v1/{self.tenant}"
            with httpx.Client(base_url=base, timeout=60) as client:
                self._record_executions(base, graph)
                if self.cfg.backend == "ladybug":
                    self._wait_for_checkpoint(self.workdir / "server.log")
                self._impact_timings(client, graph, picks)
                self._list_timings(client)
            self.results["server"] = {"peak_rss_mb": _peak_rss_mb(proc.pid)}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()

    def _wait_for_checkpoint(self, log_path: Path) -> None:
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
        self.results["record_executions"]["settle_s"] = round(time.perf_counter() - started, 2)

    def _record_executions(self, base: str, graph: SyntheticGraph) -> None:
        cfg = self.cfg
        rng = random.Random(cfg.seed)
        bodies = []
        for n in range(cfg.executions):
            a, b = rng.sample(range(graph.n), 2)
            bodies.append(
                {
                    "id": f"bench-api-{n:06d}",
                    "namespace": "bench.api",
                    "flowId": f"api_flow_{n % 50:02d}",
                    "taskRuns": [
                        {
                            "taskId": f"task_{n:06d}",
                            "assets": {
                                "inputs": [{"id": graph.asset_id(a)}, {"id": graph.asset_id(b)}],
                                "outputs": [
                                    {
                                        "id": f"api.out{n:06d}",
                                        "type": "io.kestra.plugin.ee.assets.Table",
                                        "metadata": {"layer": "api"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            )
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        queue = list(reversed(bodies))
        with _progress(self.console) as progress:
            task = progress.add_task("record executions (HTTP)", total=len(bodies))

            def worker() -> None:
                with httpx.Client(base_url=base, timeout=60) as client:
                    while True:
                        with lock:
                            if not queue:
                                return
                            body = queue.pop()
                        t = time.perf_counter()
                        r = client.post("/executions", json=body)
                        elapsed = time.perf_counter() - t
                        with lock:
                            latencies.append(elapsed)
                            if r.status_code != 201:
                                errors.append(f"{r.status_code} {r.text[:200]}")
                            progress.advance(task)

            t0 = time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(cfg.clients)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            wall = time.perf_counter() - t0
        self.results["record_executions"] = {
            "executions": len(bodies),
            "clients": cfg.clients,
            "per_s": round(len(bodies) / wall, 1),
            **_ms(latencies),
            "errors": len(errors),
            "first_error": errors[0] if errors else None,
        }

    def _impact_timings(self, client: httpx.Client, graph: SyntheticGraph, picks: dict[str, Any]) -> None:
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

    # -- all ------------------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        try:
            graph, store = self.generate_and_load()
            csr = CsrBaseline(graph)
            try:
                picks = self.pick_assets(graph, csr)
                self.baselines(graph, store, csr, picks)
                if self.cfg.verify:
                    self.verify(graph, store, csr, picks)
            finally:
                store.close()
            self.http_phase(graph, picks)
            return self.results
        finally:
            if not self.cfg.keep:
                shutil.rmtree(self.workdir, ignore_errors=True)


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


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def render(results: dict[str, Any], console: Console) -> None:
    table = Table(
        title=f"lineage bench ({results['config']['backend']}, {results['graph']['assets']:,} assets, "
        f"{results['graph']['edges']:,} lineage edges)"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("detail")

    def row(name: str, value: str, detail: str = "") -> None:
        table.add_row(name, value, detail)

    load = results["load"]
    row("bulk load", f"{load['bulk_load_s']} s", f"generate {load['generate_s']} s")
    rec = results.get("record_executions", {})
    if rec:
        row(
            "record executions (HTTP)",
            f"{rec['per_s']} /s",
            f"p50 {rec['p50_ms']} ms, p95 {rec['p95_ms']} ms, {rec['clients']} clients, {rec['errors']} errors"
            + (f"; idle checkpoint after {rec['settle_s']} s" if "settle_s" in rec else ""),
        )
    for key, label in (("impact_http", "impact"), ("upstream_http", "upstream")):
        if key in results:
            hub, typ = results[key]["hub"], results[key]["typical"]
            row(
                f"{label}, worst hub (HTTP)",
                f"p95 {hub['p95_ms']} ms",
                f"p50 {hub['p50_ms']} ms, {hub['reached']:,} reached",
            )
            row(
                f"{label}, typical (HTTP)",
                f"p50 {typ['p50_ms']} ms",
                f"p95 {typ['p95_ms']} ms, first touch p50 {typ['first_touch_p50_ms']} ms, "
                f"median reach {typ['reached_p50']:,}",
            )
    if "list_filter_http" in results:
        lf = results["list_filter_http"]
        row("list filter by metadata (HTTP)", f"p50 {lf['p50_ms']} ms", f"{lf['matched']:,} matched")
    base = results["baselines"]
    row(
        "store: count + first page (hub)",
        f"p50 {base['store_count_first_page']['p50_ms']} ms",
        f"{base['hub_reached']['store']:,} reached",
    )
    row(
        "floor: CSR BFS (scipy)",
        f"p50 {base['csr_floor_bfs']['p50_ms']} ms",
        f"store / floor = {base['store_over_floor']}x",
    )
    row(
        "relational: recursive CTE (SQLite)",
        f"p50 {base['sqlite_recursive_cte']['p50_ms']} ms",
        f"CTE / store = {base['cte_over_store']}x",
    )
    if "server" in results:
        row("server peak RSS", f"{results['server']['peak_rss_mb']} MB")
    if "verify" in results:
        v = results["verify"]
        row("verify vs CSR", "ok" if v["ok"] else "MISMATCH", f"{v['answers_checked']} answers compared")
    console.print(table)


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
