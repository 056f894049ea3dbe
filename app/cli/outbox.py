"""`lineage outbox status|forget`: the operator's view of the sinks over every tenant, and forgetting a sink that
is no longer configured (its cursor keeps the outbox from being pruned). They open the store itself: LadybugDB's
file while no server holds it, or the Neo4j that servers share."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from app.cli.client import EXIT_FAILED, EXIT_OK, EXIT_UNAVAILABLE, CliError, report
from app.cli.config import add_store_flags, settings_from

T = TypeVar("T")


def _on_store(args: argparse.Namespace, work: Callable[[Any], T]) -> T:
    """`work` on the store the flags name, which is closed after (a CliError when it cannot be opened)."""
    from app.errors import SchemaVersionError, StoreUnavailable
    from app.store import open_store

    try:
        store = open_store(settings_from(args))
    except (StoreUnavailable, SchemaVersionError) as exc:
        raise CliError(EXIT_UNAVAILABLE, f"{exc} (a LadybugDB file opens only while no server holds it)") from exc
    try:
        return work(store)
    finally:
        store.close()


def cmd_status(args: argparse.Namespace) -> int:
    from app.services import outbox

    def command() -> int:
        found = _on_store(args, outbox.sinks)
        if args.json:
            print(msgspec.json.encode(found).decode())
            return EXIT_OK
        if not found:
            print("no sink has delivered from this store")
        for s in found:
            error = f"; last error {s.lastErrorAt}: {s.lastError}" if s.lastError else ""
            oldest = f", the oldest recorded {s.oldestUndelivered}" if s.oldestUndelivered else ""
            print(f"{s.name}: {s.delivered:,} delivered, backlog {s.backlog:,}{oldest}, {s.parked:,} set aside, "
                  f"held by {s.holder or 'nobody'}{error}")  # fmt: skip
        return EXIT_OK

    return report(command)


def cmd_forget(args: argparse.Namespace) -> int:
    from app.services import outbox

    def command() -> int:
        done = _on_store(args, lambda store: outbox.forget(store, args.sink))
        if not done.found:
            raise CliError(EXIT_FAILED, f"no sink {args.sink!r} (`lineage outbox status` lists them)")
        print(f"forgot sink {done.sink}: {done.parked:,} events set aside for it removed; the outbox keeps "
              f"{done.kept:,} events other sinks have not delivered")  # fmt: skip
        return EXIT_OK

    return report(command)


def add_commands(sub: Any) -> None:
    box = sub.add_parser("outbox", help="the sinks' cursors over every tenant (operators: the store itself)")
    actions = box.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status",
        help="every sink: delivered, backlog, oldest undelivered, events set aside, holder, last error",
        epilog="examples:\n  lineage outbox status --neo4j-uri neo4j://neo4j:7687\n"
        "exit codes: 0 ok, 4 the store cannot be opened (a server holds the LadybugDB file)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    status.add_argument("--json", action="store_true", help="print JSON")
    add_store_flags(status)
    status.set_defaults(func=cmd_status)
    forget = actions.add_parser(
        "forget",
        help="forget a sink no server delivers any more: its cursor and the events set aside for it go, and the "
        "outbox is pruned by the sinks left",
        epilog="examples:\n  lineage outbox forget forward       # after removing --forward-url from every server\n"
        "exit codes: 0 forgotten, 1 no such sink, 4 the store cannot be opened\n"
        "A server still configured with the sink starts it again from the oldest event kept.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    forget.add_argument("sink", help="the sink's name: kafka, forward")
    add_store_flags(forget)
    forget.set_defaults(func=cmd_forget)
