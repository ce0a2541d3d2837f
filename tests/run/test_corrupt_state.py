"""A corrupt state file: the store refuses it with a clear error naming the file, and `sim status` says so."""

import sqlite3

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.run import status
from sim.store import Store
from sim.store import StoreError


def garbage(path):
    path.write_bytes(b"this is not a database, whatever its name says " * 200)
    return path


def damaged(path):
    """A real SQLite file whose table pages were overwritten in the middle (the header stays valid)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE jc_users (id TEXT PRIMARY KEY, doc TEXT)")
    db.executemany("INSERT INTO jc_users VALUES (?, ?)", [(f"{n:024x}", "x" * 300) for n in range(2000)])
    db.commit()
    db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, page * 40, page):
        data[offset:offset + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    return path


def test_a_store_over_a_file_that_is_not_sqlite_raises_a_clear_error(tmp_path):
    path = garbage(tmp_path / "jumpcloud.sqlite3")
    with pytest.raises(StoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert str(path) in message and "not a usable SQLite database" in message and "--fresh" in message


@pytest.mark.parametrize("spoil", [garbage, damaged])
def test_status_reports_a_corrupt_database_instead_of_counting_it(tmp_path, spoil):
    spoil(tmp_path / "jumpcloud.sqlite3")
    summary = status.summarize(str(tmp_path))
    assert summary["jumpcloud"]["corrupt"]
    result = CliRunner().invoke(cli, ["status", "--state-dir", str(tmp_path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "CORRUPT" in result.output and "jumpcloud.sqlite3" in result.output


def test_status_of_a_healthy_database_says_it_passed_the_integrity_check(tmp_path):
    Store(tmp_path / "jumpcloud.sqlite3").close()
    summary = status.summarize(str(tmp_path))
    assert summary["jumpcloud"]["corrupt"] is None
    assert "CORRUPT" not in status.format_summary(summary)


@pytest.mark.parametrize("command", [["up"], ["jumpcloud"], ["strongdm"]])
def test_a_command_over_a_corrupt_state_file_exits_with_its_reason_not_a_traceback(tmp_path, command):
    garbage(tmp_path / "jumpcloud.sqlite3")
    garbage(tmp_path / "strongdm.sqlite3")
    ports = {"up": ["--jumpcloud-port", "0", "--strongdm-port", "0", "--grpc-port", "0"], "jumpcloud": ["--port", "0"],
             "strongdm": ["--port", "0", "--grpc-port", "0"]}[command[0]]  # busy default ports are refused first
    result = CliRunner().invoke(cli, [*command, "--state-dir", str(tmp_path), *ports])
    assert result.exit_code == 1, result.output
    assert "not a usable SQLite database" in result.output and "--fresh" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, StoreError)
