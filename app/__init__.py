"""Asset and lineage service: a graph of what workflows read and write."""

__version__ = "0.1.0"
