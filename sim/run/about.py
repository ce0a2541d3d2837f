"""`sim --version`: the versions that decide what the simulator generates (Faker) and stores (SQLite)."""

import platform
import sqlite3
from importlib import metadata

from sim import __version__


def versions() -> dict[str, str]:
    """Package, Python, Faker and SQLite versions; Faker's from its metadata, so Faker itself is not imported."""
    try:
        faker = metadata.version("faker")
    except metadata.PackageNotFoundError:
        faker = "not installed"
    return {"jumpcloud-strongdm-sim": __version__, "Python": platform.python_version(), "Faker": faker,
            "SQLite": sqlite3.sqlite_version}


def version_text() -> str:
    """One line: `sim 0.1.0 (Python 3.11.7, Faker 40.54.0, SQLite 3.40.1)`."""
    found = versions()
    return (f"sim {found['jumpcloud-strongdm-sim']} (Python {found['Python']}, Faker {found['Faker']}, "
            f"SQLite {found['SQLite']})")
