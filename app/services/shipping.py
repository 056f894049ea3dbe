"""AssetShipper: export the caller's assets to files (JSON Lines, Amazon Ion) or to an OpenLineage endpoint.

The request is the AssetShipper task as written in a flow (or a whole flow holding such tasks):
`assetExporters` (each `FileAssetExporter` with `format: JSON|ION`, or `OpenLineageAssetExporter` with `uri`
and `mappings`), plus optional `type`, `namespace` and `metadata` filters choosing which assets ship.
Each exporter reports how many assets it shipped and which failed; a failure is reported, never a 500.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import requests

from app.domain.access import Scope
from app.domain.assets import Asset
from app.domain.destinations import AllowList, Destination, check
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


#: the longest one exporter may take in all, and one request (the exporter's `timeout` is capped by it)
SHIP_TOTAL_S = 60.0
MAX_REQUEST_TIMEOUT_S = 10.0


def _send_openlineage(
    exporter: ExporterSpec, assets: list[Asset], progress: Progress | None, event_time: str, destination: Destination
) -> ExporterResult:
    """One DatasetEvent per asset through openlineage-python's HTTP transport, to the checked destination: no
    redirect followed, a 5xx retried twice, every failure reported in the same words whatever the network said
    (a caller must not learn which ports are open), and the whole exporter bounded in time."""
    from openlineage.client import OpenLineageClient
    from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport, TokenProvider

    from app.openlineage.events import asset_event

    mappings: Mappings = parse_mappings(exporter.mappings)
    auth = ApiKeyTokenProvider({"apiKey": exporter.apiKey}) if exporter.apiKey else TokenProvider({})
    config = HttpConfig(
        url=destination.url,
        endpoint="",
        timeout=min(max(exporter.timeout, 0.1), MAX_REQUEST_TIMEOUT_S),
        auth=auth,
        session=_NoRedirects(),
        custom_headers={"Host": destination.host_header} if destination.host_header else {},
        retry={"total": 2, "connect": 0, "read": 0, "backoff_factor": 0.2, "status_forcelist": [500, 502, 503, 504]},
    )
    client = OpenLineageClient(transport=HttpTransport(config))
    result = ExporterResult(id=exporter.id, type=exporter.type)
    deadline = time.monotonic() + SHIP_TOTAL_S
    try:
        for i, asset in enumerate(assets, 1):
            if time.monotonic() > deadline:
                _unsent(result, len(assets) - i + 1, f"the exporter's {SHIP_TOTAL_S:g} s time limit was reached")
                break
            try:
                client.emit(asset_event(asset, mappings, event_time))
                result.shipped += 1
            except Exception as exc:  # requests' errors, our redirect refusal: each a reported failure
                result.failed += 1
                result.failures.append(f"{asset.id}: not delivered ({_why(exc)})")
                if _unreachable(exc):
                    _unsent(result, len(assets) - i, f"{exporter.uri} is unreachable")
                    break
            if progress:
                progress(exporter.id, i, len(assets))
    finally:
        client.transport.close()
    return result


def _unsent(result: ExporterResult, rest: int, why: str) -> None:
    if rest:
        result.failed += rest
        result.failures.append(f"{why}: the {rest} remaining assets were not sent")


class _RedirectRefused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"the receiver answered {status}; redirects are not followed")


class _NoRedirects(requests.Session):
    """A session that never follows a redirect (the body would go again wherever a receiver says)."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        response = super().request(*args, **kwargs)
        if response.is_redirect or response.is_permanent_redirect:
            response.close()
            raise _RedirectRefused(response.status_code)
        return response


def _why(exc: Exception) -> str:
    """A failure in the same words whatever the network said: refused, timed out and unresolved read alike."""
    if isinstance(exc, _RedirectRefused):
        return str(exc)
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"the receiver answered {exc.response.status_code}"
    if _unreachable(exc):
        return "could not connect"
    return "the request failed"


def _unreachable(exc: Exception) -> bool:
    return isinstance(exc, requests.ConnectionError | requests.Timeout) and not isinstance(exc, requests.HTTPError)


def ship(
    store: GraphStore,
    scope: Scope,
    sandbox: Sandbox,
    text: str,
    exports_dir: Path,
    progress: Progress | None = None,
    *,
    allow: AllowList,
    clock: Clock = now_iso,
) -> ShipResult:
    """Run the AssetShipper tasks of a request. Every OpenLineage destination is checked against the operator's
    allow-list before anything ships (a 400 when one is not allowed)."""
    specs = parse_ship_request(sandbox, scope, text)
    destinations = {
        (n, exporter.id): check(exporter.uri or "", exporter.endpoint, allow, field=f"assetExporters.{exporter.id}.uri")
        for n, spec in enumerate(specs)
        for exporter in spec.assetExporters
        if exporter.type == OPENLINEAGE_EXPORTER
    }
    results: list[ExporterResult] = []
    count = 0
    for n, spec in enumerate(specs):
        assets = all_assets(store, scope, AssetFilter(type=spec.type, namespace=spec.namespace, metadata=spec.metadata))
        count = max(count, len(assets))
        for exporter in spec.assetExporters:
            if exporter.type == FILE_EXPORTER:
                results.append(_write_file(exporter, assets, scope, exports_dir, progress))
            else:
                destination = destinations[(n, exporter.id)]
                results.append(_send_openlineage(exporter, assets, progress, clock(), destination))
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
