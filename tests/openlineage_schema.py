"""Validate OpenLineage events against the official schemas in ../shared/openlineage-spec, resolving the
facet schemas' `$ref`s into the core schema, and each standard facet against its own schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

APP_FACETS = Path(__file__).resolve().parents[1] / "app" / "openlineage" / "schema" / "facets"


class SpecValidator:
    def __init__(self, spec_dir: Path) -> None:
        core = json.loads((spec_dir / "OpenLineage.json").read_text())
        resources = [(core["$id"], Resource.from_contents(core))]
        self.facet_schemas: dict[str, dict[str, Any]] = {}
        for path in [*sorted((spec_dir / "facets").glob("*.json")), *sorted(APP_FACETS.glob("*.json"))]:
            schema = json.loads(path.read_text())
            resources.append((schema["$id"], Resource.from_contents(schema)))
            for facet_name in schema.get("properties", {}):
                self.facet_schemas.setdefault(facet_name, schema)
        self.registry = Registry().with_resources(resources)
        self.core = Draft202012Validator(core, registry=self.registry, format_checker=FormatChecker())

    def _facets(self, facets: dict[str, Any] | None, where: str) -> list[str]:
        errors = []
        for name, facet in (facets or {}).items():
            schema = self.facet_schemas.get(name)
            if schema is None:
                continue
            validator = Draft202012Validator(schema, registry=self.registry, format_checker=FormatChecker())
            errors += [f"{where}.{name}: {e.message}" for e in validator.iter_errors({name: facet})]
        return errors

    def errors(self, event: dict[str, Any]) -> list[str]:
        found = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in self.core.iter_errors(event)]
        found += self._facets((event.get("run") or {}).get("facets"), "run")
        found += self._facets((event.get("job") or {}).get("facets"), "job")
        datasets = [*(event.get("inputs") or []), *(event.get("outputs") or [])]
        if event.get("dataset"):
            datasets.append(event["dataset"])
        for d in datasets:
            found += self._facets(d.get("facets"), f"dataset {d['name']}")
            found += self._facets(d.get("inputFacets"), f"dataset {d['name']} input")
            found += self._facets(d.get("outputFacets"), f"dataset {d['name']} output")
        return found

    def assert_valid(self, event: dict[str, Any]) -> None:
        problems = self.errors(event)
        assert not problems, problems
