"""`lineage assets|flows|impact|upstream|import|export`: the service from a terminal."""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import graphviz
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as _RichTable
from rich.text import Text

from app.cli.client import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Api, CliError, add_client_flags, report

# Piped output (`| grep`, `> file`) gets wide tables instead of rich's 80-column default.
out = Console(width=None if sys.stdout.isatty() else 240)
err = Console(stderr=True)

EXIT_CODES = """
exit codes: 0 done; 1 not found or some items failed; 2 bad usage or invalid input;
            3 authentication/authorization failed; 4 service or database unavailable;
            5 the service failed (a bug)"""


def _pairs(values: list[str], what: str) -> dict[str, Any]:
    """`k=v` options; a value that parses as JSON is that value (`n=3`, `on=true`, `l=["a"]`), else text.
    A key given twice collects a list (`--input teams=Data --input teams=Finance`)."""
    result: dict[str, Any] = {}
    for item in values:
        if "=" not in item:
            raise CliError(EXIT_USAGE, f"{what} {item!r}: expected key=value")
        key, raw = item.split("=", 1)
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        if key in result:
            result[key] = (result[key] if isinstance(result[key], list) else [result[key]]) + [value]
        else:
            result[key] = value
    return result


def _asset_path(asset_id: str) -> str:
    return f"/assets/{quote(asset_id, safe='')}"


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )


class Table(_RichTable):
    """A table of data, never of markup: an id like `[bold]x` or a ForEach value `[a]` prints as written, and cells
    wrap rather than lose their ends (an id cut to `create_mart_laye…` is useless)."""

    def __init__(self, *columns: str, title: str | None = None) -> None:
        super().__init__(title=Text(title) if title else None)
        for column in columns:
            self.add_column(column, overflow="fold")

    def add_row(self, *cells: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **kwargs)


# -- assets --------------------------------------------------------------------------------------------------------


def assets_list(api: Api, args: argparse.Namespace) -> int:
    params: dict[str, Any] = {"page": args.page, "size": args.size}
    for name in ("q", "type", "namespace"):
        if getattr(args, name):
            params[name] = getattr(args, name)
    if args.deleted:
        params["deleted"] = "true"
    for key, value in _pairs(args.metadata, "--metadata").items():
        params[f"metadata.{key}"] = value if isinstance(value, str) else json.dumps(value)
    page = api.request("GET", "/assets", params=params)
    if args.format == "json":
        _print_json(page)
        return EXIT_OK
    table = Table("id", "type", "namespace", "updated", title=f"{page['total']} asset(s)")
    for a in page["results"]:
        table.add_row(a["id"] + (" (deleted)" if a["deleted"] else ""), a["type"], a["namespace"] or "-", a["updated"])
    out.print(table)
    return EXIT_OK


def assets_get(api: Api, args: argparse.Namespace) -> int:
    asset = api.request("GET", _asset_path(args.id), params={"allowDeleted": "true"})
    if args.format == "json":
        _print_json(asset)
        return EXIT_OK
    table = Table("field", "value", title=asset["id"])
    for key in ("tenantId", "namespace", "type", "displayName", "created", "updated", "createdBy", "deleted"):
        table.add_row(key, str(asset.get(key)))
    for key, value in asset["metadata"].items():
        table.add_row(f"metadata.{key}", json.dumps(value))
    out.print(table)
    if asset.get("description"):
        out.print(asset["description"], markup=False, highlight=False)
    return EXIT_OK


def assets_checks(api: Api, args: argparse.Namespace) -> int:
    """The latest result of each data-quality check reported about the asset; exit 1 when any fails."""
    checks = api.request("GET", _asset_path(args.id) + "/checks")
    if args.format == "json":
        _print_json(checks)
    else:
        table = Table("check", "column", "result", "actual", "run", "when", title=f"checks of {checks['assetId']}")
        for c in checks["latest"]:
            result = "[green]pass[/green]" if c["success"] else "[red]FAIL[/red]"
            table.add_row(c["assertion"], c.get("column") or "", result, c.get("actual") or "", c["job"], c["date"])
        out.print(table)
        out.print(f"{checks['passing']} passing, {checks['failing']} failing")
    return EXIT_FAILED if checks["failing"] else EXIT_OK


