"""Helpers for the real-browser tests: find Debian's chromium (never download one), launch it, take screenshots."""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def require_browser():
    """Return playwright's sync API, or skip saying why (in CI, where the browser must run, fail instead)."""
    reason = None
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)"
    else:
        try:
            from playwright import sync_api
        except ImportError:
            reason = "the playwright Python package is not installed (pip install -e '.[test]')"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {reason}")
        pytest.skip(reason)
    return sync_api


def launch(playwright):
    """Headless Debian chromium with the flags that keep it offline and quiet."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


class Screenshots:
    """Numbered full-page screenshots of each step under artifacts/screenshots/<name>/."""

    def __init__(self, name: str):
        self.dir = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def take(self, page, step: str) -> Path:
        """Save `NN-step.png` of the whole page."""
        self.count += 1
        path = self.dir / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
