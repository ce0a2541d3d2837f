"""The wheel and sdist, built once per session with `python -m build` (what `make dist` runs), and a fresh venv.

The venv is real, not borrowed: `pip install wheel[pytest] faker==FAKER_FLOOR` with all dependencies, from the
same package index the Makefile uses (about 25 s with a warm pip cache, 35 s with the build).
"""

import subprocess
import sys
import venv

import pytest

from tests.paths import ROOT

FAKER_FLOOR = "25.9.2"  # the floor of pyproject's `faker>=25.9,<41`, not the version in constraints.txt


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """dist/ with the sdist and the wheel (the wheel is built from the sdist, so the sdist is complete)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def fresh_venv(dist, tmp_path_factory):
    """A new venv with the wheel and its `pytest` extra installed beside Faker at the range's floor."""
    root = tmp_path_factory.mktemp("venv") / "v"
    venv.create(root, with_pip=True)
    wheel = next(dist.glob("*.whl"))
    done = subprocess.run([str(root / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[pytest]",
                           f"faker=={FAKER_FLOOR}"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root