def assets_readers(api: Api, args: argparse.Namespace) -> int:
    """The flows that read the asset in the last `--days` days, most recent first."""
    answer = api.request("GET", _asset_path(args.id) + "/readers", params={"days": args.days})
    if args.format == "json":
        _print_json(answer)
        return EXIT_OK
    table = Table("namespace", "flow", "reads", "last read", title=f"flows that read {args.id} since {answer['since']}")
    for f in answer["flows"]:
        table.add_row(f["namespace"], f["flowId"], str(f["reads"]), f["lastRead"])
    out.print(table)
    return EXIT_OK


def assets_put(api: Api, args: argparse.Namespace) -> int:
    body: dict[str, Any] = json.loads(args.file.read_text()) if args.file else {}
    for name, key in (
        ("type", "type"),
        ("namespace", "namespace"),
        ("display_name", "displayName"),
        ("description", "description"),
    ):
        if getattr(args, name) is not None:
            body[key] = getattr(args, name)
    if args.metadata:
        body["metadata"] = {**body.get("metadata", {}), **_pairs(args.metadata, "--metadata")}
    if "type" not in body:
        raise CliError(EXIT_USAGE, "an asset needs --type (or a `type` in --file)")
    asset = api.request("PUT", _asset_path(args.id), json=body)
    _print_json(asset)
    return EXIT_OK


def assets_delete(api: Api, args: argparse.Namespace) -> int:
    asset = api.request("DELETE", _asset_path(args.id))
    err.print(Text(f"soft-deleted {asset['id']} (it stays in lineage; a put revives it)"))
    return EXIT_OK


# -- flows ---------------------------------------------------------------------------------------------------------


def flows_record(api: Api, args: argparse.Namespace) -> int:
    body: dict[str, Any] = {
        "flow": args.file.read_text(encoding="utf-8"),
        "inputs": _pairs(args.input, "--input"),
        "labels": {k: str(v) for k, v in _pairs(args.label, "--label").items()},
        "state": args.state,
    }
    if args.id:
        body["id"] = args.id
    record = api.request("POST", "/executions", json=body)
    if args.format == "json":
        _print_json(record)
        return EXIT_OK
    table = Table(
        "task", "value", "read", "wrote", title=f"execution {record['id']} of {record['namespace']}.{record['flowId']}"
    )
    for t in record["taskRuns"]:
        table.add_row(t["taskId"], t["value"] or "", ", ".join(t["inputs"]), ", ".join(t["outputs"]))
    out.print(table)
    for note in record.get("notes") or []:
        err.print(Text(f"note: {note}"))
    return EXIT_OK


def flows_put(api: Api, args: argparse.Namespace) -> int:
    flow = api.request("PUT", "/flows", content=args.file.read_bytes(), headers={"content-type": "application/x-yaml"})
    err.print(Text(f"{flow['namespace']}.{flow['id']} revision {flow['revision']}"))
    return EXIT_OK


# -- lineage -------------------------------------------------------------------------------------------------------


def _lineage(api: Api, args: argparse.Namespace, kind: str) -> int:
    params: dict[str, Any] = {"size": args.size, "page": args.page}
    if args.depth:
        params["depth"] = args.depth
    if args.history:
        params["history"] = "true"
    for name in ("type", "namespace", "after", "before"):
        if getattr(args, name, None):
            params[name] = getattr(args, name)
    if args.summary:
        return _summary(api, args, kind, params)
    if args.format in ("csv", "ndjson"):
        return _download(api, args, kind, params)
    if args.format == "dot":
        graph = api.request(
            "GET",
            f"{_asset_path(args.id)}/lineage",
            params={
                "direction": "downstream" if kind == "impact" else "upstream",
                "limit": 5000,
                **{k: v for k, v in params.items() if k in ("depth", "history", "after", "before")},
            },
        )
        print(to_dot(graph))
        return EXIT_OK
    page = api.request("GET", f"{_asset_path(args.id)}/{kind}", params=params)
    if args.format == "json":
        _print_json(page)
        return EXIT_OK
    noun = "downstream" if kind == "impact" else "upstream"
    table = Table("hops", "asset", "type", "via", title=f"{page['total']} asset(s) {noun} of {args.id}")
    for r in page["results"]:
        if r.get("redacted"):
            table.add_row(str(r["distance"]), "(hidden)", "", "")
            continue
        via = " > ".join(
            f"{h['flowId']}.{h['taskId']}" + (f"[{h['value']}]" if h.get("value") else "")
            for h in r.get("via") or []
            if not h.get("redacted")
        )
        table.add_row(str(r["distance"]), r["id"] + (" (deleted)" if r.get("deleted") else ""), r["type"], via)
    out.print(table)
    if page["total"] > page["page"] * page["size"]:
        err.print(Text(f"showing {len(page['results'])} of {page['total']}: use --page / --size, or --format json"))
    return EXIT_OK


