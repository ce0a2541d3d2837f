"""`sim up --detach/--wait`, `sim wait`, `sim down`: `sim up` in the background, its readiness, and its stop.

Modelled on `docker compose up --detach --wait` (Docker's docs, "docker compose up": `--wait` waits for the
services to be running and healthy and implies `--detach`). A `sim up` records its phase in `run.json` in the
state dir (starting, syncing, ready, degraded, failed); a detached one also has `sim.pid` and logs to `sim.log`.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time

import requests

from sim.run.state.private import write_private

PID_FILE = "sim.pid"
RUN_FILE = "run.json"
LOG_FILE = "sim.log"
READY, DEGRADED, FAILED = "ready", "degraded", "failed"
# Options of the parent that the background `sim up` must not see again (it would detach once more).
PARENT_FLAGS = ("--detach", "--wait")
PARENT_OPTIONS = ("--timeout",)


class NotReady(Exception):
    """`sim up` did not become ready; the message says why (shown as is, exit status 1)."""


def _path(state_dir: str, name: str) -> str:
    return os.path.join(state_dir, name)


def _read_json(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            found = json.load(f)
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def is_sim(pid: int) -> bool:
    """Whether `pid` is a live `sim` process (its command line names sim): a reused pid is not ours to signal."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return True  # no /proc (macOS): the pid is alive, trust the pid file
    return any(part == b"sim" or part.endswith(b"/sim") for part in argv)


def read_pid(state_dir: str) -> int | None:
    """The pid in sim.pid, or None."""
    try:
        with open(_path(state_dir, PID_FILE), encoding="utf-8") as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def read_run(state_dir: str) -> dict:
    """run.json: `{"pid", "phase", "reason", "done", "total"}`, or {} when no `sim up` has written one."""
    return _read_json(_path(state_dir, RUN_FILE))


def mark(state_dir: str, phase: str, reason: str | None = None, **progress) -> None:
    """Record this process's phase in run.json (called by `sim up` itself)."""
    os.makedirs(state_dir, exist_ok=True)
    record = {"pid": os.getpid(), "phase": phase, "reason": reason, **progress}
    write_private(_path(state_dir, RUN_FILE), json.dumps(record, sort_keys=True) + "\n")


def readiness(status: dict) -> tuple[str, str | None]:
    """(phase, reason) after the first sync, from the pusher's status: ready only when idle with nothing failing."""
    failing = status.get("failing") or []
    if status.get("idle") and not failing:
        return READY, None
    reason = f"first sync not finished: {status.get('pending', 0)} pending, {len(failing)} failing"
    if failing:
        first = failing[0]
        reason += f" (first: {first.get('type')} {first.get('id')}: {first.get('status')} {first.get('error')})"
    return DEGRADED, reason


def first_sync_recorded(state_dir: str, first_sync, bar) -> dict:
    """Run `first_sync(progress)` with its progress in `bar` (a click progress bar) and in run.json (only when the
    count moves), then record the readiness it reached; returns the pusher's status."""
    mark(state_dir, "syncing")

    def progress(done, total):
        if done != bar.pos or total != bar.length:
            mark(state_dir, "syncing", done=done, total=total)
        bar.length = total
        bar.update(done - bar.pos)

    status = first_sync(progress)
    mark(state_dir, *readiness(status))
    return status


def release(state_dir: str) -> None:
    """On exit of `sim up`: remove run.json and sim.pid when they name this process (never another's)."""
    pid = os.getpid()
    run = read_run(state_dir)
    if run.get("pid") == pid and run.get("phase") != FAILED:  # a failure stays, for `sim wait` to report
        with contextlib.suppress(FileNotFoundError):
            os.unlink(_path(state_dir, RUN_FILE))
    if read_pid(state_dir) == pid:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(_path(state_dir, PID_FILE))


def running_pid(state_dir: str) -> int | None:
    """The pid of a live `sim up` on this state dir (from sim.pid, else run.json), or None."""
    for pid in (read_pid(state_dir), read_run(state_dir).get("pid")):
        if isinstance(pid, int) and is_sim(pid):
            return pid
    return None


