"""The lock a running `sim up` or `sim classroom` holds on its state dir, so `sim reset` cannot pull it away.

An advisory `flock` on `sim.lock` (POSIX: released by the kernel when the process dies, so a killed run leaves
no stale lock); the file also says who holds it (pid and command line) for the refusal message.
"""

import fcntl
import json
import os
import threading

LOCK_FILE = "sim.lock"


class StateDirBusy(Exception):
    """Another process holds the state dir; the message names it (pid and command)."""


def describe(holder: dict) -> str:
    """`pid 123 (sim up --blank)`: who holds a lock, from the lock file's record."""
    command = holder.get("command") or "unknown command"
    return f"pid {holder.get('pid', '?')} ({command})"


class StateLock:
    """An exclusive lock on one state dir, held from `acquire()` to `release()` (or the process's end)."""

    def __init__(self, state_dir: str, command: str = "sim up"):
        self.path = os.path.join(state_dir, LOCK_FILE)
        self.command = command
        self.fd: int | None = None
        self._release_lock = threading.Lock()

    def acquire(self) -> "StateLock":
        """Take the lock, or raise StateDirBusy naming the holder."""
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StateDirBusy(f"{os.path.dirname(self.path)} is in use by "
                               f"{describe(holder_of(self.path) or {})}") from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "command": self.command}).encode() + b"\n")
        self.fd = fd
        return self

    def release(self) -> None:
        """Let go (the file stays: unlinking it would race a process that just opened it).

        Idempotent and safe from two threads: a second close of the same number would close whatever descriptor
        the process opened since (another server's socket or pipe)."""
        with self._release_lock:
            fd, self.fd = self.fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def holder_of(path: str) -> dict | None:
    """The record in a lock file that someone holds, else None (no file, or nobody holds it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raw = os.read(fd, 4096)
            try:
                found = json.loads(raw or b"{}")
            except ValueError:
                found = {}
            return found if isinstance(found, dict) else {}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def holder(state_dir: str) -> dict | None:
    """Who holds the state dir's lock (`{"pid", "command"}`), or None when nobody does."""
    return holder_of(os.path.join(state_dir, LOCK_FILE))
