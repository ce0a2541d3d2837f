"""The SQLite store: WAL, whole transactions, durable acknowledged writes, deterministic ids and clock."""

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from sim.store import FixedClock
from sim.store import Store
from sim.store import copy_database
from sim.store import iso
from sim.store import open_store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "state.sqlite3")
    s.schema("CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY, name TEXT UNIQUE)")
    yield s
    s.close()


def test_the_database_runs_in_wal_mode(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_failed_write_rolls_back_entirely(store):
    with pytest.raises(RuntimeError):
        with store.write() as db:
            db.execute("INSERT INTO things VALUES ('1', 'a')")
            raise RuntimeError("boom")
    assert store.db.execute("SELECT COUNT(*) FROM things").fetchone()[0] == 0


def test_nested_writes_join_the_outer_transaction(store):
    with pytest.raises(RuntimeError):
        with store.write() as db:
            db.execute("INSERT INTO things VALUES ('1', 'a')")
            with store.write() as inner:
                inner.execute("INSERT INTO things VALUES ('2', 'b')")
            raise RuntimeError("boom")
    assert store.db.execute("SELECT COUNT(*) FROM things").fetchone()[0] == 0


def test_unique_indexes_hold(store):
    import sqlite3

    with store.write() as db:
        db.execute("INSERT INTO things VALUES ('1', 'a')")
    with pytest.raises(sqlite3.IntegrityError), store.write() as db:
        db.execute("INSERT INTO things VALUES ('2', 'a')")


def test_ids_are_deterministic_for_a_salt_and_never_repeat_across_restarts(tmp_path):
    first = Store(tmp_path / "a.sqlite3", id_salt="fixed")
    ids = [first.new_hex("account", 16) for _ in range(3)]
    first.close()
    again = Store(tmp_path / "a.sqlite3", id_salt="fixed")
    more = [again.new_hex("account", 16) for _ in range(3)]
    again.close()
    other = Store(tmp_path / "b.sqlite3", id_salt="fixed")
    replay = [other.new_hex("account", 16) for _ in range(6)]
    other.close()
    assert len(set(ids + more)) == 6
    assert replay == ids + more


def test_an_install_gets_its_own_salt_which_survives_a_restart(tmp_path):
    first = Store(tmp_path / "s.sqlite3")
    salt = first.id_salt
    first.close()
    assert Store(tmp_path / "s.sqlite3").id_salt == salt
    assert Store(tmp_path / "t.sqlite3").id_salt != salt


def test_the_fixed_clock_advances_by_its_step():
    clock = FixedClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), step=2)
    assert [iso(clock.now()) for _ in range(2)] == ["2026-01-01T00:00:00.000Z", "2026-01-01T00:00:02.000Z"]


def test_a_temporary_store_removes_its_files():
    store = Store(None)
    path = store.path
    store.db.execute("SELECT 1")
    store.close()
    assert not os.path.exists(path)


def test_a_temporary_store_skips_fsync_a_state_file_syncs_normal_and_full_is_an_option(tmp_path, monkeypatch):
    monkeypatch.delenv("SIM_SQLITE_SYNC", raising=False)
    temporary, kept = Store(None), Store(tmp_path / "kept.sqlite3")
    full = Store(tmp_path / "full.sqlite3", synchronous="full")
    assert (temporary.synchronous, kept.synchronous, full.synchronous) == ("OFF", "NORMAL", "FULL")
    # PRAGMA synchronous reads back 0 (OFF), 1 (NORMAL), 2 (FULL): https://sqlite.org/pragma.html#pragma_synchronous
    assert [s.db.execute("PRAGMA synchronous").fetchone()[0] for s in (temporary, kept, full)] == [0, 1, 2]
    for store in (temporary, kept, full):
        store.close()


def test_sim_sqlite_sync_chooses_the_mode_of_stores_not_told_one(tmp_path, monkeypatch):
    monkeypatch.setenv("SIM_SQLITE_SYNC", "full")
    store = Store(tmp_path / "kept.sqlite3")
    assert store.synchronous == "FULL"
    store.close()


