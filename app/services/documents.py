"""YAML documents from requests (an asset in Kestra's form, an AssetShipper task): parsed in the sandbox,
where what a small document expands into is bounded by the operating system, not by the server's memory."""

from __future__ import annotations

from typing import Any

from app.domain.access import Scope
from app.domain.sandbox import Sandbox


def load_yaml(sandbox: Sandbox, scope: Scope, text: str, *, what: str) -> Any:
    return sandbox.run("yaml", {"text": text, "what": what}, owner=scope.owner, field="yaml")
