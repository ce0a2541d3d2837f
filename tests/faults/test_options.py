"""The --fault flag on the command line: syntax errors stop the command, sim strongdm serves its rules."""

import pytest
import requests

from tests.faults.helpers import AUTH
from tests.faults.helpers import TOKEN
from tests.faults.helpers import USERS

# -- the command line ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["strongdm", "jumpcloud", "up"])
def test_a_bad_fault_flag_stops_the_command_with_the_syntax(command):
    from click.testing import CliRunner

    from sim.cli import cli

    result = CliRunner().invoke(cli, [command, "--fault", "503:often"])
    assert result.exit_code == 2
    assert "rate 'often' is not a number" in result.output and "KIND[:ARG]" in result.output


def test_sim_strongdm_serves_with_the_faults_of_its_flags(tmp_path):
    import json
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-m", "sim", "strongdm", "--port", "0", "--grpc-port", "0",
                                "--state-dir", str(tmp_path), "--token", TOKEN, "--fault", "503@GET /provisioning/*",
                                "--fault", "latency:1ms"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (tmp_path / "endpoints.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        url = json.loads((tmp_path / "endpoints.json").read_text())["strongdm"]["url"]
        assert requests.get(url + USERS, headers=AUTH, timeout=5).status_code == 503
        rules = requests.get(url + "/_sim/faults", headers=AUTH, timeout=5).json()["rules"]
        assert [r["text"] for r in rules] == ["503@GET /provisioning/*", "latency:1ms"]
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "Fault              503@GET /provisioning/*" in output
