"""The pusher's durable state in the JumpCloud store: work queue, outbox cursor, what each app was sent.

- `idm_queue`: one row per (app, user|group, JumpCloud id) still to push. Repeated changes coalesce
  into the row (`gen` counts them); a row leaves the queue only when a push of its latest `gen`
  succeeded, so nothing queued is ever dropped. Transient failures set `not_before`; other 4xx park
  the row (`parked`) until the object changes again or a reconcile is asked for.
- `idm_users` / `idm_groups` / `idm_group_members`: JumpCloud id -> SCIM id, the hash and body of
  the last pushed user, and the members a managed group was last given.
- `idm_unresolved`: users whose `POST /Users` may have been applied though no answer said so ("maybe
  created"); each is an open question until a push records the user or a lookup settles it.
- `idm_seen`: every user that was ever bound to an app (with its last known userName), so a full
  reconcile can look up those that have no record (a crash mid-POST leaves no marker).
- The outbox cursor (`meta` key `idm.cursor`, through the store's get_meta/set_meta) is written in the
  same transaction as the rows it queued.
"""

import time

from sim.store import dumps
from sim.store import loads

DDL = """
CREATE TABLE IF NOT EXISTS idm_queue (
    app_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    gen INTEGER NOT NULL DEFAULT 1,
    force INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    parked INTEGER NOT NULL DEFAULT 0,
    queued_at REAL NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    PRIMARY KEY (app_id, kind, object_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idm_queue_ready ON idm_queue(parked, not_before);
CREATE TABLE IF NOT EXISTS idm_users (
    app_id TEXT NOT NULL,
    jc_id TEXT NOT NULL,
    scim_id TEXT NOT NULL,
    active INTEGER NOT NULL,
    hash TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (app_id, jc_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idm_groups (
    app_id TEXT NOT NULL,
    jc_id TEXT NOT NULL,
    scim_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    PRIMARY KEY (app_id, jc_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idm_group_members (
    app_id TEXT NOT NULL,
    group_jc_id TEXT NOT NULL,
    scim_user_id TEXT NOT NULL,
    user_jc_id TEXT,
    PRIMARY KEY (app_id, group_jc_id, scim_user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idm_group_members_user ON idm_group_members(app_id, user_jc_id);
CREATE TABLE IF NOT EXISTS idm_unresolved (
    app_id TEXT NOT NULL,
    jc_id TEXT NOT NULL,
    user_name TEXT,
    payload TEXT,
    PRIMARY KEY (app_id, jc_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idm_seen (
    app_id TEXT NOT NULL,
    jc_id TEXT NOT NULL,
    user_name TEXT,
    PRIMARY KEY (app_id, jc_id)
) WITHOUT ROWID;
"""

CURSOR_KEY = "idm.cursor"
# The active apps as one JSON array parameter: one statement text whatever their number (SQLite caches it).
APPS_IN = "app_id IN (SELECT value FROM json_each(?))"


def app_list(apps: set[str]) -> str:
    """The parameter APPS_IN reads."""
    return dumps(sorted(apps))


def queue_counts(db) -> dict:
    """Queue rows still to push, failing, and parked until their object changes (reads only: `sim status`)."""
    pending, failing, parked = db.execute(
        "SELECT COUNT(*) FILTER (WHERE parked = 0), COUNT(*) FILTER (WHERE last_error IS NOT NULL), "
        "COUNT(*) FILTER (WHERE parked = 1) FROM idm_queue").fetchone()
    return {"pending": pending, "failing": failing, "parked": parked}


def unresolved_total(db) -> int:
    """Creates whose outcome is still unknown, across apps (reads only: `sim status`)."""
    return db.execute("SELECT COUNT(*) FROM idm_unresolved").fetchone()[0]


def failing_items(db, limit: int = 20) -> list[dict]:
    """The oldest queue rows whose last attempt failed (reads only: `sim status`)."""
    rows = db.execute("SELECT kind, object_id, attempts, parked, last_status, last_error FROM idm_queue "
                      "WHERE last_error IS NOT NULL ORDER BY queued_at LIMIT ?", (limit,)).fetchall()
    return [{"type": k, "id": o, "attempts": a, "parked": bool(p), "status": s, "error": e}
            for k, o, a, p, s, e in rows]


