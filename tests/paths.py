"""Paths the tests share: the repository root and tests/data (real IdP payloads, the README's SDK script)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
