"""Large JSON documents stored packed: deflated, then base64 behind a prefix no JSON text starts with.

LadybugDB rewrites a string column of a node group whole at a checkpoint once a row of it changes or its pages fill,
so the bytes a document column holds are paid again at every such checkpoint (an OpenLineage run's document changes
at each of its events: docs/measurements.md, Stored documents packed). Deflated, a run's events take a fraction of
their text. A document stored as JSON text before packing reads as it is.
"""

from __future__ import annotations

import base64
import zlib

#: What a packed document starts with; a JSON document starts with `{` or `[`.
PREFIX = "z:"
#: zlib's fastest level: the documents are small, and the slower levels save little more (docs/measurements.md).
LEVEL = 1


def pack(text: bytes) -> str:
    return PREFIX + base64.b64encode(zlib.compress(text, LEVEL)).decode("ascii")


def unpack(stored: str) -> bytes:
    """The JSON text of a stored document, packed or not."""
    if stored.startswith(PREFIX):
        return zlib.decompress(base64.b64decode(stored[len(PREFIX) :]))
    return stored.encode()
