"""The bench's report: one table, a row per measure and a column per backend, from the results' JSON. The rows are
data (a label and how to read its cell from one backend's results); `render` only walks them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

Result = dict[str, Any]
Cell = Callable[[Result], str]


def _at(r: Result, *path: str) -> Any:
    """The value at `path` in a backend's results, or None where a phase did not run."""
    for key in path:
        if not isinstance(r, dict) or key not in r:
            return None
        r = r[key]
    return r


def _ms(*path: str, keys: tuple[str, ...] = ("p50_ms", "p95_ms")) -> Cell:
    def cell(r: Result) -> str:
        found = _at(r, *path)
        return " / ".join(f"{found[k]} ms" for k in keys) if found else ""

    return cell


def _when(*path: str, text: Callable[[Any], str]) -> Cell:
    """`text` of the value at `path`, or nothing where the phase did not run."""

    def cell(r: Result) -> str:
        found = _at(r, *path)
        return text(found) if found else ""

    return cell


def _mixed(kind: str) -> Cell:
    return _when(
        "mixed",
        kind,
        text=lambda m: " / ".join(f"{m[k]:,.0f}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")) + " ms",
    )


def _export(r: Result) -> str:
    found = _at(r, "blast_radius_http", "export_csv")
    return f"{_ms('blast_radius_http', 'export_csv')(r)} ({found['rows']:,} rows)" if found else ""


def _verify(r: Result) -> str:
    v = _at(r, "verify")
    return f"{v['answers_checked'] - len(v['mismatches'])} of {v['answers_checked']}" if v else "not run"


ROWS: tuple[tuple[str, Cell], ...] = (
    ("bulk load", _when("load", text=lambda x: f"{x['bulk_load_s']} s ({x['executions_per_s']:,} executions/s)")),
    (
        "record executions (HTTP), /s (p50 / p95)",
        _when("record_executions", text=lambda x: f"{x['per_s']} /s ({x['p50_ms']} ms / {x['p95_ms']} ms)"),
    ),
    ("  API processes (`lineage serve --workers`)", _when("writes", "api_workers", text=str)),
    ("  service CPU per recorded execution", _when("writes", "cpu_ms_per_execution", text=lambda x: f"{x} ms")),
    (
        "  the clients' own CPU per request (on this machine too)",
        _when("record_executions", "clients_cpu_ms_per_execution", text=lambda x: f"{x} ms"),
    ),
    ("  OpenLineage batch rate / bulk-load rate", _when("writes", "batch_over_bulk", text=str)),
    ("impact, worst hub (HTTP) p50 / p95", _ms("impact_http", "hub")),
    ("impact, typical (HTTP) p50 / p95", _ms("impact_http", "typical")),
    ("upstream, worst hub (HTTP) p50 / p95", _ms("upstream_http", "hub")),
    ("upstream, typical (HTTP) p50 / p95", _ms("upstream_http", "typical")),
    ("impact summary, worst hub (HTTP) p50 / p95", _ms("blast_radius_http", "summary")),
    ("impact as CSV, worst hub (HTTP) p50 / p95", _export),
    ("grouped drawing, worst hub (HTTP) p50 / p95", _ms("blast_radius_http", "drawing")),
    ("list filter by 2 metadata keys (HTTP) p50", _ms("list_filter_http", keys=("p50_ms",))),
    ("Kestra search, same + namespace PREFIX (HTTP) p50", _ms("kestra_search_http", keys=("p50_ms",))),
    (
        "OpenLineage replay, batches of 1,000 (HTTP) events/s",
        _when("openlineage_ingest", "batch_events_per_s", text=lambda x: f"{x} /s"),
    ),
    (
        "  one event per request (baseline) events/s",
        _when("openlineage_ingest", "single_events_per_s", text=lambda x: f"{x} /s"),
    ),
    ("column impact (HTTP) p50 / p95", _ms("openlineage_ingest", "column_impact")),
    ("column upstream (HTTP) p50 / p95", _ms("openlineage_ingest", "column_upstream")),
    ("mixed load: read p50 / p95 / p99 / max", _mixed("read")),
    ("mixed load: write p50 / p95 / p99 / max", _mixed("write")),
    (
        "mixed load: writes/s (2 writers), reads/s",
        _when("mixed", text=lambda m: f"{m['writes_per_s']} /s, {m['reads_per_s']} /s"),
    ),
    (
        "mixed load: longest write stall",
        _when("mixed", "longest_write_stall", text=lambda s: f"{s['seconds']} s: {s['cause']}"),
    ),
    (
        "mixed load: checkpoints (count, longest)",
        _when("mixed", "checkpoints", text=lambda c: f"{c['count']}, {c['max_s']} s"),
    ),
    (
        "mixed load: file + WAL MB before -> after",
        _when(
            "mixed",
            "files_mb",
            text=lambda f: " -> ".join(f"{sum(f[k].values()):.0f}" for k in ("before", "after")) if f["before"] else "",
        ),
    ),
    (
        "mixed load: after the writers stop, the pause's checkpoint; file + WAL MB",
        _when("mixed", "settled", text=lambda s: f"{s['checkpoint_s']} s; {sum(s['files_mb'].values()):.0f}"),
    ),
    (
        "trickle: one recording every 3 s, p50 / max; checkpoints (count, longest)",
        _when(
            "trickle",
            text=lambda t: (
                f"{t['p50_ms']} / {t['max_ms']} ms; {t['checkpoints']['count']}, {t['checkpoints']['max_s']} s"
            ),
        ),
    ),
    ("store: count + first page (hub) p50", _ms("store_count_first_page", keys=("p50_ms",))),
)

