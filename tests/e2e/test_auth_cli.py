"""Tokens as an operator manages them: `lineage token create`, `serve --auth-file`, revoke without restart,
and `--require-auth` refusing to start open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import Server

#: one request's wait: a write or an answer on a busy 2-core machine (a server plans its queries before it is ready)
REQUEST_TIMEOUT = 30.0


def lineage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=60)


def test_token_lifecycle(tmp_path: Path) -> None:
    auth = tmp_path / "auth.yaml"
    made = lineage(
        "token",
        "create",
        "--auth-file",
        str(auth),
        "--tenant",
        "main",
        "--grant",
        "company.team:editor",
        "--name",
        "ci",
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("lin_") and token not in auth.read_text()  # only the hash is stored
    assert oct(auth.stat().st_mode)[-3:] == "600"
    assert lineage("token", "create", "--auth-file", str(auth), "--grant", "bad ns!:editor").returncode == 2
    with Server(tmp_path / "data", "--auth-file", str(auth)) as server:
        url = f"{server.url}/api/v1/main/assets/t1"
        ok = httpx.put(
            url,
            json={"type": "x", "namespace": "company.team"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=REQUEST_TIMEOUT,
        )
        assert ok.status_code == 201
        assert httpx.get(url, timeout=REQUEST_TIMEOUT).status_code == 401
        token_id = token.split("_")[1]
        assert lineage("token", "revoke", token_id, "--auth-file", str(auth)).returncode == 0
        assert httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=REQUEST_TIMEOUT).status_code == 401
    assert "authentication: bearer tokens" in server.output()


def test_require_auth_refuses_to_start_open(tmp_path: Path) -> None:
    server = Server(tmp_path / "data", "--require-auth")
    with pytest.raises(RuntimeError, match="require-auth"):
        server.start(timeout=20)


def test_open_mode_says_so(tmp_path: Path) -> None:
    with Server(tmp_path / "data") as server:
        assert httpx.get(f"{server.url}/health", timeout=REQUEST_TIMEOUT).status_code == 200
    assert "this server is OPEN" in server.output()
