"""The asset types Kestra predefines, and the two spellings of their names.

The reference names them `io.kestra.plugin.ee.assets.<Kind>` and also writes `io.kestra.core.models.assets.
<Kind>` (in the `assets()` examples); both mean the same type. We store the first spelling for the four
plugin types and `io.kestra.core.models.assets.External` for External, exactly as the reference lists them,
and accept either spelling wherever a type is read or filtered.
"""

from __future__ import annotations

import msgspec

CORE_PREFIX = "io.kestra.core.models.assets."
EE_PREFIX = "io.kestra.plugin.ee.assets."
EXTERNAL = CORE_PREFIX + "External"
TABLE = EE_PREFIX + "Table"
FILE = EE_PREFIX + "File"
DATASET = EE_PREFIX + "Dataset"
VM = EE_PREFIX + "VM"


class AssetType(msgspec.Struct, frozen=True):
    type: str
    name: str
    description: str
    metadataFields: tuple[str, ...]
    aliases: tuple[str, ...]


PREDEFINED: tuple[AssetType, ...] = (
    AssetType(
        DATASET,
        "Dataset",
        "A dataset asset managed by Kestra.",
        ("system", "location", "format"),
        (CORE_PREFIX + "Dataset",),
    ),
    AssetType(
        FILE,
        "File",
        "A file asset, such as documents, logs, or other file-based outputs.",
        ("system", "path"),
        (CORE_PREFIX + "File",),
    ),
    AssetType(
        TABLE,
        "Table",
        "A database table asset with schema and data location metadata.",
        ("system", "database", "schema"),
        (CORE_PREFIX + "Table",),
    ),
    AssetType(
        VM,
        "VM",
        "A virtual machine asset, including attributes like IP address and provider.",
        ("provider", "region", "state"),
        (CORE_PREFIX + "VM",),
    ),
    AssetType(
        EXTERNAL,
        "External",
        "An asset that exists outside of Kestra's managed resources; assigned automatically to "
        "inputs that do not exist yet.",
        (),
        (EE_PREFIX + "External",),
    ),
)

_CANONICAL: dict[str, str] = {}
for _t in PREDEFINED:
    _CANONICAL[_t.type] = _t.type
    for _alias in _t.aliases:
        _CANONICAL[_alias] = _t.type


def canonical_type(name: str) -> str:
    """The stored spelling of a type name; free-form types are kept exactly as given."""
    return _CANONICAL.get(name, name)


def equivalent_types(name: str) -> list[str]:
    """Every spelling that means the same type (for filters: old data may hold either)."""
    canonical = canonical_type(name)
    for t in PREDEFINED:
        if t.type == canonical:
            return [t.type, *t.aliases]
    return [name]


def is_predefined(name: str) -> bool:
    return name in _CANONICAL
