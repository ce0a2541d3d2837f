"""Named helpers for tests/run: the README's blocks, and running the `sim` command."""

import os
import re
import subprocess
import sys

from tests.paths import ROOT

FREE_PORTS = "--jumpcloud-port 0 --strongdm-port 0 --grpc-port 0 --users 8 --groups 2"


def readme_block(marker: str) -> str:
    """The fenced block right after `<!-- marker -->` in the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- {re.escape(marker)} -->\n```\w*\n(.*?)```", text, re.S)
    assert found, f"README.md has no block after <!-- {marker} -->"
    return found.group(1)


def sim(*args, cwd, timeout=120) -> subprocess.CompletedProcess:
    """`python -m sim ARGS` in `cwd`, output captured."""
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def sim_on_path(tmp_path) -> dict:
    """An environment whose PATH has a `sim` that runs this checkout (the README's recipes call `sim`)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "sim"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sim "$@"\n')
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
