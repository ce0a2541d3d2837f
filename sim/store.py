"""SQLite state: one file per app, WAL mode, one transaction per write; clock and ids injected.

Models own their tables (they pass DDL to `Store.schema`); this module owns connections,
transactions, durability, the clock and deterministic, restart-safe id generation.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Iterator

from sim import config

# Idle connections kept for the next new thread. Servers that start a thread per connection (werkzeug's
# closes every connection after one response) would otherwise open, and leak, one SQLite connection
# (three file descriptors and its page cache) per request.
MAX_IDLE_CONNECTIONS = 16

META_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS id_counters (kind TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""


class StoreError(RuntimeError):
    """A state file SQLite cannot use (not a database, or damaged): the message names the file and the way out."""


def unusable(path: str, error: sqlite3.DatabaseError) -> StoreError:
    """The StoreError for `path`, from SQLite's own reason."""
    return StoreError(f"{path} is not a usable SQLite database ({error}). Restore it from a backup, or start "
                      "over with `sim up --fresh` (which discards the state dir's files).")


def integrity_problem(db: sqlite3.Connection) -> str | None:
    """SQLite's `PRAGMA quick_check` (https://sqlite.org/pragma.html#pragma_quick_check): None when the file is
    sound, else the first problem found. A file that is not a database at all is a problem too."""
    try:
        rows = db.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    problems = [r[0] for r in rows if r[0] != "ok"]
    return "; ".join(problems) if problems else None


def dumps(doc) -> str:
    """Serialise a document the same way everywhere (stable key order keeps exports byte-identical)."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | None):
    """Parse a stored document (None stays None)."""
    return None if text is None else json.loads(text)


class SystemClock:
    """Wall-clock UTC time."""

    def now(self) -> dt.datetime:
        """Return the current UTC time."""
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A deterministic clock: starts at `start` and moves `step` seconds on each reading."""

    def __init__(self, start: dt.datetime | None = None, step: float = 1.0):
        self._t = start or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        self._step = dt.timedelta(seconds=step)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        """Return the current fake time, then advance it."""
        with self._lock:
            t = self._t
            self._t += self._step
            return t


def iso(t: dt.datetime) -> str:
    """Format a UTC time the way both products do: ISO 8601 with milliseconds and `Z`."""
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


class _Lease:
    """A thread's hold on one pooled connection; when the thread ends, the lease dies and hands it back."""

    __slots__ = ("db", "__weakref__")

    def __init__(self, db: sqlite3.Connection):
        self.db = db