class SyncState:
    """Queue and push records over one store; every method takes the caller's `db` when it writes."""

    def __init__(self, store):
        self.store = store
        store.schema(DDL)

    # -- cursor ---------------------------------------------------------------------------------------

    def cursor(self) -> int:
        """The last outbox `seq` turned into queue rows (inside a write, the one that transaction sees)."""
        return int(self.store.get_meta(CURSOR_KEY, 0))

    def set_cursor(self, seq: int) -> None:
        """Move the cursor (call inside the transaction that queued the rows: `set_meta` joins it)."""
        self.store.set_meta(CURSOR_KEY, seq)

    # -- queue ----------------------------------------------------------------------------------------

    def enqueue(self, db, items, *, force: bool = False, delay: float = 0.0) -> int:
        """Queue (app_id, kind, object_id) items; a queued item coalesces and a parked one wakes up."""
        now = time.time()
        rows = [(a, k, o, 1 if force else 0, now + delay, now) for a, k, o in items]
        # A row in backoff keeps its `not_before` (Retry-After must hold); a parked row restarts afresh.
        db.executemany(
            "INSERT INTO idm_queue(app_id, kind, object_id, force, not_before, queued_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(app_id, kind, object_id) DO UPDATE SET gen = gen + 1, force = MAX(force, excluded.force), "
            "not_before = CASE WHEN parked = 1 THEN excluded.not_before ELSE MAX(not_before, excluded.not_before) END, "
            "attempts = CASE WHEN parked = 1 THEN 0 ELSE attempts END, parked = 0",
            rows,
        )
        return len(rows)

    def drop_app(self, db, app_id: str) -> None:
        """Drop every queue row of an application (a deleted one: nothing could ever push them)."""
        db.execute("DELETE FROM idm_queue WHERE app_id = ?", (app_id,))
        db.execute("DELETE FROM idm_unresolved WHERE app_id = ?", (app_id,))

    def ready(self, apps: set[str], limit: int) -> list[dict]:
        """Due rows of active apps, users before groups (a group's members must exist first)."""
        if not apps:
            return []
        rows = self.store.read().execute(
            "SELECT app_id, kind, object_id, gen, force, attempts FROM idm_queue WHERE parked = 0 AND not_before <= ? "
            # object_id breaks ties explicitly, so the push order (and `sim export`) never depends on SQLite's sorter.
            f"AND {APPS_IN} ORDER BY kind = 'group', queued_at, object_id LIMIT ?",
            (time.time(), app_list(apps), limit),
        ).fetchall()
        return [dict(r) for r in rows]

    def next_due(self, apps: set[str]) -> float | None:
        """When the earliest waiting row of an active app becomes due (epoch seconds), or None."""
        if not apps:
            return None
        row = self.store.read().execute(
            f"SELECT MIN(not_before) FROM idm_queue WHERE parked = 0 AND {APPS_IN}", (app_list(apps),)
        ).fetchone()
        return row[0]

    def bring_forward(self, db, app_id: str, now: float, *, limit: int = -1) -> int:
        """Make an app's backed-off rows due at `now` (the oldest `limit` of them); 429-held rows keep their wait."""
        return db.execute(
            "UPDATE idm_queue SET not_before = ? WHERE (app_id, kind, object_id) IN (SELECT app_id, kind, object_id "
            "FROM idm_queue WHERE app_id = ? "
            "AND parked = 0 AND not_before > ? AND last_error IS NOT NULL AND COALESCE(last_status, 0) != 429 "
            "ORDER BY not_before LIMIT ?)", (now, app_id, now, limit)).rowcount

    def done(self, db, item: dict) -> None:
        """Drop the row if no newer change arrived while it was being pushed."""
        db.execute("DELETE FROM idm_queue WHERE app_id = ? AND kind = ? AND object_id = ? AND gen = ?",
                   (item["app_id"], item["kind"], item["object_id"], item["gen"]))

    def retry_later(self, db, item: dict, delay: float, status, error: str) -> None:
        """A transient failure: try again after `delay` seconds."""
        db.execute("UPDATE idm_queue SET attempts = attempts + 1, not_before = ?, last_status = ?, last_error = ? "
                   "WHERE app_id = ? AND kind = ? AND object_id = ?",
                   (time.time() + delay, status, error, item["app_id"], item["kind"], item["object_id"]))

    def park(self, db, item: dict, status, error: str) -> None:
        """A permanent failure: keep the row, parked, unless the object changed meanwhile."""
        db.execute("UPDATE idm_queue SET attempts = attempts + 1, last_status = ?, last_error = ?, "
                   "parked = CASE WHEN gen = ? THEN 1 ELSE 0 END WHERE app_id = ? AND kind = ? AND object_id = ?",
                   (status, error, item["gen"], item["app_id"], item["kind"], item["object_id"]))

    def pending(self, apps: set[str]) -> int:
        """Rows of active apps still to push (parked rows are failing, not pending)."""
        if not apps:
            return 0
        return self.store.read().execute(
            f"SELECT COUNT(*) FROM idm_queue WHERE parked = 0 AND {APPS_IN}", (app_list(apps),)
        ).fetchone()[0]

    def failing(self, limit: int = 100, *, app_id: str | None = None) -> list[dict]:
        """Rows whose last attempt failed (of one app, or all): parked ones and ones waiting to retry."""
        rows = self.store.read().execute(
            "SELECT app_id, kind, object_id, attempts, parked, last_status, last_error, not_before FROM idm_queue "
            "WHERE last_error IS NOT NULL AND (? IS NULL OR app_id = ?) ORDER BY queued_at LIMIT ?",
            (app_id, app_id, limit)).fetchall()
        return [{"app_id": r["app_id"], "type": r["kind"], "id": r["object_id"], "attempts": r["attempts"],
                 "status": r["last_status"], "error": r["last_error"], "retrying": not r["parked"],
                 "retry_in": None if r["parked"] else max(0.0, round(r["not_before"] - time.time(), 3))}
                for r in rows]

    # -- users ----------------------------------------------------------------------------------------

    def user(self, app_id: str, jc_id: str) -> dict | None:
        """What was last pushed for a user: scim_id, active, hash, payload."""
        row = self.store.read().execute("SELECT scim_id, active, hash, payload FROM idm_users WHERE app_id = ? AND jc_id = ?",
                                        (app_id, jc_id)).fetchone()
        if row is None:
            return None
        return {"scim_id": row["scim_id"], "active": bool(row["active"]), "hash": row["hash"],
                "payload": loads(row["payload"])}

    def save_user(self, db, app_id: str, jc_id: str, scim_id: str, active: bool, digest: str, payload: dict) -> None:
        """Record a successful user push."""
        db.execute("INSERT INTO idm_users(app_id, jc_id, scim_id, active, hash, payload) VALUES (?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT(app_id, jc_id) DO UPDATE SET scim_id = excluded.scim_id, active = excluded.active, "
                   "hash = excluded.hash, payload = excluded.payload",
                   (app_id, jc_id, scim_id, 1 if active else 0, digest, dumps(payload)))
        db.execute("DELETE FROM idm_unresolved WHERE app_id = ? AND jc_id = ?", (app_id, jc_id))

    def forget_user(self, db, app_id: str, jc_id: str) -> None:
        """Drop a user's record and its group memberships (the SP deleted it, or lost it)."""
        db.execute("DELETE FROM idm_users WHERE app_id = ? AND jc_id = ?", (app_id, jc_id))
        db.execute("DELETE FROM idm_group_members WHERE app_id = ? AND user_jc_id = ?", (app_id, jc_id))

    def user_ids(self, app_id: str) -> list[str]:
        """JumpCloud ids of every user ever pushed to an app."""
        return [r[0] for r in self.store.read().execute("SELECT jc_id FROM idm_users WHERE app_id = ?", (app_id,))]

    def recorded_groups(self, db, app_id: str, user_jc_id: str) -> list[str]:
        """Managed groups the user was last recorded in (JumpCloud ids)."""
        return [r[0] for r in db.execute(
            "SELECT group_jc_id FROM idm_group_members WHERE app_id = ? AND user_jc_id = ?", (app_id, user_jc_id))]

    # -- groups ---------------------------------------------------------------------------------------

    def group(self, app_id: str, jc_id: str) -> dict | None:
        """A managed group's SCIM id and last pushed name."""
        row = self.store.read().execute("SELECT scim_id, display_name FROM idm_groups WHERE app_id = ? AND jc_id = ?",
                                        (app_id, jc_id)).fetchone()
        return dict(row) if row else None

    def save_group(self, db, app_id: str, jc_id: str, scim_id: str, name: str) -> None:
        """Record a managed group."""
        db.execute("INSERT INTO idm_groups(app_id, jc_id, scim_id, display_name) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT(app_id, jc_id) DO UPDATE SET scim_id = excluded.scim_id, "
                   "display_name = excluded.display_name", (app_id, jc_id, scim_id, name))

    def forget_group(self, db, app_id: str, jc_id: str) -> None:
        """Stop managing a group (deleted, or unbound and left as-is)."""
        db.execute("DELETE FROM idm_groups WHERE app_id = ? AND jc_id = ?", (app_id, jc_id))
        db.execute("DELETE FROM idm_group_members WHERE app_id = ? AND group_jc_id = ?", (app_id, jc_id))

    def group_ids(self, app_id: str) -> list[str]:
        """JumpCloud ids of every managed group of an app."""
        return [r[0] for r in self.store.read().execute("SELECT jc_id FROM idm_groups WHERE app_id = ?", (app_id,))]

    def members(self, app_id: str, group_jc_id: str) -> dict[str, str | None]:
        """SCIM user id -> JumpCloud id of the members a managed group was last given."""
        return {r[0]: r[1] for r in self.store.read().execute(
            "SELECT scim_user_id, user_jc_id FROM idm_group_members WHERE app_id = ? AND group_jc_id = ?",
            (app_id, group_jc_id))}

    def set_members(self, db, app_id: str, group_jc_id: str, added: dict[str, str | None], removed) -> None:
        """Record a successful membership PATCH."""
        db.executemany("INSERT OR REPLACE INTO idm_group_members(app_id, group_jc_id, scim_user_id, user_jc_id) "
                       "VALUES (?, ?, ?, ?)", [(app_id, group_jc_id, s, j) for s, j in added.items()])
        db.executemany("DELETE FROM idm_group_members WHERE app_id = ? AND group_jc_id = ? AND scim_user_id = ?",
                       [(app_id, group_jc_id, s) for s in removed])

    def active_scim_ids(self, app_id: str, jc_ids: list[str]) -> dict[str, str]:
        """SCIM id -> JumpCloud id of those users that are pushed and active in the app."""
        # One JSON parameter instead of one per id: a group may have more members than SQLite allows variables.
        return {r[0]: r[1] for r in self.store.read().execute(
            "SELECT scim_id, jc_id FROM idm_users WHERE app_id = ? AND active = 1 "
            "AND jc_id IN (SELECT value FROM json_each(?))", (app_id, dumps(list(jc_ids))))}

    # -- creates whose outcome is unknown -------------------------------------------------------------

    def maybe_created(self, db, app_id: str, jc_id: str, user_name: str, payload: dict | None) -> None:
        """A create may have been applied without an answer saying so: an open question until settled."""
        db.execute("INSERT INTO idm_unresolved(app_id, jc_id, user_name, payload) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT(app_id, jc_id) DO UPDATE SET user_name = excluded.user_name, "
                   "payload = COALESCE(excluded.payload, payload)",
                   (app_id, jc_id, user_name, None if payload is None else dumps(payload)))

    def unresolved(self, app_id: str, jc_id: str) -> dict | None:
        """The open question about a user: `user_name` and the `payload` that was POSTed (None if unknown)."""
        row = self.store.read().execute("SELECT user_name, payload FROM idm_unresolved WHERE app_id = ? AND jc_id = ?",
                                        (app_id, jc_id)).fetchone()
        if row is None:
            return None
        return {"user_name": row["user_name"], "payload": loads(row["payload"]) if row["payload"] else None}

    def forget_unresolved(self, db, app_id: str, jc_id: str) -> None:
        """A lookup found no account: nothing was created, and nothing needs asking again."""
        db.execute("DELETE FROM idm_unresolved WHERE app_id = ? AND jc_id = ?", (app_id, jc_id))
        db.execute("DELETE FROM idm_seen WHERE app_id = ? AND jc_id = ? "
                   "AND NOT EXISTS (SELECT 1 FROM idm_users u WHERE u.app_id = ? AND u.jc_id = ?)",
                   (app_id, jc_id, app_id, jc_id))

    def unresolved_count(self, apps: set[str]) -> int:
        """Open questions of active apps (the pusher is not idle while there is one)."""
        if not apps:
            return 0
        return self.store.read().execute(f"SELECT COUNT(*) FROM idm_unresolved WHERE {APPS_IN}",
                                         (app_list(apps),)).fetchone()[0]

    def saw_bound(self, db, app_id: str, users) -> None:
        """Remember users (jc_id, userName) that are or were bound to the app."""
        db.executemany("INSERT INTO idm_seen(app_id, jc_id, user_name) VALUES (?, ?, ?) "
                       "ON CONFLICT(app_id, jc_id) DO UPDATE SET user_name = COALESCE(excluded.user_name, user_name)",
                       [(app_id, j, n) for j, n in users])

    def ask_about_unrecorded(self, db, app_id: str) -> list[str]:
        """Turn every once-bound user without a record into an open question; returns their JumpCloud ids."""
        db.execute("INSERT OR IGNORE INTO idm_unresolved(app_id, jc_id, user_name, payload) "
                   "SELECT s.app_id, s.jc_id, s.user_name, NULL FROM idm_seen s WHERE s.app_id = ? "
                   "AND NOT EXISTS (SELECT 1 FROM idm_users u WHERE u.app_id = s.app_id AND u.jc_id = s.jc_id)",
                   (app_id,))
        return [r[0] for r in db.execute("SELECT jc_id FROM idm_unresolved WHERE app_id = ?", (app_id,))]
