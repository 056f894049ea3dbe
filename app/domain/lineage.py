"""Shapes of lineage answers (impact, upstream, subgraph) and the parameters of a traversal."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from app.errors import InvalidInput
from app.timeutil import normalize_iso

#: Deepest traversal answered; LadybugDB's variable-length patterns are configured to match (ladybug.py).
MAX_DEPTH = 100
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1_000
DEFAULT_NODE_CAP = 500
MAX_NODE_CAP = 5_000
#: A grouped drawing: siblings drawn one by one before the rest of them are counted in groups, at most.
MAX_SIBLINGS = 100


class Traversal(msgspec.Struct, kw_only=True, frozen=True):
    """Which lineage edges a search walks: current ones (default), every one (`history`), or those of
    executions that started within [after, before)."""

    depth: int = MAX_DEPTH
    history: bool = False
    after: str | None = None
    before: str | None = None

    @classmethod
    def build(cls, depth: int | None, history: bool, after: str | None, before: str | None) -> Traversal:
        if depth is not None and not 1 <= depth <= MAX_DEPTH:
            raise InvalidInput(f"depth must be between 1 and {MAX_DEPTH}", field="depth")
        window = {}
        for name, value in (("after", after), ("before", before)):
            if value is not None:
                try:
                    window[name] = normalize_iso(value)
                except ValueError as exc:
                    raise InvalidInput(f"{name}: not an ISO 8601 date-time", field=name) from exc
        if "after" in window and "before" in window and window["after"] >= window["before"]:
            raise InvalidInput("after must be earlier than before", field="after")
        # A time window looks at every execution in it, not only the latest of each task.
        return cls(
            depth=depth or MAX_DEPTH,
            history=history or bool(window),
            after=window.get("after"),
            before=window.get("before"),
        )

    def echo(self) -> dict[str, Any]:
        """The traversal's fields as an answer repeats them (`depth`, `history`, `after`, `before`)."""
        return {"depth": self.depth, "history": self.history, "after": self.after, "before": self.before}

    def whole(self) -> Traversal:
        """The same edges at the full depth: what a headline counts, whatever depth a drawing shows."""
        return msgspec.structs.replace(self, depth=MAX_DEPTH)

    @property
    def window(self) -> bool:
        return self.after is not None or self.before is not None


class Hop(msgspec.Struct, kw_only=True, omit_defaults=True, rename={"source": "from", "target": "to"}):
    """One step of a route: the task run that turned `from` into `to`."""

    source: str | None
    target: str | None
    flowId: str | None = None
    namespace: str | None = None
    taskId: str | None = None
    executionId: str | None = None
    value: str | None = None
    date: str | None = None
    redacted: bool = False


class ImpactItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    distance: int
    id: str | None = None
    type: str | None = None
    namespace: str | None = None
    displayName: str | None = None
    deleted: bool = False
    via: list[Hop] | None = None
    redacted: bool = False


class ImpactPage(msgspec.Struct, kw_only=True):
    asset: str
    direction: Literal["downstream", "upstream"]
    depth: int
    history: bool
    total: int
    page: int
    size: int
    results: list[ImpactItem]
    after: str | None = None
    before: str | None = None


class GraphNode(msgspec.Struct, kw_only=True, omit_defaults=True):
    key: str  # unique in this answer: "asset:<id>", "run:<execution>/<task>/<value>", "redacted:<n>", "group:<n>"
    kind: Literal["asset", "execution", "group"]
    type: str | None = None  # the asset type, or "execution"
    id: str | None = None
    namespace: str | None = None
    displayName: str | None = None
    deleted: bool = False
    distance: int | None = None
    side: Literal["center", "upstream", "downstream", "both"] | None = None
    executionId: str | None = None
    flowId: str | None = None
    taskId: str | None = None
    value: str | None = None
    date: str | None = None
    redacted: bool = False
    #: a group: how many siblings it stands for, and the asset they hang from (expand it with that asset's impact
    #: or upstream answer at depth 1, filtered by the group's namespace and type)
    count: int | None = None
    parentId: str | None = None


class GraphEdge(msgspec.Struct, kw_only=True, omit_defaults=True):
    """READ (asset to task run) and WROTE (task run to asset); FEEDS joins two assets directly: to a group, or
    through one task run drawn as the edge itself (its fields given, unless its namespace is hidden)."""

    source: str
    target: str
    type: Literal["READ", "WROTE", "FEEDS"]
    executionId: str | None = None
    flowId: str | None = None
    namespace: str | None = None
    taskId: str | None = None
    value: str | None = None


class LineageGraph(msgspec.Struct, kw_only=True):
    asset: str
    direction: Literal["both", "upstream", "downstream"]
    depth: int
    history: bool
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool
    impactCount: int | None = None


# -- the blast radius counted: an impact (upstream) summary -------------------------------------------------

#: Metadata keys a summary breaks its count down by, at most (each fills one slot of the summary's search).
MAX_SUMMARY_KEYS = 5
#: Values a breakdown lists, most frequent first; the assets of the rest are counted in `others`.
SUMMARY_TOP = 25


class ValueCount(msgspec.Struct):
    value: str
    count: int


class Breakdown(msgspec.Struct, kw_only=True):
    """How the visible assets reached split by one field: the most frequent values, how many assets hold a value
    not listed (`others`) and how many hold none (`missing`)."""

    values: list[ValueCount]
    others: int = 0
    missing: int = 0


class DistanceCount(msgspec.Struct):
    distance: int
    count: int
    visible: int


class ImpactSummary(msgspec.Struct, kw_only=True):
    """Everything downstream (upstream) of an asset at the full depth asked, counted: in all, per distance, and the
    visible ones per namespace, type and chosen metadata key. Assets the caller cannot see are counted in `hidden`
    and `byDistance`, never named or broken down."""

    asset: str
    direction: Literal["downstream", "upstream"]
    depth: int
    history: bool
    total: int
    visible: int
    hidden: int
    deleted: int
    byDistance: list[DistanceCount]
    byNamespace: Breakdown
    byType: Breakdown
    byMetadata: dict[str, Breakdown]
    after: str | None = None
    before: str | None = None


class ExportRow(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One asset of an exported impact (upstream) answer: its distance, fields, chosen metadata, and one shortest
    route (`route`: the assets in between, nearest the start first; `(hidden)` for one the caller cannot see), with
    the task run of its last step. An asset the caller cannot see keeps only its distance and `hidden`."""

    distance: int
    id: str | None = None
    namespace: str | None = None
    type: str | None = None
    displayName: str | None = None
    deleted: bool = False
    route: list[str] = msgspec.field(default_factory=list)
    flowNamespace: str | None = None
    flowId: str | None = None
    taskId: str | None = None
    executionId: str | None = None
    metadata: dict[str, str] = msgspec.field(default_factory=dict)
    hidden: bool = False


#: How an asset the caller cannot see appears inside a route.
HIDDEN_STEP = "(hidden)"