def _keys(args: argparse.Namespace) -> dict[str, Any]:
    return {"keys": args.key} if args.key else {}


def _summary(api: Api, args: argparse.Namespace, kind: str, params: dict[str, Any]) -> int:
    """`--summary`: the whole answer counted, per distance, namespace, type and metadata key."""
    window = {k: v for k, v in params.items() if k in ("depth", "history", "after", "before")}
    s = api.request("GET", f"{_asset_path(args.id)}/{kind}/summary", params={**window, **_keys(args)})
    if args.format == "json":
        _print_json(s)
        return EXIT_OK
    noun = "downstream" if kind == "impact" else "upstream"
    out.print(
        Text(
            f"{s['total']:,} asset(s) {noun} of {args.id}: {s['visible']:,} visible, {s['hidden']:,} hidden, "
            f"{s['deleted']:,} deleted"
        )
    )
    table = Table("hops", "assets", "visible", title="per distance")
    for d in s["byDistance"]:
        table.add_row(str(d["distance"]), f"{d['count']:,}", f"{d['visible']:,}")
    out.print(table)
    parts = [("namespace", s["byNamespace"]), ("type", s["byType"])]
    for name, breakdown in [*parts, *((f"metadata {k}", b) for k, b in s["byMetadata"].items())]:
        table = Table(name, "assets", title=f"per {name}")
        for v in breakdown["values"]:
            table.add_row(v["value"], f"{v['count']:,}")
        for label, n in (("(others)", breakdown["others"]), ("(none)", breakdown["missing"])):
            if n:
                table.add_row(label, f"{n:,}")
        out.print(table)
    return EXIT_OK


def _download(api: Api, args: argparse.Namespace, kind: str, params: dict[str, Any]) -> int:
    """`--format csv|ndjson`: every asset of the answer, streamed to standard output (or `--output`)."""
    window = {k: v for k, v in params.items() if k in ("depth", "history", "after", "before")}
    query = {**window, **_keys(args), "format": args.format}
    path = f"{_asset_path(args.id)}/{kind}"
    if args.output:
        with args.output.open("wb") as f:
            written = api.download(path, f, params=query)
        err.print(Text(f"wrote {written:,} bytes to {args.output}"))
    else:
        api.download(path, sys.stdout.buffer, params=query)
        sys.stdout.buffer.flush()
    return EXIT_OK


def _column_lineage(api: Api, args: argparse.Namespace, kind: str) -> int:
    """`--column NAME`: the columns downstream (upstream) of one column, with each hop's transformations."""
    if (
        args.format in ("dot", "csv", "ndjson")
        or args.summary
        or args.after
        or args.before
        or args.type
        or args.namespace
    ):
        raise CliError(
            EXIT_USAGE, "--column answers with --depth, --history, --size and --format table|json only (no --summary)"
        )
    params: dict[str, Any] = {"limit": args.size}
    if args.depth:
        params["depth"] = args.depth
    if args.history:
        params["history"] = "true"
    page = api.request("GET", f"{_asset_path(args.id)}/columns/{quote(args.column, safe='')}/{kind}", params=params)
    if args.format == "json":
        _print_json(page)
        return EXIT_OK
    noun = "downstream" if kind == "impact" else "upstream"
    title = f"{len(page['items'])} column(s) {noun} of {args.id}.{args.column}"
    table = Table("hops", "asset", "column", "route (transformations)", title=title)
    for item in page["items"]:
        if not item["visible"]:
            table.add_row(str(item["distance"]), "(hidden)", "", "")
            continue
        route = " > ".join(
            f"{h['column'] or '(hidden)'} [{', '.join(h['transformations']) or '?'}]" for h in item["route"]
        )
        table.add_row(str(item["distance"]), item["assetId"], item["column"], route)
    out.print(table)
    if page["truncated"]:
        err.print(Text(f"showing the nearest {len(page['items'])}: use --size to see more"))
    return EXIT_OK


def impact(api: Api, args: argparse.Namespace) -> int:
    return _column_lineage(api, args, "impact") if args.column else _lineage(api, args, "impact")


