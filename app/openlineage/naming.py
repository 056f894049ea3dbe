"""Which OpenLineage dataset (namespace, name) an asset is.

An exporter's `mappings` say, per asset type, which asset field (`id`, `namespace`, `type`, `displayName`)
or metadata key (`metadata.<key>` or a bare key that is not a field) gives the dataset `namespace` and
`name`. Without a mapping, each predefined type has a default built from its structured metadata, using
`openlineage.client.naming` where it knows the platform (S3, GCS, HDFS, local files, Postgres, ...); the
fallback is `kestra://<tenant>` and the asset id, which ingest resolves back to the same asset.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import msgspec
from openlineage.client.naming import dataset as ol_naming

from app.domain.assets import Asset
from app.domain.types import DATASET, FILE, TABLE, VM, canonical_type
from app.errors import InvalidInput
from app.openlineage import KESTRA_SYMLINK_SCHEME

FIELDS = ("id", "namespace", "type", "displayName", "tenantId")


class FieldMapping(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    namespace: str | None = None
    name: str | None = None


Mappings = dict[str, FieldMapping]


def parse_mappings(raw: Any, field: str = "mappings") -> Mappings:
    if raw is None:
        return {}
    try:
        parsed = msgspec.convert(raw, dict[str, FieldMapping])
    except msgspec.ValidationError as exc:
        raise InvalidInput(f"{field}: {exc}", field=field) from exc
    return {canonical_type(k): v for k, v in parsed.items()}


def _lookup(asset: Asset, source: str) -> str | None:
    if source.startswith("metadata."):
        value = asset.metadata.get(source[len("metadata.") :])
    elif source in FIELDS:
        value = getattr(asset, source)
    else:
        value = asset.metadata.get(source)
    return None if value is None or value == "" else str(value)


def _from_uri(location: str) -> tuple[str, str] | None:
    """Object-store and file locations, named the way OpenLineage names them."""
    parsed = urlparse(location)
    key = parsed.path.lstrip("/")
    if parsed.scheme in ("s3", "s3a", "s3n") and parsed.netloc and key:
        naming: ol_naming.DatasetNaming = ol_naming.S3(bucket_name=parsed.netloc, object_key=key)
    elif parsed.scheme == "gs" and parsed.netloc and key:
        naming = ol_naming.GCS(bucket_name=parsed.netloc, object_key=key)
    elif parsed.scheme == "hdfs" and parsed.hostname and key:
        naming = ol_naming.HDFS(namenode_host=parsed.hostname, namenode_port=parsed.port or 8020, path="/" + key)
    elif parsed.scheme in ("", "file") and (parsed.path or location).startswith("/"):
        naming = ol_naming.LocalFileSystem(path=parsed.path or location)
    elif parsed.scheme and parsed.netloc:
        return f"{parsed.scheme}://{parsed.netloc}", key or parsed.netloc
    else:
        return None
    return naming.get_namespace(), naming.get_name()


def default_name(asset: Asset) -> tuple[str, str]:
    md = {k: str(v) for k, v in asset.metadata.items()}
    kind = canonical_type(asset.type)
    if kind == TABLE:
        system, database, schema = md.get("system"), md.get("database"), md.get("schema")
        table = md.get("table") or asset.id
        if system == "postgres" and md.get("host"):
            naming = ol_naming.Postgres(
                host=md["host"],
                port=md.get("port", "5432"),
                database=database or "",
                schema=schema or "public",
                table=table,
            )
            return naming.get_namespace(), naming.get_name()
        if system or database:
            namespace = f"{system}://{database}" if system and database else (system or database or "")
            name = ".".join(p for p in (schema, table) if p)
            return namespace, name
    if kind in (FILE, DATASET):
        location = md.get("path") or md.get("location")
        if location:
            named = _from_uri(location)
            if named:
                return named
    if kind == VM and md.get("provider"):
        return f"{md['provider']}://{md.get('region', 'global')}", asset.id
    return f"{KESTRA_SYMLINK_SCHEME}{asset.tenantId}", asset.id


def dataset_name(asset: Asset, mappings: Mapping[str, FieldMapping] | None = None) -> tuple[str, str]:
    namespace, name = default_name(asset)
    mapping = (mappings or {}).get(canonical_type(asset.type))
    if mapping is not None:
        if mapping.namespace:
            namespace = _lookup(asset, mapping.namespace) or namespace
        if mapping.name:
            name = _lookup(asset, mapping.name) or name
    return namespace, name


def symlink_namespace(tenant: str) -> str:
    return f"{KESTRA_SYMLINK_SCHEME}{tenant}"
