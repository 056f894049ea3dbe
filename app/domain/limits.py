"""Every size limit the service enforces, in one place, so the README table and the code cannot drift."""

from __future__ import annotations

from dataclasses import dataclass

TENANT_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
#: Kestra namespace syntax: dot-separated segments of letters, digits, `_` and `-`.
NAMESPACE_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_-]*(\.[A-Za-z0-9_][A-Za-z0-9_-]*)*$"
#: Printable text: no control characters (ids and keys end up in logs, URLs and files).
PRINTABLE_PATTERN = r"^[^\x00-\x1f\x7f]+$"

MAX_ID = 512
MAX_NAMESPACE = 256
MAX_TYPE = 256
MAX_DISPLAY_NAME = 512
MAX_DESCRIPTION = 65_536
MAX_METADATA_KEYS = 100
MAX_METADATA_KEY = 128
MAX_METADATA_VALUE = 8_192
MAX_PAGE_SIZE = 1_000
#: assets in one `PUT /assets` batch (one transaction)
MAX_BATCH = 1_000
MAX_PAGE = 100_000
DEFAULT_PAGE_SIZE = 25


@dataclass(frozen=True)
class IngestLimits:
    """Bounds on what one recording may claim or expand into (configurable: LINEAGE_MAX_FUTURE_SKEW_S,
    LINEAGE_MAX_COLUMN_EDGES)."""

    #: how far past the server's clock a start, end or event time may be (a clock's drift, not a date in 9999,
    #: which would keep every later real run from being current)
    future_skew_s: float = 600.0
    #: column-level edges (DERIVES) one OpenLineage run may carry, its events together
    column_edges: int = 20_000
