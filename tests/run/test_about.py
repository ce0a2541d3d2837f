"""`sim --version`: package, Python, Faker and SQLite, the versions a seed's output depends on."""

import platform
import sqlite3
from importlib import metadata

from sim import __version__
from tests.run.helpers import sim


def test_version_names_the_package_python_faker_and_sqlite(tmp_path):
    done = sim("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout == (f"sim {__version__} (Python {platform.python_version()}, Faker {metadata.version('faker')}, "
                           f"SQLite {sqlite3.sqlite_version})\n")
