"""Named helpers for tests/run: the README's blocks, and running the `sim` command."""

import functools
import os
import re
import subprocess
import sys

import requests

from sim.fake import directory as fake
from tests.paths import ROOT

FREE_PORTS = "--jumpcloud-port 0 --strongdm-port 0 --grpc-port 0 --users 8 --groups 2"
SMALL = {"seed": 5, "users": 10, "groups": 3, "jumpcloud_port": 0, "strongdm_port": 0}  # up.start's sizes, free ports
# Generating a directory costs a second or two; the object is only read when seeding, so tests reuse it.
CACHED_DIRECTORY = functools.lru_cache(fake.make_directory)


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


def state_files(path) -> list[str]:
    """The SQLite files and endpoints.json/.env in a state dir (what a refused start must not have made)."""
    return sorted(name for name in os.listdir(path) if name.endswith(".sqlite3") or name.startswith("endpoints"))


def csrf_of(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def signs_in(url: str, credentials: dict, http: requests.Session | None = None) -> bool:
    """Whether a console at `url` lets `credentials` ({email, password}) in (with `http`'s cookie jar if given)."""
    http = http or requests.Session()
    page = http.get(f"{url}/login", timeout=10).text
    answer = http.post(f"{url}/login", data={**credentials, "csrf_token": csrf_of(page)}, timeout=10,
                       allow_redirects=False)
    return answer.status_code == 302 and "/login" not in answer.headers.get("Location", "")


def login_jumpcloud(http: requests.Session, loop) -> None:
    """Sign `http` in to the loop's JumpCloud Console as its admin."""
    assert signs_in(loop.jumpcloud.url, loop.endpoints["jumpcloud"]["admin"], http)