def upstream(api: Api, args: argparse.Namespace) -> int:
    return _column_lineage(api, args, "upstream") if args.column else _lineage(api, args, "upstream")


def to_dot(graph: dict[str, Any]) -> str:
    """The lineage subgraph as Graphviz DOT: assets as boxes, task runs as small ellipses, left to right.

    Node names are `n0, n1, ...`: DOT reads `asset:trips` in an edge as node `asset`, port `trips`, so the
    service's keys cannot be used as they are."""
    dot = graphviz.Digraph(
        "lineage",
        graph_attr={"rankdir": "LR", "fontname": "Helvetica"},
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
    )
    colors = {"center": "#c7d2fe", "upstream": "#d1fae5", "downstream": "#ffedd5", "both": "#e5e7eb"}
    names: dict[str, str] = {}
    for n in graph["nodes"]:
        name = names[n["key"]] = f"n{len(names)}"
        if n["kind"] == "asset":
            label = "hidden" if n.get("redacted") else graphviz.escape(n["id"])
            dot.node(
                name,
                label=label,
                tooltip=n.get("type") or "",
                shape="box",
                style="rounded,filled",
                fillcolor=colors.get(n.get("side") or "", "#f3f4f6"),
            )
        else:
            label = (
                ""
                if n.get("redacted")
                else graphviz.escape(f"{n['flowId']}.{n['taskId']}")
                + (f"\\n[{graphviz.escape(n['value'])}]" if n.get("value") else "")
            )
            dot.node(name, label=label, shape="ellipse", fontsize="9", style="filled", fillcolor="#e2e8f0")
    for e in graph["edges"]:
        dot.edge(names[e["source"]], names[e["target"]], label=e["type"].lower(), fontsize="8")
    return dot.source


# -- import / export -----------------------------------------------------------------------------------------------


IMPORT_BATCH = 500
_ASSET_FIELDS = ("id", "type", "namespace", "displayName", "description", "metadata")


def _is_openlineage(lines: list[str]) -> bool:
    """Whether a JSON Lines file holds OpenLineage events (its first object has `eventTime` and `producer`)."""
    first = next((line for line in lines if line.strip()), "")
    try:
        head = json.loads(first)
    except ValueError:
        return False
    return isinstance(head, dict) and "eventTime" in head and "producer" in head


#: A batch of events stays well under the service's default body limit (2 MiB).
EVENT_BATCH_BYTES = 1_500_000
EVENT_BATCH_COUNT = 2_000


def import_events(api: Api, lines: list[str]) -> int:
    """OpenLineage events (a saved pull feed, a producer's file transport, a backfill) replayed in order through
    `POST /openlineage/batch`: each event applied on its own, every refused one reported with its line number."""
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    failed: list[str] = []
    applied = 0
    with _progress() as progress:
        task = progress.add_task(f"replay events into {api.tenant}", total=len(numbered))
        start = 0
        while start < len(numbered):
            end, size = start, 0
            while end < len(numbered) and end - start < EVENT_BATCH_COUNT and size < EVENT_BATCH_BYTES:
                size += len(numbered[end][1].encode()) + 1
                end += 1
            chunk = numbered[start:end]
            body = "\n".join(line for _, line in chunk).encode()
            answer = api.request(
                "POST", "/openlineage/batch", content=body, headers={"content-type": "application/x-ndjson"}
            )
            applied += answer["applied"]
            for item in answer["items"]:
                if item["status"] != 200:
                    failed.append(f"line {chunk[item['index']][0]}: {item['problem']['detail']}")
            progress.advance(task, len(chunk))
            start = end
    return _report(f"applied {applied} of {len(numbered)} OpenLineage events in {api.tenant}", failed)


def _report(summary: str, failed: list[str]) -> int:
    """An import's summary and its first 20 failures (each naming its line); exit 1 when anything failed."""
    err.print(Text(summary))
    for line in failed[:20]:
        err.print(Text(f"  {line}"))
    if len(failed) > 20:
        err.print(Text(f"  ... and {len(failed) - 20} more"))
    return EXIT_FAILED if failed else EXIT_OK


def import_file(api: Api, args: argparse.Namespace) -> int:
    if args.kafka:
        return import_kafka(api, args)
    if args.file is None:
        raise CliError("give a file to import, or --kafka HOST:PORT to read a topic", EXIT_USAGE)
    lines = args.file.read_text(encoding="utf-8").splitlines()
    kind = args.kind if args.kind != "auto" else ("openlineage" if _is_openlineage(lines) else "assets")
    return import_events(api, lines) if kind == "openlineage" else import_assets(api, lines)


