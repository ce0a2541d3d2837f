"""The directory's write transactions: `changes` outbox rows, Directory Insights events, change listeners."""

import contextlib
import logging
import sqlite3

from sim.jumpcloud.insights import Insights
from sim.store import Store
from sim.store import dumps
from sim.store import loads

log = logging.getLogger(__name__)


def diff(before: dict, after: dict) -> list[dict]:
    """DI-style `changes`: [{field, from, to}] for every top-level field that changed."""
    out = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            out.append({"field": key, "from": before.get(key), "to": after.get(key)})
    return out


def initiated_by(actor: dict | None) -> dict:
    """DI `initiated_by` for an administrator (or the system when no actor is given)."""
    if not actor:
        return {"type": "system"}
    return {"id": actor.get("_id"), "type": "admin", "email": actor.get("email")}


class Transaction:
    """One write transaction plus the outbox rows it produced."""

    def __init__(self, store: Store, insights: Insights, db: sqlite3.Connection, actor: dict | None):
        self.store = store
        self.insights = insights
        self.db = db
        self.actor = actor
        self.changes: list[dict] = []

    def change(self, object_type: str, object_id: str, action: str, detail: dict | None = None) -> None:
        """Append an outbox row in this transaction."""
        at = self.store.now()
        cur = self.db.execute(
            "INSERT INTO changes(object_type, object_id, action, at, detail) VALUES (?, ?, ?, ?, ?)",
            (object_type, object_id, action, at, dumps(detail or {})),
        )
        self.changes.append({"seq": cur.lastrowid, "object_type": object_type, "object_id": object_id,
                             "action": action, "at": at, "detail": detail or {}})

    def event(self, event_type: str, **fields) -> None:
        """Write a `directory` DI event in this transaction."""
        self.insights.write(self.db, "directory", event_type, initiated_by=initiated_by(self.actor),
                                      client_ip=(self.actor or {}).get("client_ip"), **fields)


class Outbox:
    """Directory mixin: one transaction per mutation, its outbox rows, and the listeners called after commit."""

    # -- transactions, outbox, listeners ------------------------------------------------------------

    @contextlib.contextmanager
    def _tx(self, actor: dict | None = None):
        tx = None
        with self.store.write() as db:
            tx = Transaction(self.store, self.insights, db, actor)
            yield tx
            self._before_commit(tx)
        if tx.changes:
            self._notify(tx.changes)

    def _before_commit(self, tx: Transaction) -> None:
        """Called inside each mutation's transaction, before it commits: rules that follow a change (dynamic.py)."""

    def _notify(self, changes: list[dict]) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for callback in listeners:
            try:
                callback(changes)
            except Exception:  # a listener's bug must not fail the request that already committed
                log.exception("change listener failed")

    def subscribe(self, callback) -> callable:
        """Call `callback(changes: list[dict])` after each committed mutation; returns an unsubscribe function."""
        with self._listeners_lock:
            self._listeners.append(callback)

        def unsubscribe():
            with self._listeners_lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)
        return unsubscribe

    def changes_since(self, seq: int = 0, limit: int = 1000) -> list[dict]:
        """Outbox rows with `seq` greater than the given one, oldest first."""
        rows = self.store.read().execute(
            "SELECT seq, object_type, object_id, action, at, detail FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, limit),
        ).fetchall()
        return [{**dict(r), "detail": loads(r["detail"])} for r in rows]

    def last_seq(self) -> int:
        """The newest outbox sequence number (0 when empty)."""
        row = self.store.read().execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()
        return row[0]
