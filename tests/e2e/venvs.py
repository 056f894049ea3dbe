"""Virtualenvs of their own for the producers and for the installed wheel, created by the tests.

They are plain virtualenvs (`bin/python`, `bin/<scripts>`); uv creates them and installs into them from PyPI, as pip
would, in a fraction of pip's time and CPU (the suite runs on 2 cores within CI's 30 minutes). No bytecode is
compiled at install: a producer compiles what it imports, once (tests/conftest.py lets it keep what it compiled).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from uv import find_uv_bin


def virtualenv(where: Path, *requirements: str) -> Path:
    """A new virtualenv at `where` on this Python, with `requirements` (specifiers or wheel paths) installed."""
    uv = find_uv_bin()
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(where)], check=True, timeout=300)
    python = where / "bin" / "python"
    subprocess.run([uv, "pip", "install", "-q", "--python", str(python), *requirements], check=True, timeout=900)
    return where