def child_args(argv: list[str]) -> list[str]:
    """The parent's `sim up ...` arguments without the ones that make it detach or wait."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in PARENT_FLAGS:
            continue
        elif arg in PARENT_OPTIONS:
            skip = True
        elif not any(arg.startswith(option + "=") for option in PARENT_OPTIONS):
            out.append(arg)
    return out


def spawn(state_dir: str, argv: list[str]) -> subprocess.Popen:
    """Start `python -m sim <argv>` in its own session, output to sim.log; write sim.pid; returns the child."""
    running = running_pid(state_dir)
    if running is not None:
        raise NotReady(f"a sim up is already running on {state_dir} (pid {running}): `sim down` stops it")
    os.makedirs(state_dir, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(_path(state_dir, RUN_FILE))  # a stale one from a killed run must not read as ready
    fd = os.open(_path(state_dir, LOG_FILE), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it shows credentials
    with os.fdopen(fd, "wb") as log:
        child = subprocess.Popen([sys.executable, "-m", "sim", *argv], stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    write_private(_path(state_dir, PID_FILE), f"{child.pid}\n")
    return child


def log_tail(state_dir: str, lines: int = 8) -> str:
    """The last lines of sim.log, for a reason."""
    try:
        with open(_path(state_dir, LOG_FILE), encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:]).rstrip()
    except OSError:
        return ""


def probe(endpoints: dict, timeout: float = 5.0) -> str | None:
    """None when both apps answer HTTP at the URLs in endpoints.json, else what did not."""
    jc, sdm = endpoints.get("jumpcloud") or {}, endpoints.get("strongdm") or {}
    checks = [("JumpCloud", f"{jc.get('url')}/_sim/idle", {"x-api-key": jc.get("api_key") or ""})]
    if sdm.get("scim_token"):
        checks.append(("StrongDM", f"{sdm.get('scim_base_url')}/ServiceProviderConfig",
                       {"Authorization": f"Bearer {sdm['scim_token']}"}))
    else:
        checks.append(("StrongDM", f"{sdm.get('url')}/login", {}))
    for name, url, headers in checks:
        try:
            response = requests.get(url, headers=headers, params={"timeout": 0}, timeout=timeout)
        except requests.RequestException as exc:
            return f"{name} does not answer at {url}: {exc.__class__.__name__}"
        if response.status_code >= 400:
            return f"{name} answers {response.status_code} at {url}"
    return None


def _exited(child: subprocess.Popen | None, pid) -> str | None:
    """How the watched `sim up` ended, or None while it runs: our own child by its exit code, others by pid."""
    if child is not None:
        code = child.poll()
        return None if code is None else f"sim up (pid {child.pid}) exited with status {code} before it was ready"
    if isinstance(pid, int) and not is_sim(pid):
        return f"sim up (pid {pid}) is no longer running"
    return None


def wait_ready(state_dir: str, *, timeout: float, child: subprocess.Popen | None = None, poll: float = 0.2,
               read_endpoints=None) -> dict:
    """Wait until the `sim up` on `state_dir` is ready (apps serving, first sync done, nothing failing).

    Returns run.json; raises NotReady with the reason when it fails, dies or is not ready in `timeout`.
    `child` is the detached `sim up` to watch; without it, the pid in run.json (a `sim up &` started elsewhere).
    """
    from sim.run import runner

    read_endpoints = read_endpoints or runner.read_endpoints
    deadline = time.monotonic() + timeout
    run: dict = {}
    while True:
        run = read_run(state_dir)
        mine = run and (child is None or run.get("pid") == child.pid)
        if mine and run.get("phase") == READY:
            problem = probe(read_endpoints(state_dir))
            if problem is None:
                return run
            raise NotReady(f"sim up says ready, but {problem}")
        if mine and run.get("phase") in (DEGRADED, FAILED):
            tail = log_tail(state_dir) if child is not None and run["phase"] == FAILED else ""
            raise NotReady(f"sim up {run['phase']}: {run.get('reason')}"
                           + (f"; the end of {os.path.join(state_dir, LOG_FILE)}:\n{tail}" if tail else ""))
        ended = _exited(child, run.get("pid"))
        if ended:
            tail = log_tail(state_dir) if child is not None else ""
            raise NotReady(ended + (f"; the end of {os.path.join(state_dir, LOG_FILE)}:\n{tail}" if tail else ""))
        if time.monotonic() >= deadline:
            break
        time.sleep(poll)
    if not run:
        raise NotReady(f"no sim up is running on {state_dir} (no {RUN_FILE} after {timeout:g} s)")
    progress = f", {run['done']}/{run['total']} pushed" if run.get("total") else ""
    raise NotReady(f"sim up not ready after {timeout:g} s: still {run.get('phase')}{progress}")


def down(state_dir: str, *, timeout: float = 20.0) -> str:
    """Stop the `sim up` on `state_dir` (SIGTERM, then SIGKILL after `timeout`); returns what was done."""
    pid = running_pid(state_dir)
    if pid is None:
        stale = [name for name in (PID_FILE, RUN_FILE) if os.path.exists(_path(state_dir, name))]
        for name in stale:
            os.unlink(_path(state_dir, name))
        return f"No sim up running on {state_dir}" + (" (removed a stale pid file)." if stale else ".")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while is_sim(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.1)
    how = "stopped"
    if is_sim(pid):
        os.kill(pid, signal.SIGKILL)  # state is durable per transaction: a kill loses nothing acknowledged
        how = f"killed (no exit {timeout:g} s after SIGTERM)"
    for name in (PID_FILE, RUN_FILE):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(_path(state_dir, name))
    return f"sim up (pid {pid}) {how}."


def _reap(pid: int) -> None:
    """Collect `pid` if it is our own child (a zombie still answers kill(0)); others are not ours to wait for."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
