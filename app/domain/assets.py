"""Assets: the request and response shapes, and how metadata is encoded for filtering in the database."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Annotated, Any

import msgspec
from litestar.params import KwargDefinition
from msgspec import Meta

from app.domain import limits
from app.domain.jsonsafe import canonical
from app.domain.types import canonical_type

AssetId = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=limits.MAX_ID,
        pattern=limits.PRINTABLE_PATTERN,
        description=f"Unique within a tenant; 1-{limits.MAX_ID} printable characters.",
    ),
]
Namespace = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=limits.MAX_NAMESPACE,
        pattern=limits.NAMESPACE_PATTERN,
        description="Kestra namespace (dot-separated); the unit of access control.",
    ),
]
TypeName = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=limits.MAX_TYPE,
        pattern=limits.PRINTABLE_PATTERN,
        description="A predefined type such as io.kestra.plugin.ee.assets.Table, or any string.",
    ),
]
MetadataKey = Annotated[str, Meta(min_length=1, max_length=limits.MAX_METADATA_KEY, pattern=limits.PRINTABLE_PATTERN)]
_VALUE_SCHEMA = {
    "anyOf": [
        {"type": "string", "maxLength": limits.MAX_METADATA_VALUE},
        {"type": "number"},
        {"type": "boolean"},
    ]
}
# Values are checked in `check_metadata` rather than by the type, so that an error names the key
# (`metadata.owner`); the OpenAPI schema still states the value types.
Metadata = Annotated[
    dict[MetadataKey, Any],
    Meta(max_length=limits.MAX_METADATA_KEYS),
    KwargDefinition(schema_extra={"additionalProperties": _VALUE_SCHEMA, "maxProperties": limits.MAX_METADATA_KEYS}),
]
DisplayName = Annotated[str, Meta(max_length=limits.MAX_DISPLAY_NAME)]
Description = Annotated[str, Meta(max_length=limits.MAX_DESCRIPTION, description="Markdown.")]


class AssetIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Body of `PUT /assets/{id}`. Read-only fields of `Asset` are accepted (and ignored) so that a GET
    response can be edited and sent back as is."""

    type: TypeName
    namespace: Namespace | None = None
    displayName: DisplayName | None = None
    description: Description | None = None
    metadata: Metadata = msgspec.field(default_factory=dict)
    # read-only, tolerated for round trips
    id: str | None = None
    tenantId: str | None = None
    created: str | None = None
    updated: str | None = None
    deleted: bool | None = None
    createdBy: str | None = None
    lock: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        check_metadata(self.metadata)


class AssetLock(msgspec.Struct, kw_only=True):
    """Who holds an asset (Kestra's asset lock): an execution, or a user when no execution is named."""

    lockedUntil: str
    acquiredAt: str
    ownerType: str  # EXECUTION | USER
    executionId: str | None = None
    flowId: str | None = None
    flowNamespace: str | None = None
    namespace: str | None = None
    username: str | None = None


class Asset(msgspec.Struct, kw_only=True):
    tenantId: str
    id: str
    namespace: str | None
    type: str
    displayName: str | None
    description: str | None
    metadata: dict[str, Any]
    created: str
    updated: str
    deleted: bool
    createdBy: str | None = None
    lock: AssetLock | None = None  # shown when one asset is read, as Kestra's API does


class AssetPage(msgspec.Struct):
    results: list[Asset]
    total: int


def canonical_value(value: object) -> str:
    """How a metadata value is compared in filters: query strings carry no type, so `1`, `1.0` and `"1"`
    all match `metadata.x=1`, and `true` matches both `true` and `"true"`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def meta_pair(key: str, value: object) -> str:
    return json.dumps([key, canonical_value(value)], ensure_ascii=False, separators=(",", ":"))


def meta_prefix(key: str) -> str:
    """What every metadata pair of `key` starts with (`["key",`), whatever its value."""
    return meta_pair(key, "")[: -len('""]')]


def pair_value(pair: str) -> str:
    """The value of a metadata pair, in its canonical text."""
    return str(json.loads(pair)[1])


def meta_pairs(metadata: dict[str, Any]) -> list[str]:
    return sorted(meta_pair(k, v) for k, v in metadata.items())


def check_metadata(metadata: dict[str, Any], field: str = "metadata") -> None:
    """Values are strings, numbers or booleans; raises ValueError (msgspec reports it as a 400)."""
    for key, value in metadata.items():
        if isinstance(value, bool | int):
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"{field}.{key}: numbers must be finite")
            continue
        if isinstance(value, str):
            if len(value) > limits.MAX_METADATA_VALUE:
                raise ValueError(f"{field}.{key}: longer than {limits.MAX_METADATA_VALUE} characters")
            continue
        kind = {list: "array", dict: "object", type(None): "null"}.get(type(value), type(value).__name__)
        raise ValueError(f"{field}.{key}: values must be a string, number or boolean, not {kind}")


def encode_metadata(metadata: dict[str, Any]) -> str:
    return canonical(metadata)


def fingerprint(*parts: object) -> str:
    """A stable digest of an asset's content; `updated` moves only when it changes."""
    return hashlib.sha256(canonical(parts).encode()).hexdigest()[:32]


def asset_from_row(props: dict[str, Any]) -> Asset:
    return Asset(
        tenantId=props["tenantId"],
        id=props["id"],
        namespace=props.get("namespace") or None,
        type=props.get("type") or "",
        displayName=props.get("displayName"),
        description=props.get("description"),
        metadata=json.loads(props.get("metadata") or "{}"),
        created=props["created"],
        updated=props.get("updated") or props["created"],
        deleted=bool(props.get("deleted")),
        createdBy=props.get("createdBy"),
    )


class AssetWrite(msgspec.Struct, kw_only=True, frozen=True):
    """The full stored state of an asset, as the write queries take it."""

    namespace: str
    type: str
    displayName: str | None
    description: str | None
    metadata: dict[str, Any]

    @classmethod
    def from_input(cls, body: AssetIn) -> AssetWrite:
        return cls(
            namespace=body.namespace or "",
            type=canonical_type(body.type),
            displayName=body.displayName,
            description=body.description,
            metadata=dict(body.metadata),
        )

    def params(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "type": self.type,
            "displayName": self.displayName,
            "description": self.description,
            "metadata": encode_metadata(self.metadata),
            "metaPairs": meta_pairs(self.metadata),
            "fingerprint": fingerprint(self.namespace, self.type, self.displayName, self.description, self.metadata),
        }