#: Rows whose labels carry the baselines' own figures (the same for every backend).
BASELINE_ROWS: tuple[tuple[Callable[[Result], str], Cell], ...] = (
    (
        lambda b: f"  / CSR BFS floor ({b['csr_floor_bfs']['p50_ms']} ms)",
        _when("store_over_floor", text=lambda x: f"{x}x"),
    ),
    (
        lambda b: f"  recursive CTE ({b['sqlite_recursive_cte']['p50_ms']:,.0f} ms) /",
        _when("cte_over_store", text=lambda x: f"{x}x"),
    ),
)

LAST_ROWS: tuple[tuple[str, Cell], ...] = (
    (
        "recording, sinks off / on (Kafka + HTTP): p50, 8 clients",
        _when("sinks", text=lambda s: f"{s['off']['p50_ms']} / {s['on']['p50_ms']} ms ({s['p50_ms_on_over_off']}x)"),
    ),
    (
        "  on / off by round (median): p50, 8 clients; one client alone",
        _when(
            "sinks",
            text=lambda s: (
                f"{s['p50_ms_on_over_off_by_round']} ({s['p50_ms_on_over_off_median']}x); "
                f"{s['lone_p50_ms_on_over_off_by_round']} ({s['lone_p50_ms_on_over_off_median']}x)"
            ),
        ),
    ),
    (
        "  one client alone: p50",
        _when(
            "sinks",
            text=lambda s: f"{s['off']['lone_p50_ms']} / {s['on']['lone_p50_ms']} ms ({s['lone_p50_ms_on_over_off']}x)",
        ),
    ),
    (
        "  rate; service CPU per execution",
        _when(
            "sinks",
            text=lambda s: (
                f"{s['off']['per_s']} / {s['on']['per_s']} /s; "
                f"{s['off']['server_cpu_ms_per_execution']} / {s['on']['server_cpu_ms_per_execution']} ms"
            ),
        ),
    ),
    (
        "sinks: all delivered, after the last recording",
        _when("sinks", text=lambda s: f"{s['delivery']['drained_after_s']} s ({s['delivery']['events']:,} events)"),
    ),
    (
        "sinks: a backlog delivered to each, from a server's start",
        _when("sinks", "catch_up", text=lambda c: f"{c['events_per_s']:,} events/s ({c['events']:,} events)"),
    ),
    ("service peak RSS", _when("server", "peak_rss_mb", text=lambda x: f"{x} MB")),
    ("Neo4j peak RSS", _when("neo4j", "peak_rss_mb", text=lambda x: f"{x} MB")),
    ("verify: answers equal to CSR", _verify),
)


def render(results: Result, console: Console) -> None:
    """One table, a column per backend; the baselines are the same graph's, computed once."""
    backends = results["backends"]
    graph = results["graph"]
    table = Table(title=f"lineage bench ({graph['assets']:,} assets, {graph['edges']:,} lineage edges)")
    table.add_column("measure")
    for name in backends:
        table.add_column(name, justify="right")
    baseline_rows = [(label(results["baselines"]), cell) for label, cell in BASELINE_ROWS]
    for label, cell in (*ROWS, *baseline_rows, *LAST_ROWS):
        table.add_row(label, *(cell(r) if r else "" for r in backends.values()))
    console.print(table)
    hub = results["assets"]["hub"]
    console.print(
        f"hub {hub['id']}: read by {hub['readers']:,} tasks, {hub['reached']:,} assets downstream; "
        f"typical assets reach {results['assets']['typical']['reached_p50']:,} (median)"
    )
