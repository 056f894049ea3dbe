"""Service configuration: one immutable struct, built by the CLI from flags and environment.

Nothing reads the environment at import time; `create_app(settings)` receives everything it needs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec

from app.domain.destinations import AllowList
from app.domain.limits import IngestLimits
from app.domain.lineage import MAX_SUMMARY_KEYS
from app.domain.sandbox import SandboxLimits


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 8080
    #: API processes serving one port (Neo4j only: a LadybugDB file has one owner process). Each has its own group
    #: commit and driver; several share the work of parsing and answering requests, which one Python process does
    #: on one core at a time.
    workers: int = 1
    data_dir: Path = Path("data")
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None
    #: Where AssetShipper file exports are written (default: <data_dir>/exports). Share it between API replicas.
    exports_dir: Path | None = None
    auth_file: Path | None = None
    require_auth: bool = False
    #: Largest request body accepted, in bytes (flows, executions, OpenLineage events).
    max_body_bytes: int = 2 * 1024 * 1024
    log_level: str = "INFO"
    #: Worker processes that evaluate user input (flow YAML, templates, jq), and each one's limits.
    sandbox_workers: int = 4
    sandbox_memory_mb: int = 512
    sandbox_time_s: float = 2.0
    #: Start one worker at start-up, so the first evaluation does not wait for it.
    sandbox_prewarm: bool = True
    #: Ask the lineage questions once at start, before `/ready` says ready, so the database plans them ahead
    #: (`lineage serve` does; an app embedded in a test or a CLI command answers its one question without).
    plan_at_start: bool = False
    #: How far ahead of this server's clock a recorded time may be, and the column edges one run may carry.
    max_future_skew_s: float = 600.0
    max_column_edges: int = 20_000
    #: Where OpenLineage exporters may send: host names and networks (none by default), see app/domain/destinations.
    ship_allow: str = ""
    #: Group commit (app/services/group_commit.py): how long a busy server gathers concurrent recordings into one
    #: transaction, and how many at most.
    group_commit_ms: float = 5.0
    group_commit_max: int = 256
    #: Sinks (app/sinks/): every recording's OpenLineage events published to a Kafka topic and/or forwarded over HTTP
    #: to a catalog, through the outbox (app/services/outbox.py). `kafka_config` holds librdkafka settings (SASL,
    #: SSL) as `name=value` pairs separated by `;` or newlines.
    kafka_bootstrap: str | None = None
    kafka_topic: str = "openlineage"
    kafka_config: str = ""
    forward_url: str | None = None
    forward_token: str | None = None
    #: POST the events to `forward_url` as one JSON array per batch (a receiver with a batch route) instead of one
    #: request per event
    forward_batch: bool = False
    #: Metadata keys an impact summary and export break down by when the caller names none (comma-separated):
    #: who owns what a change reaches.
    summary_keys: str = "owner"
    #: Write the outbox even without a sink in this process (another API process on the same Neo4j delivers).
    outbox: bool = False
    #: LadybugDB: after a write burst too small to checkpoint at its pause, how long writes must pause before the
    #: write-ahead log is checkpointed anyway (app/store/ladybug.py: _Checkpointer).
    checkpoint_quiet_s: float = 30.0
    #: LadybugDB: the memory the engine may use, in MiB; 0: half of a container's memory limit, else the engine's
    #: default (app/store/ladybug.py: engine_memory_bytes).
    ladybug_memory_mb: int = 0

    @property
    def exports_path(self) -> Path:
        return self.exports_dir or self.data_dir / "exports"

    def __post_init__(self) -> None:
        if len(self.summary_key_list) > MAX_SUMMARY_KEYS:
            raise ValueError(f"summary_keys: at most {MAX_SUMMARY_KEYS} metadata keys")
        if not self.checkpoint_quiet_s > 0:
            raise ValueError("checkpoint_quiet_s: a number of seconds above 0")
        if self.ladybug_memory_mb < 0:
            raise ValueError("ladybug_memory_mb: a number of MiB, or 0 for the default")

    @property
    def summary_key_list(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k.strip() for k in self.summary_keys.split(",") if k.strip()))

    @property
    def outbox_enabled(self) -> bool:
        return bool(self.outbox or self.kafka_bootstrap or self.forward_url)

    @property
    def ship_allowed(self) -> AllowList:
        return AllowList.parse(self.ship_allow)

    @property
    def ingest_limits(self) -> IngestLimits:
        return IngestLimits(future_skew_s=self.max_future_skew_s, column_edges=self.max_column_edges)

    @property
    def sandbox(self) -> SandboxLimits:
        return SandboxLimits(workers=self.sandbox_workers, memory_mb=self.sandbox_memory_mb, time_s=self.sandbox_time_s)

    def dump(self) -> str:
        """As JSON, for a worker process to build the same settings (`load`)."""
        return msgspec.json.encode(self, enc_hook=str).decode()

    @classmethod
    def load(cls, text: str) -> Settings:
        return cls._convert(msgspec.json.decode(text))

    @classmethod
    def _convert(cls, values: dict[str, object]) -> Settings:
        for name in ("data_dir", "auth_file", "exports_dir"):
            if isinstance(values.get(name), str):
                values[name] = Path(str(values[name]))
        return msgspec.convert(values, cls, strict=False, builtin_types=(Path,))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then `LINEAGE_*` / `NEO4J_*` variables, then explicit overrides (CLI flags)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        mapping = {
            "LINEAGE_HOST": "host",
            "LINEAGE_PORT": "port",
            "LINEAGE_WORKERS": "workers",
            "LINEAGE_DATA_DIR": "data_dir",
            "NEO4J_URI": "neo4j_uri",
            "NEO4J_USER": "neo4j_user",
            "NEO4J_USERNAME": "neo4j_user",
            "NEO4J_PASSWORD": "neo4j_password",
            "NEO4J_DATABASE": "neo4j_database",
            "LINEAGE_AUTH_FILE": "auth_file",
            "LINEAGE_EXPORTS_DIR": "exports_dir",
            "LINEAGE_REQUIRE_AUTH": "require_auth",
            "LINEAGE_MAX_BODY_BYTES": "max_body_bytes",
            "LINEAGE_LOG_LEVEL": "log_level",
            "LINEAGE_SANDBOX_WORKERS": "sandbox_workers",
            "LINEAGE_SANDBOX_MEMORY_MB": "sandbox_memory_mb",
            "LINEAGE_SANDBOX_TIME_S": "sandbox_time_s",
            "LINEAGE_MAX_FUTURE_SKEW_S": "max_future_skew_s",
            "LINEAGE_MAX_COLUMN_EDGES": "max_column_edges",
            "LINEAGE_SHIP_ALLOW": "ship_allow",
            "LINEAGE_GROUP_COMMIT_MS": "group_commit_ms",
            "LINEAGE_GROUP_COMMIT_MAX": "group_commit_max",
            "LINEAGE_KAFKA_BOOTSTRAP": "kafka_bootstrap",
            "LINEAGE_KAFKA_TOPIC": "kafka_topic",
            "LINEAGE_KAFKA_CONFIG": "kafka_config",
            "LINEAGE_FORWARD_URL": "forward_url",
            "LINEAGE_FORWARD_TOKEN": "forward_token",
            "LINEAGE_FORWARD_BATCH": "forward_batch",
            "LINEAGE_OUTBOX": "outbox",
            "LINEAGE_SUMMARY_KEYS": "summary_keys",
            "LINEAGE_CHECKPOINT_QUIET_S": "checkpoint_quiet_s",
            "LINEAGE_LADYBUG_MEMORY_MB": "ladybug_memory_mb",
        }
        for var, name in mapping.items():
            if env.get(var):
                values[name] = env[var]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls._convert(values)