class Store:
    """A SQLite database file with per-thread connections (pooled across threads) and serialised writes."""

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        clock=None,
        id_salt: str | None = None,
        synchronous: str | None = None,
    ):
        if path is None:
            fd, path = tempfile.mkstemp(prefix="sim-", suffix=".sqlite3")
            os.close(fd)
            self._temporary = True
        else:
            self._temporary = False
            if not os.path.exists(path):
                # The state holds secrets (SDK API key secrets, session keys, the outbound SCIM token): owner
                # only. SQLite gives the -wal and -shm files the database file's mode.
                os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        self.path = os.fspath(path)
        self.clock = clock or SystemClock()
        # NORMAL in WAL (https://sqlite.org/pragma.html#pragma_synchronous): a commit has reached the WAL file
        # when it returns, so a killed process loses nothing acknowledged; only an OS crash or power loss can
        # lose the last commits, and it fsyncs only at checkpoints (an fsync was half of a POST's time). FULL
        # (`sim up --sqlite-sync FULL`, SIM_SQLITE_SYNC) fsyncs every commit. A temporary store is deleted on
        # close, so an fsync buys it nothing: OFF unless told.
        default = "OFF" if self._temporary else "NORMAL"
        self.synchronous = (synchronous or config.sqlite_synchronous() or default).upper()
        if self.synchronous not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError(f"bad synchronous mode {self.synchronous!r}: choose OFF, NORMAL, FULL or EXTRA")
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        self._conn_lock = threading.Lock()
        self._closed = False
        try:
            self._execscript(META_DDL)
            self.id_salt = id_salt if id_salt is not None else self._install_salt()
        except sqlite3.DatabaseError as error:  # "file is not a database", "database disk image is malformed"
            self.close()
            raise unusable(self.path, error) from None

    # -- connections -----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={self.synchronous}")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA cache_size=-65536")
        with self._conn_lock:
            self._connections.append(db)
        return db

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; use `write()` for changes)."""
        if self._closed:
            raise RuntimeError("store is closed")
        lease = getattr(self._local, "lease", None)
        if lease is None:
            with self._conn_lock:
                db = self._idle.pop() if self._idle else None
            lease = self._local.lease = _Lease(db or self._connect())
            weakref.finalize(lease, _give_back, weakref.ref(self), lease.db)
        return lease.db

    def _give_back(self, db: sqlite3.Connection) -> None:
        """Take back the connection of a thread that ended: keep it idle for the next thread, or close it."""
        with contextlib.suppress(sqlite3.Error):
            if db.in_transaction:  # a thread that died mid-transaction must not leave it open
                db.execute("ROLLBACK")
        with self._conn_lock:
            if not self._closed and len(self._idle) < MAX_IDLE_CONNECTIONS:
                self._idle.append(db)
                return
            with contextlib.suppress(ValueError):
                self._connections.remove(db)
        with contextlib.suppress(sqlite3.Error):
            db.close()

    def _execscript(self, ddl: str) -> None:
        with self._write_lock:
            self.db.executescript(ddl)

    def schema(self, ddl: str) -> None:
        """Create the caller's tables and indexes (DDL must be idempotent: IF NOT EXISTS)."""
        self._execscript(ddl)

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: serialised in-process, BEGIN IMMEDIATE, committed or rolled back whole."""
        with self._write_lock:
            db = self.db
            if db.in_transaction:  # nested: join the outer transaction
                yield db
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            else:
                db.execute("COMMIT")

    def read(self) -> sqlite3.Connection:
        """A connection for reads (WAL gives each statement a consistent snapshot)."""
        return self.db

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that must see one consistent state."""
        db = self.db
        if db.in_transaction:
            yield db
            return
        db.execute("BEGIN")
        try:
            yield db
        finally:
            if db.in_transaction:  # an interrupted statement (a search past its time limit) may have ended it
                db.execute("COMMIT")

    @property
    def temporary(self) -> bool:
        """True for a store made without a path (a temporary file deleted on close)."""
        return self._temporary

    def backup_to(self, path: str) -> None:
        """Copy the whole database to `path` with SQLite's online backup API (a consistent copy, writes held)."""
        target = sqlite3.connect(path)
        try:
            with self._write_lock:
                self.db.backup(target)
        finally:
            target.close()

    def restore_from(self, path: str) -> None:
        """Replace the database's contents with the copy at `path` (SQLite's backup API, writes held); every
        connection sees the restored state from its next statement. The caller stops its own writers first."""
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            with self._write_lock:
                source.backup(self.db)
        finally:
            source.close()

    def close(self) -> None:
        """Close every connection; a temporary store deletes its files."""
        self._closed = True
        with self._conn_lock:
            for db in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    db.close()
            self._connections.clear()
            self._idle.clear()
        if self._temporary:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(self.path + suffix)

    # -- meta, clock, ids ----------------------------------------------------------------------------

    def get_meta(self, key: str, default=None):
        """Read a JSON value from the meta table."""
        return read_meta(self.db, key, default)

    def set_meta(self, key: str, value) -> None:
        """Write a JSON value to the meta table."""
        with self.write() as db:
            db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def _install_salt(self) -> str:
        salt = self.get_meta("id_salt")
        if salt is None:
            salt = secrets.token_hex(16)
            self.set_meta("id_salt", salt)
        return salt

    def now(self) -> str:
        """The injected clock's time as an ISO 8601 string."""
        return iso(self.clock.now())

    def next_number(self, kind: str) -> int:
        """Increment and return a persistent counter (inside the caller's transaction if any)."""
        with self.write() as db:
            row = db.execute(
                "INSERT INTO id_counters(kind, n) VALUES (?, 1) ON CONFLICT(kind) DO UPDATE SET n = n + 1 RETURNING n",
                (kind,),
            ).fetchone()
            return row[0]

    def raise_counter(self, kind: str, at_least: int) -> None:
        """Make a persistent counter at least `at_least` (inside the caller's transaction if any), after a bulk seed."""
        with self.write() as db:
            db.execute("INSERT INTO id_counters(kind, n) VALUES (?, ?) ON CONFLICT(kind) DO UPDATE SET n = MAX(n, excluded.n)",
                       (kind, at_least))

    def new_hex(self, kind: str, length: int) -> str:
        """A deterministic, never-repeating hex id: hash of (salt, kind, persistent counter)."""
        n = self.next_number(kind)
        digest = hashlib.sha256(f"{self.id_salt}:{kind}:{n}".encode()).hexdigest()
        return digest[:length]


def _give_back(store_ref, db: sqlite3.Connection) -> None:
    # A module-level finalizer holding the store weakly, so leases never keep a store alive.
    store = store_ref()
    if store is None:
        with contextlib.suppress(sqlite3.Error):
            db.close()
        return
    store._give_back(db)


def open_store(state_dir: str | os.PathLike | None, name: str, **kwargs) -> Store:
    """Open `<state_dir>/<name>.sqlite3`, or a temporary store (no fsync unless told) when `state_dir` is None."""
    if state_dir is None:
        return Store(None, **kwargs)
    os.makedirs(state_dir, exist_ok=True)
    return Store(os.path.join(state_dir, f"{name}.sqlite3"), **kwargs)



def copy_database(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """Copy a closed or open state file page by page with SQLite's online backup API
    (https://sqlite.org/backup.html): a consistent copy, WAL content included; the copy is owner-only (0600)."""
    if not os.path.exists(target):
        os.close(os.open(target, os.O_RDWR | os.O_CREAT, 0o600))
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def count_or_none(db: sqlite3.Connection, sql: str, *args) -> int | None:
    """A COUNT(*) over any connection (a read-only one for `sim status`), or None when the table is missing."""
    try:
        return db.execute(sql, args).fetchone()[0]
    except sqlite3.OperationalError:
        return None


def read_meta(db: sqlite3.Connection, key: str, default=None):
    """A meta value over any connection (a read-only one for `sim status`); `default` when unset or never created."""
    try:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return default
    return default if row is None else json.loads(row[0])