def test_a_mode_sqlite_does_not_have_is_refused(tmp_path):
    with pytest.raises(ValueError, match="synchronous"):
        Store(tmp_path / "kept.sqlite3", synchronous="sometimes")


def test_open_store_creates_the_state_dir(tmp_path):
    store = open_store(tmp_path / "new" / "dir", "strongdm")
    assert store.path.endswith(os.path.join("dir", "strongdm.sqlite3"))
    store.close()


def test_an_acknowledged_write_survives_a_killed_process(tmp_path):
    path = tmp_path / "kill.sqlite3"
    script = textwrap.dedent(f"""
        import os, sys
        from sim.store import Store
        s = Store({str(path)!r})
        s.schema("CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY, name TEXT)")
        with s.write() as db:
            db.execute("INSERT INTO things VALUES ('1', 'kept')")
        print("acknowledged", flush=True)
        os.kill(os.getpid(), 9)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "acknowledged" in result.stdout
    assert result.returncode == -9
    store = Store(path)
    assert store.db.execute("SELECT name FROM things").fetchall()[0][0] == "kept"
    store.close()


def test_every_acknowledged_write_survives_a_sigkill_under_the_default_normal_mode(tmp_path, monkeypatch):
    """WAL with synchronous=NORMAL: a commit is in the WAL file (the OS's page cache) before it returns, so a
    killed process loses none of them; only an OS crash or power loss can lose the last ones
    (https://sqlite.org/pragma.html#pragma_synchronous, https://sqlite.org/wal.html)."""
    monkeypatch.delenv("SIM_SQLITE_SYNC", raising=False)
    path = tmp_path / "kill.sqlite3"
    script = textwrap.dedent(f"""
        import itertools
        from sim.store import Store
        s = Store({str(path)!r})
        assert s.synchronous == "NORMAL", s.synchronous
        s.schema("CREATE TABLE IF NOT EXISTS things (n INTEGER PRIMARY KEY)")
        for n in itertools.count():
            with s.write() as db:
                db.execute("INSERT INTO things VALUES (?)", (n,))
            print(n, flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    acknowledged = []
    try:
        for line in child.stdout:
            acknowledged.append(int(line))
            if len(acknowledged) == 300:
                child.send_signal(signal.SIGKILL)  # mid-stream: the child is writing its next rows
                break
    finally:
        child.kill()
        child.wait(timeout=60)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL and len(acknowledged) == 300
    store = Store(path)
    kept = {row[0] for row in store.db.execute("SELECT n FROM things")}
    store.close()
    assert set(acknowledged) <= kept


def test_a_new_state_file_is_readable_by_its_owner_only(tmp_path):
    store = Store(tmp_path / "secret.sqlite3")
    store.schema("CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY)")
    with store.write() as db:
        db.execute("INSERT INTO things VALUES ('1')")
    modes = {name: os.stat(tmp_path / name).st_mode & 0o777 for name in ("secret.sqlite3", "secret.sqlite3-wal")}
    store.close()
    assert modes == {"secret.sqlite3": 0o600, "secret.sqlite3-wal": 0o600}


def test_copy_database_makes_an_owner_only_copy_with_every_committed_row(tmp_path):
    source = Store(tmp_path / "source.sqlite3")
    source.schema("CREATE TABLE IF NOT EXISTS things (n INTEGER PRIMARY KEY)")
    with source.write() as db:
        db.executemany("INSERT INTO things VALUES (?)", [(n,) for n in range(50)])
    copy_database(source.path, tmp_path / "copy.sqlite3")  # the source still open, its rows in the WAL
    source.close()
    copy = Store(tmp_path / "copy.sqlite3")
    assert copy.db.execute("SELECT COUNT(*) FROM things").fetchone()[0] == 50
    assert copy.id_salt == Store(tmp_path / "source.sqlite3").id_salt
    copy.close()
    assert os.stat(tmp_path / "copy.sqlite3").st_mode & 0o777 == 0o600
