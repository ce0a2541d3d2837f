"""A search's statements stop at their time limit (query.bounded), told by an injected clock."""

import itertools
import sqlite3

import pytest

from sim.jumpcloud.directory import query as q
from sim.jumpcloud.errors import BadRequestError

LONG_QUERY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) SELECT COUNT(*) FROM n"


def test_a_statement_running_past_the_search_limit_is_interrupted_and_refused():
    db = sqlite3.connect(":memory:")
    ticks = itertools.count(0, 1.0)  # one second passes each time the progress handler looks
    with pytest.raises(BadRequestError, match="took too long"), q.bounded(db, 2.0, clock=lambda: next(ticks)):
        db.execute(LONG_QUERY).fetchone()
    assert db.execute("SELECT 1").fetchone() == (1,)  # the handler is gone: the connection works as before


def test_a_statement_within_the_limit_runs_to_the_end():
    db = sqlite3.connect(":memory:")
    with q.bounded(db, 2.0, clock=lambda: 0.0):
        assert db.execute(LONG_QUERY.replace("10000000", "100000")).fetchone() == (100000,)


def test_other_sqlite_errors_are_not_mistaken_for_a_timeout():
    db = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError, match="no such table"), q.bounded(db, 2.0, clock=lambda: 0.0):
        db.execute("SELECT * FROM missing")


def test_many_rows_each_matching_under_the_per_match_limit_still_stop_at_the_search_limit():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (v TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [("a",)] * 50)  # far fewer opcodes than the progress handler waits
    ticks = itertools.count(0, 0.5)  # half a second passes at each reading: each row's match "takes" 0.5 s
    with pytest.raises(BadRequestError, match="took too long"), q.bounded(db, 2.0, clock=lambda: next(ticks)):
        db.execute("SELECT COUNT(*) FROM t WHERE jc_regexp('a', v)").fetchone()
    db.create_function("jc_regexp", 2, q.regexp)
    assert db.execute("SELECT COUNT(*) FROM t WHERE jc_regexp('a', v)").fetchone() == (50,)  # restored after
