"""`sim jumpcloud`: seeds an empty state once, prints the URL and key, serves until Ctrl-C, keeps the key."""

import json
import os
import re
import signal
import subprocess
import sys

import requests


def start(state_dir, *extra):
    """Run `sim jumpcloud` on a free port and read its banner up to the Ctrl-C line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "jumpcloud", "--port", "0", "--state-dir", str(state_dir), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "SIM_SQLITE_SYNC": "OFF"},
    )
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "Ctrl-C" in line:
            break
    banner = "".join(lines)
    # One round trip first: a Ctrl-C in the instant between the banner and the signal handler aborts.
    url = re.search(r"(http://127\.0\.0\.1:\d+)/api", banner).group(1)
    assert requests.get(f"{url}/api/systemusers", timeout=10).status_code == 401
    return proc, banner


def stop(proc):
    """Ctrl-C, then the exit status."""
    proc.send_signal(signal.SIGINT)
    return proc.wait(timeout=10)


def test_serves_the_seeded_directory_and_stops_cleanly_on_ctrl_c(tmp_path):
    proc, banner = start(tmp_path, "--seed", "9", "--users", "12", "--groups", "3")
    try:
        url = re.search(r"(http://127\.0\.0\.1:\d+)/api", banner).group(1)
        key = re.search(r"x-api-key\s+([0-9a-f]{40})", banner).group(1)
        body = requests.get(f"{url}/api/systemusers", headers={"x-api-key": key}, timeout=10).json()
        assert body["totalCount"] == 12 and "seeded now" in banner
    finally:
        assert stop(proc) == 0


def test_a_restart_keeps_the_state_and_prints_the_same_key(tmp_path):
    proc, first = start(tmp_path, "--users", "5", "--groups", "2")
    assert stop(proc) == 0
    proc, second = start(tmp_path, "--users", "50")
    try:
        key = re.search(r"x-api-key\s+(\S+)", first).group(1)
        assert re.search(r"x-api-key\s+(\S+)", second).group(1) == key
        assert "5 users" in second and "existing state" in second
        saved = json.loads((tmp_path / "endpoints.json").read_text())["jumpcloud"]
        assert saved["api_key"] == key and oct((tmp_path / "endpoints.json").stat().st_mode)[-3:] == "600"
    finally:
        assert stop(proc) == 0
