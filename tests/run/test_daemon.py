"""`sim up --wait/--detach`, `sim wait`, `sim down`, and the README's shell recipe for CI in any language."""

import os
import socket
import subprocess

from sim.run import daemon
from tests.run.helpers import FREE_PORTS
from tests.run.helpers import readme_block
from tests.run.helpers import sim
from tests.run.helpers import sim_on_path


def test_the_readme_shell_recipe_starts_waits_tests_and_stops(tmp_path):
    recipe = readme_block("ci-recipe")
    assert "sim up --wait" in recipe and "sim down" in recipe
    script = recipe.replace("sim up --wait", f"sim up --wait {FREE_PORTS}", 1)  # other tests may hold 8400/8401
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=sim_on_path(tmp_path),
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"totalResults"' in done.stdout and '"totalCount"' in done.stdout  # SCIM ListResponse, JumpCloud v1
    assert "stopped" in done.stdout  # the trap's `sim down`
    state = tmp_path / ".sim"
    assert not (state / "sim.pid").exists() and not (state / "run.json").exists()
    assert daemon.running_pid(str(state)) is None


def test_up_wait_exits_1_with_the_reason_when_a_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = sim("up", "--wait", "--state-dir", str(tmp_path), "--jumpcloud-port", "0", "--strongdm-port",
                   str(port), "--users", "4", "--groups", "1", cwd=tmp_path)
    assert done.returncode == 1
    assert "sim up failed" in done.stderr and f"port {port} on 127.0.0.1 is in use: pass another with --strongdm-port" in done.stderr
    assert daemon.running_pid(str(tmp_path)) is None and not (tmp_path / "sim.pid").exists()


def test_wait_without_a_running_sim_up_exits_1_and_says_so(tmp_path):
    done = sim("wait", "--state-dir", str(tmp_path), "--timeout", "0.5", cwd=tmp_path)
    assert done.returncode == 1
    assert f"no sim up is running on {tmp_path}" in done.stderr


def test_down_removes_a_stale_pid_file_and_never_signals_a_process_that_is_not_sim(tmp_path):
    bystander = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / "sim.pid").write_text(f"{bystander.pid}\n")
        done = sim("down", "--state-dir", str(tmp_path), cwd=tmp_path)
        assert done.returncode == 0 and "removed a stale pid file" in done.stdout
        assert bystander.poll() is None  # a reused pid is not ours to stop
        assert not (tmp_path / "sim.pid").exists()
    finally:
        bystander.kill()
        bystander.wait()
    assert "No sim up running" in sim("down", "--state-dir", str(tmp_path), cwd=tmp_path).stdout


def test_a_first_sync_with_failures_is_degraded_with_the_first_error_as_reason():
    phase, reason = daemon.readiness({"idle": False, "pending": 3, "failing": [
        {"type": "user", "id": "u1", "status": 503, "error": "Service Unavailable"}]})
    assert phase == daemon.DEGRADED
    assert reason == "first sync not finished: 3 pending, 1 failing (first: user u1: 503 Service Unavailable)"
    assert daemon.readiness({"idle": True, "pending": 0, "failing": []}) == (daemon.READY, None)


def test_the_background_child_gets_the_options_without_detach_wait_or_timeout():
    argv = ["up", "--wait", "--timeout", "30", "--seed", "3", "--detach", "--timeout=9", "--fault", "503"]
    assert daemon.child_args(argv) == ["up", "--seed", "3", "--fault", "503"]


def test_a_failed_start_is_reported_by_wait_until_the_next_start(tmp_path):
    state = str(tmp_path)
    daemon.mark(state, daemon.FAILED, "OSError: boom")
    daemon.release(state)  # the failed process exits; its reason stays for `sim wait`
    done = sim("wait", "--state-dir", state, "--timeout", "0.5", cwd=tmp_path)
    assert done.returncode == 1 and "sim up failed: OSError: boom" in done.stderr
    assert os.path.exists(tmp_path / "run.json")