def import_kafka(api: Api, args: argparse.Namespace) -> int:
    """OpenLineage events read from a Kafka topic as a catalog's connector reads them (a consumer group, from the
    earliest offset when the group is new), replayed in batches; the group's offsets are committed after each batch
    is applied, so a run stopped halfway goes on where it stopped. Stops once no event arrived for `--idle` s."""
    from app.sinks.kafka import TopicReader, parse_config

    group = args.group or f"lineage-import-{uuid.uuid4().hex[:8]}"
    status = 0
    with TopicReader(args.kafka, args.topic, group, parse_config(os.environ.get("LINEAGE_KAFKA_CONFIG", ""))) as topic:
        for lines in topic.batches(EVENT_BATCH_COUNT, idle_s=args.idle):
            status = max(status, import_events(api, lines))
            topic.commit()
    return status


def import_assets(api: Api, lines: list[str]) -> int:
    """Batches of `PUT /assets` (one transaction each). A batch the service refuses is retried asset by asset,
    so one bad line costs its own asset, not its 499 neighbours, and the report names every bad line."""
    failed: list[str] = []
    total = sum(1 for line in lines if line.strip())
    with _progress() as progress:
        task = progress.add_task(f"import into {api.tenant}", total=total)
        batch: list[tuple[int, dict[str, Any]]] = []
        batch_ids: set[str] = set()

        def flush() -> None:
            if not batch:
                return
            try:
                api.request("PUT", "/assets", json=[body for _, body in batch])
            except CliError as exc:
                if exc.code not in (EXIT_USAGE, EXIT_FAILED):
                    raise
                for n, body in batch:
                    try:
                        api.request("PUT", _asset_path(body["id"]), json=body)
                    except CliError as one:
                        if one.code not in (EXIT_USAGE, EXIT_FAILED):
                            raise
                        failed.append(f"line {n}: {one.message}")
            progress.advance(task, len(batch))
            batch.clear()
            batch_ids.clear()

        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                asset = json.loads(line)
                if not isinstance(asset, dict) or not isinstance(asset.get("id"), str) or not asset["id"]:
                    raise ValueError("each line must be a JSON object with a non-empty string `id`")
            except ValueError as exc:  # JSONDecodeError is a ValueError
                failed.append(f"line {n}: {exc}")
                progress.advance(task)
                continue
            if asset["id"] in batch_ids:
                flush()  # the same id twice: the later line wins, as it would line by line
            batch.append((n, {k: asset[k] for k in _ASSET_FIELDS if k in asset}))
            batch_ids.add(asset["id"])
            if len(batch) >= IMPORT_BATCH:
                flush()
        flush()
    return _report(f"imported {total - len(failed)} of {total} assets into {api.tenant}", failed)


def export_events(api: Api, args: argparse.Namespace) -> int:
    """The OpenLineage pull feed as JSON Lines, every page (what `lineage import` replays elsewhere)."""
    sink = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    count, cursor = 0, None
    try:
        with _progress() as progress:
            task = progress.add_task(f"export OpenLineage events of {api.tenant}", total=None)
            while True:
                params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
                page = api.request("GET", "/openlineage/events", params=params)
                for event in page["events"]:
                    sink.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
                count += len(page["events"])
                progress.advance(task, len(page["events"]))
                cursor = page["nextCursor"]
                if not cursor:
                    break
    finally:
        if args.output:
            sink.close()
    err.print(Text(f"exported {count} OpenLineage events" + (f" to {args.output}" if args.output else "")))
    return EXIT_OK


def export_assets(api: Api, args: argparse.Namespace) -> int:
    if args.openlineage:
        return export_events(api, args)
    params: dict[str, Any] = {"size": 1000}
    for name in ("type", "namespace"):
        if getattr(args, name):
            params[name] = getattr(args, name)
    if args.deleted:
        params["deleted"] = "true"
    first = api.request("GET", "/assets", params={**params, "page": 1})
    sink = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        with _progress() as progress:
            task = progress.add_task(f"export {api.tenant}", total=first["total"])
            page, results = 1, first["results"]
            while results:
                for asset in results:
                    sink.write(json.dumps(asset, ensure_ascii=False, separators=(",", ":")) + "\n")
                progress.advance(task, len(results))
                if page * 1000 >= first["total"]:
                    break
                page += 1
                results = api.request("GET", "/assets", params={**params, "page": page})["results"]
    finally:
        if args.output:
            sink.close()
    if args.output:
        err.print(Text(f"exported {first['total']} assets to {args.output}"))
    return EXIT_OK


