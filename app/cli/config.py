"""What every command shares: the store flags, and the settings they make."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.settings import Settings


def add_store_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, help="LadybugDB directory (default ./data; env LINEAGE_DATA_DIR)")
    p.add_argument("--neo4j-uri", help="use Neo4j at this bolt:// or neo4j:// URI (env NEO4J_URI)")
    p.add_argument("--neo4j-user", help="Neo4j user (env NEO4J_USER, default neo4j)")
    p.add_argument("--neo4j-password", help="Neo4j password (env NEO4J_PASSWORD)")
    p.add_argument("--neo4j-database", help="Neo4j database name (env NEO4J_DATABASE)")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        workers=getattr(args, "workers", None),
        data_dir=getattr(args, "data_dir", None),
        neo4j_uri=getattr(args, "neo4j_uri", None),
        neo4j_user=getattr(args, "neo4j_user", None),
        neo4j_password=getattr(args, "neo4j_password", None),
        neo4j_database=getattr(args, "neo4j_database", None),
        auth_file=getattr(args, "auth_file", None),
        require_auth=getattr(args, "require_auth", None) or None,
        log_level=getattr(args, "log_level", None),
        kafka_bootstrap=getattr(args, "kafka_bootstrap", None),
        kafka_topic=getattr(args, "kafka_topic", None),
        forward_url=getattr(args, "forward_url", None),
        forward_batch=getattr(args, "forward_batch", None) or None,
        summary_keys=getattr(args, "summary_keys", None),
    )
