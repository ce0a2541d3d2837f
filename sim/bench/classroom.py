"""The classroom figure: how long `sim classroom --seats N --blank` takes to serve every seat, and its memory.

Run as the real command in a child process (so its RSS is its own): the time is from spawning it to its
"seats ready" line; the memory is the child's VmHWM (peak resident set) from /proc once ready.
"""

import os
import signal
import subprocess
import sys
import time

READY_LINE = "seats ready"
START_LIMIT = 300.0  # seconds before the figure gives up


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident set (VmHWM) in MB, or None without /proc."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def bench_classroom(seats: int, workdir: str) -> dict:
    """`{"seats", "start_seconds", "peak_rss_mb"}` for a blank class of `seats` on free ports."""
    log_path = os.path.join(workdir, "classroom.log")
    began = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        child = subprocess.Popen([sys.executable, "-m", "sim", "classroom", "--seats", str(seats), "--blank",
                                  "--port", "0", "--state-dir", os.path.join(workdir, "classroom")],
                                 stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        while True:
            with open(log_path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if READY_LINE in text:
                seconds = time.perf_counter() - began
                break
            if child.poll() is not None or time.perf_counter() - began > START_LIMIT:
                raise RuntimeError(f"sim classroom did not get ready: {text[-2000:]}")
            time.sleep(0.05)
        rss = peak_rss_mb(child.pid)
    finally:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return {"seats": seats, "start_seconds": round(seconds, 2), "peak_rss_mb": None if rss is None else round(rss, 1)}
