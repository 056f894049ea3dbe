"""Asset and lineage service: a graph of what workflows read and write."""

from pathlib import Path

__version__ = "0.1.0"

#: The repository root; `cypher/` lives beside `app/` (the package is installed editable).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
