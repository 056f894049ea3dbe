"""`lineage cypher list|show`: the queries of `cypher/` as each database runs them, composed from their files."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.store import columnar
from app.store.queries import DIALECTS, Query, QuerySet


def _matches(qs: QuerySet, name: str) -> list[Query]:
    """The queries a name means: one query (a file's, or one variant of it), or every variant of a file."""
    if name in qs:
        return [qs[name]]
    return sorted((q for q in qs if q.path.stem == name), key=lambda q: q.name)


def cmd_show(args: argparse.Namespace) -> int:
    qs = QuerySet(args.dialect)
    found = _matches(qs, args.name)
    if args.variant:
        found = [q for q in found if q.name == args.variant]
    if not found:
        print(f"lineage: no query {args.name!r} for {args.dialect} (`lineage cypher list` names them)", file=sys.stderr)
        return 1
    if len(found) > 1:
        names = ", ".join(q.name for q in found)
        print(f"lineage: {args.name} has variants: {names}; pick one with --variant", file=sys.stderr)
        return 2
    query = found[0]
    print(f"// {query.name} ({args.dialect}), from {query.path.relative_to(qs.root.parent)}")
    for p in query.params.values():
        print(f"// :param {p.name} {p.type}{'?' if p.nullable else ''}")
    for lit in query.literals.values():
        kind = "flag" if lit.flag else "file" if lit.file else f"{lit.low}..{lit.high}"
        print(f"// :literal {lit.name} {kind}  (written into the text when bound)")
    print(query.text)
    if query.columns is not None:
        param, row, fields = query.columns
        print(f"\n// LadybugDB sends ${param}'s rows one list per field (`:columns`), a field without values as NULL:")
        print(columnar.text(query.text, param, row, tuple((f, "") for f in fields)))
    if query.scan is not None:
        param, items, large = query.scan
        print(f"\n// from {items} items in ${param} on, LadybugDB scans them as a table (`:scan`):")
        print(large.text)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    qs = QuerySet(args.dialect)
    for query in sorted(qs, key=lambda q: q.name):
        print(f"{query.name}\t{query.path.relative_to(qs.root.parent)}\t{query.summary[:90]}")
    return 0


def add_commands(sub: Any) -> None:
    cypher = sub.add_parser("cypher", help="the queries of cypher/ as each database runs them")
    actions = cypher.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        help="print a query composed (fragments inserted, blocks repeated), with its parameters",
        epilog="examples:\n  lineage cypher show asset_get\n  lineage cypher show reach_page --dialect neo4j "
        "--variant reach_page_upstream",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("name", help="a query (a file's name, or one variant's)")
    show.add_argument("--dialect", choices=DIALECTS, default="ladybug")
    show.add_argument("--variant", help="one variant of a file that has several")
    show.set_defaults(func=cmd_show)
    listing = actions.add_parser("list", help="every query: name, file, what it answers")
    listing.add_argument("--dialect", choices=DIALECTS, default="ladybug")
    listing.set_defaults(func=cmd_list)
