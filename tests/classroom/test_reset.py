"""`sim reset` on a classroom's state dir: every seat's state goes with it, and a held seat stops it."""

import json

from sim.classroom.seats import start_classroom
from sim.run.state.lock import StateLock
from sim.store import open_store
from tests.classroom.helpers import small_class
from tests.run.helpers import sim


def stopped_class(tmp_path) -> None:
    """A class that ran and stopped: seats, the trainer's store and classroom.json, as `sim classroom` leaves them."""
    start_classroom(**small_class(tmp_path)).stop()
    open_store(str(tmp_path), "trainer").close()
    (tmp_path / "classroom.json").write_text(json.dumps({"seats": []}))


def test_sim_reset_on_a_classroom_folder_removes_every_seat(tmp_path):
    stopped_class(tmp_path)
    assert (tmp_path / "seat-01" / "jumpcloud.sqlite3").exists()
    (tmp_path / "notes.txt").write_text("the trainer's own file")
    done = sim("reset", "--state-dir", str(tmp_path), "--yes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # nothing of the simulator's is left
    assert "2 seats" in done.stdout


def test_sim_reset_refuses_while_a_seat_is_held_and_deletes_nothing(tmp_path):
    stopped_class(tmp_path)
    held = StateLock(str(tmp_path / "seat-02"), "sim up --blank").acquire()
    try:
        done = sim("reset", "--state-dir", str(tmp_path), "--yes", cwd=tmp_path)
    finally:
        held.release()
    assert done.returncode == 1 and "seat-02 is in use by pid" in done.stderr and "(sim up --blank)" in done.stderr
    assert (tmp_path / "seat-01" / "jumpcloud.sqlite3").exists() and (tmp_path / "classroom.json").exists()
