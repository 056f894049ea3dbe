"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright (never a download)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("LINEAGE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("LINEAGE_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts"))
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


#: How long a page may take to show what a test waits for, in ms. Playwright's default, 30 s, is less than the
#: service's answers can take on a busy 2-core machine (the other test process and its Neo4j beside this one); how fast
#: the pages answer is `lineage bench`'s subject, not the browser tests'.
WAIT_MS = 120_000


class _Browser:
    """The launched browser, whose pages wait up to WAIT_MS."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_page(self, **kwargs: Any) -> Any:
        page = self._browser.new_page(**kwargs)
        page.set_default_timeout(WAIT_MS)
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@contextmanager
def chromium() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=FLAGS
        )
        try:
            yield _Browser(browser)
        finally:
            browser.close()
