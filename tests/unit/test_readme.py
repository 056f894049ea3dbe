"""The README's two quick-start commands stay true: CI runs the test one verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands_serve_and_test() -> None:
    commands = quick_start_commands()
    assert len(commands) == 3  # serve, test, and `docker compose up` in its own subsection
    serve, test = commands[0], commands[1]
    assert serve.endswith("lineage serve") and "pip install -e ." in serve
    assert "pytest" in test and "[test]" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert quick_start_commands()[1] in ci.splitlines()
