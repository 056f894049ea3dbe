"""The `lineage` command line."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import msgspec

from app import __version__
from app.cli import cypher, explore, outbox
from app.cli.client import add_client_flags
from app.cli.config import add_store_flags, settings_from
from app.settings import Settings

EXAMPLES = """
examples:
  lineage serve                                  # embedded LadybugDB under ./data, http://127.0.0.1:8080
  lineage serve --data-dir /var/lib/lineage --port 9000
  lineage serve --neo4j-uri neo4j://neo4j:7687 --neo4j-user neo4j --neo4j-password secret
  lineage serve --kafka-bootstrap kafka:9092 --kafka-topic openlineage   # publish lineage for catalogs
"""

TOP_EXAMPLES = (
    EXAMPLES
    + """  lineage flows record tests/data/flows/data_pipeline_assets.yaml
  lineage impact trips                           # what a change to trips would break
  lineage upstream avg_trip_distance --format dot | dot -Tsvg > upstream.svg
  lineage assets list --server http://lineage:8080 --token $LINEAGE_TOKEN

Commands other than serve/bench/token open the local store (./data) in-process, or with --server talk
to a running service. `lineage COMMAND --help` shows each command's options, examples and exit codes.
"""
)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.asgi import configure_logging, create_app, freeze_start_up_objects, set_request_threads
    from app.errors import SchemaVersionError, StoreUnavailable
    from app.store import open_store

    settings = msgspec.structs.replace(settings_from(args), plan_at_start=True)
    configure_logging(settings.log_level)
    if settings.workers > 1 and not settings.neo4j_uri:
        print("lineage: --workers above 1 needs Neo4j (a LadybugDB file has one owner process)", file=sys.stderr)
        return 2
    # The store is opened before the server starts so that a locked, newer or unreachable database is one
    # line and exit code 4, not a lifespan traceback.
    try:
        store = open_store(settings)
    except (StoreUnavailable, SchemaVersionError) as exc:
        print(f"lineage: {exc}", file=sys.stderr)
        return 4
    server = {"host": settings.host, "port": settings.port, "log_level": settings.log_level.lower()}
    if settings.workers > 1:
        store.close()
        return _serve_workers(settings, server, access_log=args.access_log)
    set_request_threads()
    _exit_cleanly_on_sigterm()
    try:
        app = create_app(settings, store=store)  # refuses --require-auth without an auth file
        freeze_start_up_objects()
        uvicorn.run(app, workers=1, access_log=args.access_log, **server)
    finally:
        store.close()
    return 0


def _exit_cleanly_on_sigterm() -> None:
    """uvicorn stops gracefully on SIGTERM, then raises the signal again for the handler it found there, and the
    default one ends the process at once: no `finally` runs, so the store stayed open (LadybugDB then replayed its
    write-ahead log at the next start, with the recent edges unfolded). Raised as an exit, `serve` closes the store."""
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))


def _serve_workers(settings: Settings, server: dict[str, Any], *, access_log: bool) -> int:
    """`--workers N`: uvicorn starts N processes on the port; each opens its own driver from these settings
    (app.asgi.worker_app) and ends with this one."""
    import uvicorn

    from app.asgi import PARENT_VARIABLE, SETTINGS_VARIABLE, create_app

    create_app(settings)  # what a worker's app refuses (--require-auth, a bad auth file), refused here once: uvicorn
    # would start a worker that cannot start again and again
    os.environ[SETTINGS_VARIABLE], os.environ[PARENT_VARIABLE] = settings.dump(), str(os.getpid())
    uvicorn.run("app.asgi:worker_app", factory=True, workers=settings.workers, access_log=access_log, **server)
    return 0


def _backends(text: str) -> tuple[str, ...]:
    names = ("ladybug", "neo4j") if text == "both" else tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in ("ladybug", "neo4j")]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"backends are ladybug, neo4j or both, not {text!r}")
    return tuple(dict.fromkeys(names))


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return int(text)


def cmd_bench(args: argparse.Namespace) -> int:
    from app.bench.run import BenchConfig
    from app.bench.run import main as bench_main

    settings = Settings.from_env(
        neo4j_uri=args.neo4j_uri,
        neo4j_user=args.neo4j_user,
        neo4j_password=args.neo4j_password,
        neo4j_database=args.neo4j_database,
    )
    cfg = BenchConfig(
        assets=args.assets,
        executions=args.executions,
        warmup=args.warmup,
        clients=args.clients,
        api_workers=args.api_workers,
        hub_requests=args.hub_requests,
        typical_requests=args.typical_requests,
        seed=args.seed,
        backends=args.backends,
        data_dir=args.data_dir,
        keep=args.keep,
        verify=args.verify,
        neo4j_uri=settings.neo4j_uri,
        neo4j_user=settings.neo4j_user,
        neo4j_password=settings.neo4j_password,
        neo4j_database=settings.neo4j_database,
        json_path=args.json,
        cte_depth=args.cte_depth,
        events=args.events,
        mixed=args.mixed,
        trickle=args.trickle,
        kafka_bootstrap=args.kafka_bootstrap,
        **({"sink_rounds": args.sink_rounds} if args.sink_rounds else {}),
    )
    results = bench_main(cfg)
    failed = [name for name, r in results["backends"].items() if r.get("verify", {}).get("ok") is False]
    return 1 if failed else 0


def cmd_ship(args: argparse.Namespace) -> int:
    """Run an AssetShipper task: on the local store with a progress bar, or on a server (`--server`).
    Exit codes as the other client commands: 1 when an exporter failed for some assets."""
    import json as _json

    from app.cli.client import EXIT_FAILED, EXIT_OK, Api, report

    def command() -> int:
        text = args.file.read_text(encoding="utf-8")
        if args.server:
            from rich.console import Console

            with Api(args, timeout=600) as api, Console(stderr=True).status("shipping on the server..."):
                result = api.request(
                    "POST", "/ship", content=text.encode(), headers={"content-type": "application/x-yaml"}
                )
        else:
            result = _ship_locally(args, text)
        print(_json.dumps(result, indent=2))
        return EXIT_FAILED if any(e.get("failed") for e in result["exporters"]) else EXIT_OK

    return report(command)


def _ship_locally(args: argparse.Namespace, text: str) -> dict[str, Any]:
    """The service called directly, for its progress callback; its errors become the exit codes the API's
    answers would have given."""
    import msgspec
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from app.cli.client import EXIT_BROKEN, EXIT_UNAVAILABLE, EXIT_USAGE, CliError
    from app.domain.access import open_scope
    from app.domain.sandbox import Sandbox
    from app.errors import DomainError, SchemaVersionError, StoreFailure, StoreUnavailable
    from app.services.shipping import ship
    from app.store import open_store

    settings = settings_from(args)
    try:
        store = open_store(settings)
    except (StoreUnavailable, SchemaVersionError) as exc:
        raise CliError(EXIT_UNAVAILABLE, str(exc)) from exc
    sandbox = Sandbox(settings.sandbox)
    try:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
        ) as progress:
            tasks: dict[str, int] = {}

            def on_progress(exporter: str, done: int, total: int) -> None:
                if exporter not in tasks:
                    tasks[exporter] = progress.add_task(f"ship {exporter}", total=total)
                progress.update(tasks[exporter], completed=done)

            shipped = ship(
                store,
                open_scope(args.tenant),
                sandbox,
                text,
                settings.exports_path,
                on_progress,
                allow=settings.ship_allowed,
            )
            return msgspec.to_builtins(shipped)  # type: ignore[no-any-return]
    except DomainError as exc:
        code = (
            EXIT_UNAVAILABLE
            if isinstance(exc, StoreUnavailable)
            else EXIT_BROKEN
            if isinstance(exc, StoreFailure)
            else EXIT_USAGE
        )
        raise CliError(code, f"{exc.status}: {exc.detail}") from exc
    finally:
        sandbox.close()
        store.close()


def cmd_token_create(args: argparse.Namespace) -> int:
    from app.auth import check_grant, create_token

    path = args.auth_file or Settings.from_env().auth_file
    if path is None:
        print("lineage: give --auth-file (or set LINEAGE_AUTH_FILE)", file=sys.stderr)
        return 2
    try:
        grants = [check_grant(g) for g in args.grant]
        token = create_token(path, tenant=args.tenant, grants=grants, admin=args.admin, name=args.name or "")
    except ValueError as exc:
        print(f"lineage: {exc}", file=sys.stderr)
        return 2
    print(token)
    print(f"token written (hashed) to {path}; this is the only time it is shown", file=sys.stderr)
    return 0


def _existing_auth_file(args: argparse.Namespace) -> Path | None:
    path: Path | None = args.auth_file or Settings.from_env().auth_file
    if path is None or not path.exists():
        print("lineage: no auth file (give --auth-file or set LINEAGE_AUTH_FILE)", file=sys.stderr)
        return None
    return path


def cmd_token_list(args: argparse.Namespace) -> int:
    from app.auth import load

    path = _existing_auth_file(args)
    if path is None:
        return 2
    for t in load(path).tokens:
        grants = ", ".join(f"{g.namespace}:{g.role}" for g in t.grants) or "-"
        print(f"{t.id}  tenant={t.tenant}  admin={str(t.admin).lower()}  grants={grants}  name={t.name}")
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from app.auth import revoke_token

    path = _existing_auth_file(args)
    if path is None:
        return 2
    if not revoke_token(path, args.id):
        print(f"lineage: no token {args.id}", file=sys.stderr)
        return 1
    print(f"revoked {args.id}", file=sys.stderr)
    return 0


BENCH_EXAMPLES = """
examples:
  lineage bench                                  # 100,000 assets on LadybugDB, results in bench-results.json
  lineage bench --assets 20000 --verify          # smaller, and check every answer against the CSR baseline
  lineage bench --backend neo4j --neo4j-uri bolt://localhost:7687 --neo4j-password secret
  lineage bench --backend both --verify --neo4j-uri bolt://localhost:7687   # side by side, one graph
  lineage bench --events 100000                  # then replay OpenLineage events through the batch endpoint
  lineage bench --mixed 120                      # then 2 writers and 2 readers at once: stalls and their cause
