"""AssetShipper: export the caller's assets to files (JSON Lines, Amazon Ion) or to an OpenLineage endpoint.

The request is the AssetShipper task as written in a flow (or a whole flow holding such tasks):
`assetExporters` (each `FileAssetExporter` with `format: JSON|ION`, or `OpenLineageAssetExporter` with `uri`
and `mappings`), plus optional `type`, `namespace` and `metadata` filters choosing which assets ship.
Each exporter reports how many assets it shipped and which failed; a failure is reported, never a 500.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from app.domain.access import Scope
from app.domain.assets import Asset
from app.domain.sandbox import Sandbox
from app.errors import InvalidInput, NotFound
from app.openlineage.naming import Mappings, parse_mappings
from app.services.assets import AssetFilter, all_assets
from app.services.documents import load_yaml
from app.store.base import GraphStore
from app.timeutil import Clock, now_iso

SHIPPER = "io.kestra.plugin.ee.assets.AssetShipper"
FILE_EXPORTER = "io.kestra.plugin.ee.assets.FileAssetExporter"
OPENLINEAGE_EXPORTER = "io.kestra.plugin.ee.openlineage.OpenLineageAssetExporter"
EXPORT_NAME = r"^[0-9a-f]{32}\.(jsonl|ion)$"
Progress = Callable[[str, int, int], None]  # (exporter id, done, total)


class ExporterSpec(msgspec.Struct, kw_only=True):
    id: str
    type: str
    format: str = "JSON"
    uri: str | None = None
    endpoint: str = "api/v1/lineage"
    apiKey: str | None = None
    timeout: float = 5.0
    mappings: dict[str, Any] | None = None


class ShipSpec(msgspec.Struct, kw_only=True):
    assetExporters: list[ExporterSpec]
    type: str | None = None
    namespace: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class ExporterResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str
    type: str
    shipped: int = 0
    failed: int = 0
    failures: list[str] = msgspec.field(default_factory=list)
    format: str | None = None
    uri: str | None = None


class ShipResult(msgspec.Struct, kw_only=True):
    assets: int
    exporters: list[ExporterResult]


def parse_ship_request(sandbox: Sandbox, scope: Scope, text: str) -> list[ShipSpec]:
    """The AssetShipper tasks in a request: the task itself, `{assetExporters: [...]}`, or a flow."""
    data = load_yaml(sandbox, scope, text, what="AssetShipper request")
    if not isinstance(data, dict):
        raise InvalidInput("send an AssetShipper task (or a flow holding one) as YAML or JSON", field="body")
    candidates = (
        [data]
        if "assetExporters" in data
        else [t for t in data.get("tasks") or [] if isinstance(t, dict) and t.get("type") == SHIPPER]
    )
    if not candidates:
        raise InvalidInput(f"no `assetExporters` and no {SHIPPER} task found", field="assetExporters")
    specs = []
    for i, raw in enumerate(candidates):
        try:
            spec = msgspec.convert({k: v for k, v in raw.items() if k not in ("id", "type")}, ShipSpec, strict=False)
        except msgspec.ValidationError as exc:
            raise InvalidInput(f"AssetShipper {i}: {exc}", field="assetExporters") from exc
        for exporter in spec.assetExporters:
            if exporter.type not in (FILE_EXPORTER, OPENLINEAGE_EXPORTER):
                raise InvalidInput(
                    f"exporter {exporter.id!r}: unknown type {exporter.type!r} (known: "
                    f"{FILE_EXPORTER}, {OPENLINEAGE_EXPORTER})",
                    field="assetExporters",
                )
            if exporter.type == FILE_EXPORTER and exporter.format.upper() not in ("JSON", "ION"):
                raise InvalidInput(f"exporter {exporter.id!r}: format is JSON or ION", field="assetExporters")
            if exporter.type == OPENLINEAGE_EXPORTER and not exporter.uri:
                raise InvalidInput(
                    f"exporter {exporter.id!r}: an OpenLineage exporter needs a `uri`", field="assetExporters"
                )
            parse_mappings(exporter.mappings, field=f"assetExporters.{exporter.id}.mappings")
        specs.append(spec)
    return specs


def export_object(asset: Asset) -> dict[str, Any]:
    """An asset as exported: its fields, without the ones that are null (Ion has no plain null)."""
    return {k: v for k, v in msgspec.to_builtins(asset).items() if v is not None}


def _write_file(
    exporter: ExporterSpec, assets: list[Asset], scope: Scope, exports_dir: Path, progress: Progress | None
) -> ExporterResult:
    fmt = exporter.format.upper()
    folder = exports_dir / scope.tenant
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{'jsonl' if fmt == 'JSON' else 'ion'}"
    tmp = folder / (name + ".part")
    with tmp.open("w", encoding="utf-8") as f:
        if fmt == "ION":
            import amazon.ion.simpleion as ion

            f.write("$ion_1_0\n")
            for i, asset in enumerate(assets, 1):
                f.write(ion.dumps(export_object(asset), binary=False, omit_version_marker=True) + "\n")
                if progress:
                    progress(exporter.id, i, len(assets))
        else:
            for i, asset in enumerate(assets, 1):
                f.write(json.dumps(export_object(asset), ensure_ascii=False, separators=(",", ":")) + "\n")
                if progress:
                    progress(exporter.id, i, len(assets))
    (folder / (name + ".grants.json")).write_text(json.dumps({"read": list(scope.read)}))
    tmp.rename(folder / name)
    return ExporterResult(
        id=exporter.id,
        type=exporter.type,
        shipped=len(assets),
        format=fmt,
        uri=f"/api/v1/{scope.tenant}/ship/files/{name}",
    )


def _send_openlineage(
    exporter: ExporterSpec, assets: list[Asset], progress: Progress | None, event_time: str
) -> ExporterResult:
    from openlineage.client import OpenLineageClient
    from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport, TokenProvider

    from app.openlineage.events import asset_event

    mappings: Mappings = parse_mappings(exporter.mappings)
    auth = ApiKeyTokenProvider({"apiKey": exporter.apiKey}) if exporter.apiKey else TokenProvider({})
    config = HttpConfig(
        url=exporter.uri or "",
        endpoint=exporter.endpoint,
        timeout=exporter.timeout,
        auth=auth,
        retry={
            "total": 2,
            "connect": 2,
            "read": 2,
            "backoff_factor": 0.2,
            "status_forcelist": [500, 502, 503, 504],
            "allowed_methods": ["POST"],
        },
    )
    client = OpenLineageClient(transport=HttpTransport(config))
    result = ExporterResult(id=exporter.id, type=exporter.type)
    for i, asset in enumerate(assets, 1):
        try:
            client.emit(asset_event(asset, mappings, event_time))
            result.shipped += 1
        except Exception as exc:  # the transport raises requests' errors; each is a reported failure
            result.failed += 1
            reason = f"{asset.id}: {type(exc).__name__}: {str(exc)[:300]}"
            result.failures.append(reason)
            if _unreachable(exc):
                rest = len(assets) - i
                result.failed += rest
                result.failures.append(f"{exporter.uri} is unreachable: the {rest} remaining assets were not sent")
                break
        if progress:
            progress(exporter.id, i, len(assets))
    client.transport.close()
    return result


def _unreachable(exc: Exception) -> bool:
    import requests

    return isinstance(exc, requests.ConnectionError | requests.Timeout)


def ship(
    store: GraphStore,
    scope: Scope,
    sandbox: Sandbox,
    text: str,
    exports_dir: Path,
    progress: Progress | None = None,
    *,
    clock: Clock = now_iso,
) -> ShipResult:
    specs = parse_ship_request(sandbox, scope, text)
    results: list[ExporterResult] = []
    count = 0
    for spec in specs:
        assets = all_assets(store, scope, AssetFilter(type=spec.type, namespace=spec.namespace, metadata=spec.metadata))
        count = max(count, len(assets))
        for exporter in spec.assetExporters:
            if exporter.type == FILE_EXPORTER:
                results.append(_write_file(exporter, assets, scope, exports_dir, progress))
            else:
                results.append(_send_openlineage(exporter, assets, progress, clock()))
    return ShipResult(assets=count, exporters=results)


def export_file(scope: Scope, exports_dir: Path, name: str) -> Path:
    """An export's path, if the caller may read everything its exporter could (else 404)."""
    import re

    from app.domain.access import covers

    path = exports_dir / scope.tenant / name
    grants_path = exports_dir / scope.tenant / (name + ".grants.json")
    if not re.match(EXPORT_NAME, name) or not path.is_file() or not grants_path.is_file():
        raise NotFound(f"no export {name!r} in tenant {scope.tenant!r}", field="name")
    grants = json.loads(grants_path.read_text())["read"]
    if not scope.reads_all and not all(any(covers(mine, g) for mine in scope.read) for g in grants):
        raise NotFound(f"no export {name!r} in tenant {scope.tenant!r}", field="name")
    return path
