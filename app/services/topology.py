"""Kestra's dependency view of an asset (its AssetTopologyGraph): the asset, the flows that read and wrote it, and
the assets on their other side, one hop or on until nothing new is reached."""

from __future__ import annotations

import msgspec

from app.domain.access import Scope
from app.domain.assets import Asset
from app.domain.keys import asset_key
from app.services import binding
from app.services.assets import asset_missing, fetch_asset
from app.store.base import GraphStore, Tx

MAX_GRAPH_NODES = 1_000


class TopologyNode(msgspec.Struct, kw_only=True):
    """`uid`: `ASSET:<id>` or `FLOW:<namespace>/<flowId>`, unique in one answer."""

    uid: str
    namespace: str | None
    id: str
    type: str  # ASSET | FLOW


class TopologyEdge(msgspec.Struct, kw_only=True):
    """`relation`: USED_BY (an asset a flow reads, asset -> flow) or UPSERT (an asset a flow writes,
    flow -> asset)."""

    source: str
    target: str
    relation: str


class TopologyGraph(msgspec.Struct, kw_only=True):
    nodes: list[TopologyNode]
    edges: list[TopologyEdge]


def asset_uid(asset_id: str) -> str:
    return "ASSET:" + asset_id


def flow_uid(namespace: str, flow_id: str) -> str:
    return "FLOW:" + namespace + "/" + flow_id


class _Topology:
    def __init__(self) -> None:
        self.nodes: dict[str, TopologyNode] = {}
        self.edges: dict[tuple[str, str, str], TopologyEdge] = {}

    def asset(self, asset_id: str, namespace: str | None) -> str:
        uid = asset_uid(asset_id)
        self.nodes.setdefault(uid, TopologyNode(uid=uid, namespace=namespace, id=asset_id, type="ASSET"))
        return uid

    def flow(self, namespace: str, flow_id: str) -> str:
        uid = flow_uid(namespace, flow_id)
        self.nodes.setdefault(uid, TopologyNode(uid=uid, namespace=namespace, id=flow_id, type="FLOW"))
        return uid

    def edge(self, flow: str, asset: str, relation: str) -> None:
        """A READ is drawn asset -> flow (USED_BY), a WROTE flow -> asset (UPSERT)."""
        source, target, name = (asset, flow, "USED_BY") if relation == "READ" else (flow, asset, "UPSERT")
        self.edges.setdefault((source, target, name), TopologyEdge(source=source, target=target, relation=name))


def asset_dependencies(
    store: GraphStore, scope: Scope, asset_id: str, *, destination_only: bool, expand_all: bool
) -> TopologyGraph:
    """The asset, the flows that read (downstream) and wrote (upstream) it, and the assets on their other side:
    one hop, or, with `expand_all`, on until nothing new is reached (at most MAX_GRAPH_NODES nodes)."""
    directions = [("READ", "WROTE")] if destination_only else [("READ", "WROTE"), ("WROTE", "READ")]

    def work(tx: Tx) -> TopologyGraph:
        start = fetch_asset(tx, scope, asset_id)
        if start is None:
            raise asset_missing(scope, asset_id)
        drawing = _Topology()
        drawing.asset(start.id, start.namespace)
        for into_flow, out_of_flow in directions:
            _walk(tx, scope, drawing, start, into_flow, out_of_flow, expand_all)
        return TopologyGraph(nodes=list(drawing.nodes.values()), edges=list(drawing.edges.values()))

    return store.read(work)


def _walk(
    tx: Tx, scope: Scope, drawing: _Topology, start: Asset, into_flow: str, out_of_flow: str, expand_all: bool
) -> None:
    """Breadth-first over asset -[into_flow]- flow -[out_of_flow]- asset, one level per pair of queries."""
    frontier, seen_assets, seen_flows = [asset_key(scope.tenant, start.id)], {start.id}, set[str]()
    ids = {asset_key(scope.tenant, start.id): start.id}
    while frontier and len(drawing.nodes) < MAX_GRAPH_NODES:
        flows: list[str] = []
        for row in tx.run("asset_flows", keys=frontier, **binding.visibility(scope)):
            if row["relation"] != into_flow:
                continue
            flow = f"{row['flowNamespace']}/{row['flowId']}"
            drawing.edge(drawing.flow(row["flowNamespace"], row["flowId"]), asset_uid(ids[row["assetKey"]]), into_flow)
            if flow not in seen_flows:
                seen_flows.add(flow)
                flows.append(flow)
        if not flows:
            return
        frontier = []
        args = {"tenantId": scope.tenant, "flows": flows, **binding.visibility(scope)}
        for row in tx.run("flow_assets", **args):
            if row["relation"] != out_of_flow:
                continue
            uid = drawing.asset(row["assetId"], row["assetNamespace"])
            drawing.edge(drawing.flow(row["flowNamespace"], row["flowId"]), uid, out_of_flow)
            if row["assetId"] not in seen_assets:
                seen_assets.add(row["assetId"])
                ids[row["assetKey"]] = row["assetId"]
                frontier.append(row["assetKey"])
        if not expand_all:
            return