"""


def _serve_command(sub: Any) -> None:
    """`lineage serve`: the HTTP API and the web page."""
    serve = sub.add_parser(
        "serve",
        help="run the HTTP API (and web page)",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", help="bind address (default 127.0.0.1; env LINEAGE_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8080; env LINEAGE_PORT)")
    serve.add_argument(
        "--workers", type=_positive, help="API processes on the port (default 1; Neo4j only; env LINEAGE_WORKERS)"
    )
    add_store_flags(serve)
    serve.add_argument("--auth-file", type=Path, help="YAML file of token hashes (env LINEAGE_AUTH_FILE)")
    serve.add_argument("--require-auth", action="store_true", help="refuse to start without an auth file")
    serve.add_argument("--log-level", help="DEBUG, INFO, WARNING (default INFO)")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--summary-keys", metavar="K1,K2", help="metadata keys impact summaries count by (default owner)"
    )
    sinks = serve.add_argument_group("sinks", "publish every recording's OpenLineage events (through the outbox)")
    sinks.add_argument("--kafka-bootstrap", metavar="HOST:PORT", help="Kafka brokers (env LINEAGE_KAFKA_BOOTSTRAP)")
    sinks.add_argument("--kafka-topic", help="topic (default openlineage; env LINEAGE_KAFKA_TOPIC)")
    sinks.add_argument(
        "--forward-url", metavar="URL", help="a catalog's OpenLineage endpoint (env LINEAGE_FORWARD_URL)"
    )
    sinks.add_argument(
        "--forward-batch", action="store_true", help="POST events to --forward-url as JSON arrays (a batch route)"
    )
    serve.set_defaults(func=cmd_serve)


def _bench_command(sub: Any) -> None:
    """`lineage bench`: the benchmark."""
    bench = sub.add_parser(
        "bench",
        help="benchmark impact/upstream/recording against the CSR floor and a recursive CTE",
        epilog=BENCH_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_argument(
        "--kafka-bootstrap",
        metavar="HOST:PORT",
        help="also measure the sinks: recording with Kafka and HTTP forwarding on against off, and the delivery rate",
    )
    bench.add_argument(
        "--sink-rounds",
        type=_positive,
        metavar="N",
        help="with --kafka-bootstrap: alternating rounds of sinks off and on, each round's on / off ratio reported "
        "and their median (default 2)",
    )
    bench.add_argument("--assets", type=int, default=100_000, help="assets in the synthetic graph (default 100000)")
    bench.add_argument("--executions", type=int, default=1_000, help="executions recorded through the API")
    bench.add_argument("--warmup", type=int, default=200, help="executions recorded untimed first (default 200)")
    bench.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients recording executions")
    bench.add_argument(
        "--api-workers", type=_positive, default=1, help="`lineage serve --workers` on Neo4j (LadybugDB: always 1)"
    )
    bench.add_argument("--hub-requests", type=int, default=30, help="impact/upstream requests on the worst hub")
    bench.add_argument("--typical-requests", type=int, default=100, help="requests on typical assets")
    bench.add_argument("--seed", type=int, default=42)
    bench.add_argument(
        "--mixed",
        type=float,
        default=0,
        metavar="SECONDS",
        help="then 2 writers and 2 readers at once for SECONDS: latencies, stalls and their cause, file growth",
    )
    bench.add_argument(
        "--trickle",
        type=int,
        default=0,
        metavar="N",
        help="then N recordings one at a time, one every 3 s (an orchestrator's runs one by one): latency, checkpoints",
    )
    bench.add_argument(
        "--events",
        type=int,
        default=0,
        help="then replay this many OpenLineage events through the batch endpoint, beside one request per event",
    )
    bench.add_argument(
        "--backend",
        dest="backends",
        type=_backends,
        default=("ladybug",),
        help="ladybug (default), neo4j, or both (ladybug,neo4j): measured in one run on the same graph",
    )
    bench.add_argument("--data-dir", type=Path, help="LadybugDB directory to create (default: a temporary one)")
    bench.add_argument("--keep", action="store_true", help="keep the temporary database and files")
    bench.add_argument("--verify", action="store_true", help="compare every sampled answer with the CSR baseline")
    bench.add_argument("--cte-depth", type=int, default=100, help="depth bound of the recursive CTE (default 100)")
    bench.add_argument(
        "--json", type=Path, default=Path("bench-results.json"), help="where to write the JSON (- for stdout)"
    )
    for flag, help_ in (
        ("--neo4j-uri", "Neo4j URI for --backend neo4j"),
        ("--neo4j-user", "Neo4j user"),
        ("--neo4j-password", "Neo4j password"),
        ("--neo4j-database", "Neo4j database"),
    ):
        bench.add_argument(flag, help=help_)
    bench.set_defaults(func=cmd_bench)


def _ship_command(sub: Any) -> None:
    """`lineage ship`: run an AssetShipper task."""
    ship = sub.add_parser(
        "ship",
        help="run an AssetShipper task (files, OpenLineage)",
        epilog="examples:\n  lineage ship tests/data/flows/ship_asset_to_file.yaml\n"
        "  lineage ship export.yaml --server http://localhost:8080 --token $LINEAGE_TOKEN\n"
        "exit code: 0 when every asset shipped, 1 when any failed, 2 on bad input",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ship.add_argument("file", type=Path, help="the AssetShipper task (or a flow holding one), YAML or JSON")
    add_client_flags(ship)
    ship.set_defaults(func=cmd_ship)


def _token_command(sub: Any) -> None:
    """`lineage token create|list|revoke`: the auth file."""
    token = sub.add_parser("token", help="manage API tokens (the auth file holds only their hashes)")
    token_sub = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    create = token_sub.add_parser(
        "create",
        help="create a token and print it once",
        epilog="examples:\n  lineage token create --auth-file auth.yaml --tenant main --grant company.team:editor\n"
        "  lineage token create --auth-file auth.yaml --tenant main --grant '*:viewer' --name dashboards\n"
        "  lineage token create --auth-file auth.yaml --tenant main --admin",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    create.add_argument("--auth-file", type=Path, help="the YAML auth file (created if missing; env LINEAGE_AUTH_FILE)")
    create.add_argument("--tenant", default="main")
    create.add_argument(
        "--grant",
        action="append",
        default=[],
        metavar="NAMESPACE:ROLE",
        help="namespace pattern (a namespace covers its children; * is all) and viewer|editor",
    )
    create.add_argument("--admin", action="store_true", help="editor on the whole tenant, and admin endpoints")
    create.add_argument("--name", help="a label for people reading the auth file")
    create.set_defaults(func=cmd_token_create)
    listing = token_sub.add_parser("list", help="list tokens (ids, tenants, grants; never secrets)")
    listing.add_argument("--auth-file", type=Path)
    listing.set_defaults(func=cmd_token_list)
    revoke = token_sub.add_parser("revoke", help="remove a token (servers notice within one request)")
    revoke.add_argument("id", help="the token id (the 8 hex characters after lin_)")
    revoke.add_argument("--auth-file", type=Path)
    revoke.set_defaults(func=cmd_token_revoke)


#: Every command, in the order `lineage --help` lists them: each adds its subparser, its flags and the function
#: `main` calls (`func`); the commands that talk to the service are in app/cli/explore.py.
COMMANDS: tuple[Callable[[Any], None], ...] = (
    _serve_command,
    _bench_command,
    _ship_command,
    explore.add_commands,
    _token_command,
    cypher.add_commands,
    outbox.add_commands,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lineage",
        description="Asset and lineage service.",
        epilog=TOP_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lineage {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except msgspec.ValidationError as exc:  # a flag or LINEAGE_* variable out of its range
        print(f"lineage: invalid setting: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `lineage export | head`: the reader left; say nothing more, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
