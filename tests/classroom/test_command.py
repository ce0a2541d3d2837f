"""The `sim classroom` command: it serves, prints the trainer's login and every seat's, and warns off loopback."""

import json
import os
import signal
import subprocess
import sys
import time

from tests.paths import ROOT


def test_sim_classroom_serves_prints_the_logins_and_warns_off_loopback(tmp_path):
    out = tmp_path / "out.txt"
    with open(out, "w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "sim", "classroom", "--seats", "2", "--blank", "--port", "0", "--users", "4",
             "--groups", "1", "--host", "127.0.0.2", "--state-dir", str(tmp_path / "class")],
            stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 90
        while "Ctrl-C stops" not in out.read_text():
            assert process.poll() is None, out.read_text()
            assert time.monotonic() < deadline, out.read_text()
            time.sleep(0.1)
        text = out.read_text()
        assert "warning: serving 2 sandboxes on 127.0.0.2" in text
        logins = json.loads((tmp_path / "class" / "classroom.json").read_text())
        assert logins["trainer"]["password"] in text
        assert [seat["seat"] for seat in logins["seats"]] == [1, 2]
        for seat in logins["seats"]:
            assert seat["jumpcloud"]["password"] in text and seat["strongdm"]["url"] in text
        assert oct(os.stat(tmp_path / "class" / "classroom.json").st_mode & 0o777) == "0o600"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
