"""Storage backends behind one small interface (`GraphStore`)."""

from __future__ import annotations

import logging

from app.settings import Settings
from app.store.base import GraphStore, Tx

log = logging.getLogger(__name__)

__all__ = ["GraphStore", "Tx", "open_store"]


def open_store(settings: Settings) -> GraphStore:
    """The Neo4j backend when a URI is configured, else the embedded LadybugDB file under `data_dir`."""
    if settings.neo4j_uri:
        from app.store.neo4j import Neo4jStore

        store: GraphStore = Neo4jStore(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
        )
    else:
        from app.store.ladybug import LadybugStore, engine_memory_bytes

        store = LadybugStore(
            settings.data_dir,
            checkpoint_quiet_s=settings.checkpoint_quiet_s,
            buffer_pool_bytes=engine_memory_bytes(settings.ladybug_memory_mb),
        )
    log.info("storage backend: %s", store.describe())
    return store
