"""The README's StrongDM SDK script runs unchanged against `sim up` (and the README still shows it verbatim)."""

import os
import subprocess
import sys

import pytest

from sim.run import up
from tests.paths import DATA
from tests.paths import ROOT

pytest.importorskip("strongdm")
SCRIPT = DATA / "sdm_roles_report.py"


def test_the_readme_shows_the_script_verbatim():
    assert SCRIPT.read_text() in (ROOT / "README.md").read_text()


def test_the_script_written_for_strongdms_api_runs_unchanged_against_the_simulator(tmp_path):
    loop = up.start(seed=11, users=12, groups=3, jumpcloud_port=0, strongdm_port=0, grpc_port=0,
                    state_dir=str(tmp_path))
    try:
        assert up.first_sync(loop, timeout=60)["idle"]
        sdm = loop.endpoints["strongdm"]
        accounts = loop.strongdm.app.extensions["strongdm"].accounts
        suspended = next(u for u in accounts.all_users() if u["managed_by"])
        accounts.update_user({**suspended, "suspended": True})
        env = {**os.environ, "SDM_API_HOST": sdm["grpc"], "SDM_API_ACCESS_KEY": sdm["api_access_key"],
               "SDM_API_SECRET_KEY": sdm["api_secret"]}
        result = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
        roles = [r["name"] for r in accounts.all_roles()]
    finally:
        loop.stop()
    assert result.returncode == 0, result.stderr
    assert roles
    lines = result.stdout.splitlines()
    assert {f"{name} (generic)" for name in roles} <= set(lines)
    assert f"  {suspended['email']}  [managed by generic, suspended]" in lines
    assert lines[-1].endswith(" 1 suspended")

