"""The wheel in a fresh venv, next to another Faker: `sim --version`, `sim up --wait`/`sim down`, the plugin."""

import os
import re
import subprocess
import tarfile
import zipfile

from tests.packaging.conftest import FAKER_FLOOR
from tests.paths import ROOT
from tests.run.helpers import FREE_PORTS


def readme_pytest_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    return next(b for b in blocks if "def test_a_new_member_of_a_bound_group_reaches_strongdm" in b)


def run(venv, *argv, cwd, timeout=180) -> subprocess.CompletedProcess:
    # Not the suite's org-model pin (tests/conftest.py): the wheel runs as a user's project would, in the default.
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "SIM_STRONGDM_ORG_MODEL"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_make_dist_builds_a_wheel_and_sdist_with_the_license_templates_and_static_files(dist):
    wheel, sdist = next(dist.glob("*.whl")), next(dist.glob("*.tar.gz"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any("/templates/" in n for n in names) and any("/static/" in n for n in names)
    assert not any(n.startswith("tests/") for n in names)
    with tarfile.open(sdist) as tar:
        assert any(n.endswith("/LICENSE") for n in tar.getnames())


def test_the_wheel_runs_in_a_fresh_venv_beside_another_faker(fresh_venv, tmp_path):
    done = run(fresh_venv, "sim", "--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sim 0.1.0 (Python ") and f"Faker {FAKER_FLOOR}," in done.stdout
    state = tmp_path / "state"
    up = run(fresh_venv, "sim", "up", "--wait", "--state-dir", str(state), *FREE_PORTS.split(), cwd=tmp_path)
    try:
        assert up.returncode == 0, up.stdout + up.stderr + (state / "sim.log").read_text()
        assert "SCIM_TOKEN=" in (state / "endpoints.env").read_text()
        assert "SDK API (gRPC)" not in (state / "sim.log").read_text()  # no sdk extra: served without it
    finally:
        down = run(fresh_venv, "sim", "down", "--state-dir", str(state), cwd=tmp_path)
    assert down.returncode == 0 and "stopped" in down.stdout


def test_the_readme_pytest_example_passes_with_the_installed_plugin(fresh_venv, tmp_path):
    (tmp_path / "test_example.py").write_text(readme_pytest_example())
    done = run(fresh_venv, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_example.py",
               cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout
