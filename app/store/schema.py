"""Schema versions, one rule for both backends: a database newer than this service is refused; an older one is
brought forward by `cypher/<dialect>/schema_migrate_<n>_to_<n+1>.cypher`, one step at a time, each step's
version recorded as it completes; a missing step is refused rather than guessed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.errors import SchemaVersionError
from app.store import model
from app.store.queries import QuerySet

log = logging.getLogger(__name__)


def check_not_newer(where: str, version: int) -> None:
    if version > model.SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{where} has schema v{version}, newer than this service (v{model.SCHEMA_VERSION}); "
            "upgrade the service or point it at another database"
        )


def migrate(
    where: str,
    version: int,
    queries: QuerySet,
    run: Callable[[str], object],
    record: Callable[[int], object],
) -> int:
    """Run the migration steps from `version` to the service's schema version; returns the version reached."""
    check_not_newer(where, version)
    while version < model.SCHEMA_VERSION:
        statements = queries.migration_statements(version)
        if statements is None:
            raise SchemaVersionError(f"{where} has schema v{version} and there is no migration to v{version + 1}")
        for statement in statements:
            run(statement)
        version += 1
        record(version)
        log.info("migrated %s to schema v%s", where, version)
    return version
