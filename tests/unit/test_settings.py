"""Settings as `lineage serve` builds them, and as it hands them to its worker processes (`--workers`)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from app.settings import Settings


def test_workers_come_from_the_environment_and_a_flag_overrides_it() -> None:
    assert Settings.from_env({}).workers == 1
    assert Settings.from_env({"LINEAGE_WORKERS": "3"}).workers == 3
    assert Settings.from_env({"LINEAGE_WORKERS": "3"}, workers=2).workers == 2


def test_a_worker_builds_the_settings_its_parent_checked() -> None:
    settings = Settings.from_env(
        {"NEO4J_PASSWORD": "s3cret", "LINEAGE_FORWARD_TOKEN": "tok"},
        neo4j_uri="neo4j://db:7687",
        auth_file=Path("/etc/lineage/auth.yaml"),
        data_dir=Path("/var/lib/lineage"),
        workers=2,
        summary_keys="owner,team",
        plan_at_start=True,
    )
    copy = Settings.load(settings.dump())
    assert copy == settings
    assert isinstance(copy.auth_file, Path) and isinstance(copy.data_dir, Path) and copy.exports_dir is None
    assert copy.summary_key_list == ("owner", "team")


def test_the_checkpoint_quiet_time_comes_from_the_environment_and_must_be_positive() -> None:
    assert Settings.from_env({}).checkpoint_quiet_s == 30.0
    assert Settings.from_env({"LINEAGE_CHECKPOINT_QUIET_S": "2.5"}).checkpoint_quiet_s == 2.5
    for bad in ("0", "-1", "soon"):
        with pytest.raises((ValueError, msgspec.ValidationError), match="checkpoint_quiet_s"):
            Settings.from_env({"LINEAGE_CHECKPOINT_QUIET_S": bad})


def test_the_ladybug_memory_bound_comes_from_the_environment_and_cannot_be_negative() -> None:
    assert Settings.from_env({}).ladybug_memory_mb == 0
    assert Settings.from_env({"LINEAGE_LADYBUG_MEMORY_MB": "2048"}).ladybug_memory_mb == 2048
    for bad in ("-1", "lots"):
        with pytest.raises((ValueError, msgspec.ValidationError), match="ladybug_memory_mb"):
            Settings.from_env({"LINEAGE_LADYBUG_MEMORY_MB": bad})