# -- parser --------------------------------------------------------------------------------------------------------


ClientCommand = Callable[[Api, argparse.Namespace], int]


def _on_the_service(func: ClientCommand) -> Callable[[argparse.Namespace], int]:
    """The command as `main` runs it: with the service at hand (a server, or the local store in-process), and
    its failures reported as one line and an exit code."""

    def run(args: argparse.Namespace) -> int:
        def command() -> int:
            with Api(args) as api:
                return int(func(api, args))

        return report(command)

    return run


def _command(parent: Any, name: str, help_: str, func: ClientCommand, *examples: str) -> argparse.ArgumentParser:
    """A subcommand that talks to the service: examples and exit codes in `--help`, client flags added."""
    epilog = ("examples:\n" + "".join(f"  {e}\n" for e in examples) if examples else "") + EXIT_CODES
    p: argparse.ArgumentParser = parent.add_parser(
        name, help=help_, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.set_defaults(func=_on_the_service(func))
    add_client_flags(p)
    return p


@dataclass(frozen=True)
class Arg:
    """One argument of a command, as `argparse.ArgumentParser.add_argument` takes it."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Command:
    """A command that talks to the service: where it sits (`("assets", "list")`), what it does, the function that
    runs it, examples for `--help`, and its arguments."""

    path: tuple[str, ...]
    help: str
    func: ClientCommand
    examples: tuple[str, ...] = ()
    args: tuple[Arg, ...] = ()


def _a(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


FORMAT = _a("--format", choices=["table", "json"], default="table", help="output format (default table)")
ID = _a("id")


def _key_values(help_: str | None = None) -> dict[str, Any]:
    return {"action": "append", "default": [], "metavar": "KEY=VALUE", "help": help_}


def _lineage_command(name: str, func: ClientCommand, noun: str) -> Command:
    return Command(
        (name,),
        f"every asset {noun} of one, with distance and route",
        func,
        (
            f"lineage {name} trips",
            f"lineage {name} trips --depth 2 --format json",
            f"lineage {name} trips --format dot | dot -Tsvg > {name}.svg",
            f"lineage {name} trips --summary --key owner",
            f"lineage {name} trips --format csv > {name}.csv",
            f"lineage {name} postgres://db:5432/shop.public.orders --column amount",
        ),
        (
            ID,
            _a("--column", help="answer for this column of the asset (column-level lineage)"),
            _a("--depth", type=int, help="hops (default all, up to 100; 10 with --column)"),
            _a("--history", action="store_true", help="every recorded execution, not only current lineage"),
            _a("--after", help="executions started at or after (ISO 8601)"),
            _a("--before", help="executions started before (ISO 8601)"),
            _a("--type"),
            _a("--namespace"),
            _a("--page", type=int, default=1),
            _a("--size", type=int, default=100),
            _a(
                "--format",
                choices=["table", "json", "dot", "csv", "ndjson"],
                default="table",
                help="table, json (one page), Graphviz DOT of the lineage subgraph, or csv / ndjson: every asset, "
                "streamed",
            ),
            _a("--summary", action="store_true", help="the whole answer counted, per distance, namespace, ..."),
            _a("--key", action="append", help="metadata key to count by or export (repeatable; default owner)"),
            _a("--output", type=Path, help="write csv / ndjson to this file instead of standard output"),
        ),
    )


#: The groups commands sit in, with their help.
GROUPS = {"assets": "list, get, register or delete assets", "flows": "record flow executions, store flows"}

COMMANDS: tuple[Command, ...] = (
    Command(
        ("assets", "list"),
        "filtered list",
        assets_list,
        (
            "lineage assets list --type io.kestra.plugin.ee.assets.Table",
            "lineage assets list --metadata model_layer=mart --format json",
        ),
        (
            _a("--q", help="id contains (any case)"),
            _a("--type"),
            _a("--namespace", help="a namespace and its children"),
            _a("--metadata", **_key_values("repeatable; all must match")),
            _a("--deleted", action="store_true", help="include soft-deleted assets"),
            _a("--page", type=int, default=1),
            _a("--size", type=int, default=100),
            FORMAT,
        ),
    ),
    Command(("assets", "get"), "one asset", assets_get, ("lineage assets get trips",), (ID, FORMAT)),
    Command(
        ("assets", "put"),
        "create or replace an asset",
        assets_put,
        (
            "lineage assets put orders --type io.kestra.plugin.ee.assets.Table --namespace company.sales "
            "--metadata system=postgres",
        ),
        (
            ID,
            _a("--type"),
            _a("--namespace"),
            _a("--display-name"),
            _a("--description", help="markdown"),
            _a("--metadata", **_key_values()),
            _a("--file", type=Path, help="a JSON asset body (flags override its fields)"),
        ),
    ),
    Command(("assets", "delete"), "soft-delete an asset", assets_delete, ("lineage assets delete orders",), (ID,)),
    Command(
        ("assets", "readers"),
        "which flows read an asset lately: each flow's reads and the latest",
        assets_readers,
        ("lineage assets readers trips --days 7",),
        (ID, _a("--days", type=int, default=7, help="how far back (default 7)"), FORMAT),
    ),
    Command(
        ("assets", "checks"),
        "the data-quality checks reported about an asset (dbt's tests): exit 1 when any fails",
        assets_checks,
        ("lineage assets checks postgres://db:5432/shop.public.orders",),
        (ID, FORMAT),
    ),
    Command(
        ("flows", "record"),
        "record an execution of a flow file",
        flows_record,
        (
            "lineage flows record tests/data/flows/data_pipeline_assets.yaml",
            "lineage flows record tests/data/flows/infra_assets.yaml --input teams=Data --input teams=Finance",
        ),
        (
            _a("file", type=Path),
            _a("--input", **_key_values("repeat a key for a list")),
            _a("--label", **_key_values()),
            _a("--id", help="execution id (default: generated)"),
            _a("--state", default="SUCCESS"),
            FORMAT,
        ),
    ),
    Command(
        ("flows", "put"),
        "store a flow (new revision when changed)",
        flows_put,
        ("lineage flows put my_flow.yaml",),
        (_a("file", type=Path),),
    ),
    _lineage_command("impact", impact, "downstream"),
    _lineage_command("upstream", upstream, "upstream"),
    Command(
        ("import",),
        "register the assets of a JSON Lines file, or replay OpenLineage events (one per line)",
        import_file,
        (
            "lineage import assets.jsonl --tenant staging",
            "lineage import events.jsonl  # OpenLineage events: a saved pull feed, a producer's file transport",
            "lineage import --kafka kafka:9092 --topic openlineage --group lineage  # another service's events",
        ),
        (
            _a("file", type=Path, nargs="?"),
            _a(
                "--kafka",
                metavar="HOST:PORT",
                help="read OpenLineage events from a Kafka topic (as a catalog's connector does)",
            ),
            _a("--topic", default="openlineage", help="the topic --kafka reads (default openlineage)"),
            _a("--group", help="its consumer group (default: a new one, from the earliest offset)"),
            _a("--idle", type=float, default=10.0, help="stop after this many seconds without an event (default 10)"),
            _a(
                "--kind",
                choices=["auto", "assets", "openlineage"],
                default="auto",
                help="what the file holds (default: OpenLineage events if its first line is one, else assets)",
            ),
        ),
    ),
    Command(
        ("export",),
        "write the assets as JSON Lines (stdout or --output)",
        export_assets,
        (
            "lineage export --output assets.jsonl",
            "lineage export --openlineage --output events.jsonl  # the pull feed, for `lineage import` elsewhere",
        ),
        (
            _a("--output", type=Path),
            _a("--openlineage", action="store_true", help="the OpenLineage pull feed instead of the assets"),
            _a("--type"),
            _a("--namespace"),
            _a("--deleted", action="store_true"),
        ),
    ),
)


def add_commands(sub: Any) -> None:
    """The commands of COMMANDS, each under its group (`assets`, `flows`) or at the top."""
    groups: dict[str, Any] = {}
    for name, help_ in GROUPS.items():
        group = sub.add_parser(name, help=help_)
        groups[name] = group.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)
    for command in COMMANDS:
        parent = groups[command.path[0]] if len(command.path) > 1 else sub
        p = _command(parent, command.path[-1], command.help, command.func, *command.examples)
        for arg in command.args:
            p.add_argument(*arg.flags, **arg.options)
