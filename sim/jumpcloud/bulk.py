"""Bulk jobs: user creates and updates with results per user, and scheduled state changes run when due.
The only SQL on jc_bulk_jobs, jc_bulk_results and jc_scheduled_states.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), operations
postApiV2BulkUsers / patchApiV2BulkUsers (201 `job-id`), getApiV2BulkUsersByJobIdResults (`job-workresult`),
postApiV2BulkUserstates (`bulk-scheduled-statechange-create` -> `scheduled-userstate-result`[]),
getApiV2BulkUserstates and deleteApiV2BulkUserstatesById (204). The real jobs run asynchronously; ours run
user jobs within the request (their results are ready at once) and scheduled changes on a ticker thread.
"""

import datetime as dt
import logging
import threading

from sim.jumpcloud.directory.shapes import OBJECT_ID
from sim.jumpcloud.directory.shapes import clean_user_input
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.errors import NotFoundError
from sim.store import Store
from sim.store import dumps
from sim.store import iso
from sim.store import loads

log = logging.getLogger(__name__)

DDL = """
CREATE TABLE IF NOT EXISTS jc_bulk_jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jc_bulk_results (
    job_id TEXT NOT NULL REFERENCES jc_bulk_jobs(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (job_id, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS jc_scheduled_states (
    job_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    state TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (job_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS jc_scheduled_states_due ON jc_scheduled_states(status, due);
"""

# The spec's `creation-source` header values; jumpcloud:bulk (the default) takes the org's csvImport state,
# the others its applicationImport state (organization settings.newSystemUserStateDefaults).
CREATION_SOURCES = ("jumpcloud:gapps", "jumpcloud:o365", "jumpcloud:workday", "jumpcloud:scim", "jumpcloud:bulk",
                    "jumpcloud:custom_integration")
MAX_ITEMS = 1000  # users in one bulk job (assumed; the spec names no limit)
SCHEDULED_STATES = ("ACTIVATED", "SUSPENDED")
TICK = 1.0  # seconds between checks for due state changes


def parse_start(text) -> str:
    """`start_date` (ISO 8601, or the spec example's "2020-01-01 02:00:00", taken as UTC) as our stored form."""
    if not isinstance(text, str) or not text or len(text) > 40:
        raise BadRequestError("start_date is required (a date-time)", details=[{"field": "start_date"}])
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return iso(when if when.tzinfo else when.replace(tzinfo=dt.UTC))
    except (ValueError, OverflowError):  # OverflowError: year 1 moved west of UTC
        raise BadRequestError("start_date must be a date-time", details=[{"field": "start_date"}]) from None


class Bulk:
    """Bulk jobs over the directory; `tick` paces the thread that runs scheduled changes (it runs only while
    some are pending)."""

    def __init__(self, store: Store, directory, state_defaults, *, tick: float = TICK):
        self.store = store
        self.directory = directory
        self.state_defaults = state_defaults  # () -> the org's newSystemUserStateDefaults
        self.tick = tick
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        store.schema(DDL)
        if self.pending_count():
            self.ensure_ticking()

    # -- user jobs ------------------------------------------------------------------------------------

    def _new_job(self, db, kind: str) -> str:
        job_id = self.store.new_hex("bulk_job", 24)
        db.execute("INSERT INTO jc_bulk_jobs(id, kind, created) VALUES (?, ?, ?)", (job_id, kind, self.store.now()))
        return job_id

    def run_users(self, items, *, update: bool, creation_source: str | None = None, actor=None) -> str:
        """Create (or, with `update`, patch by `id`) each user; returns the job id whose results say how each went."""
        if not isinstance(items, list) or not items:
            raise BadRequestError("the body must be a non-empty array of users")
        if len(items) > MAX_ITEMS:
            raise BadRequestError(f"a bulk job takes at most {MAX_ITEMS} users")
        if not all(isinstance(item, dict) for item in items):
            raise BadRequestError("each user must be a JSON object")
        source = creation_source or "jumpcloud:bulk"
        if source not in CREATION_SOURCES:
            raise BadRequestError(f"creation-source must be one of: {', '.join(CREATION_SOURCES)}")
        default_state = self.state_defaults()["csvImport" if source == "jumpcloud:bulk" else "applicationImport"]
        with self.store.write() as db:
            job_id = self._new_job(db, "users_update" if update else "users_create")
        results = [self._one_user(item, update, source, default_state, actor) for item in items]
        self._store_results(job_id, results)
        return job_id

    def _store_results(self, job_id: str, results: list[dict]) -> None:
        with self.store.write() as db:
            db.executemany("INSERT INTO jc_bulk_results(job_id, n, doc) VALUES (?, ?, ?)",
                           [(job_id, n, dumps(r)) for n, r in enumerate(results)])

    def record_job(self, kind: str, results: list[dict]) -> str:
        """Keep another job's per-user results (an application import) beside the bulk ones; returns its id."""
        now = self.store.now()
        with self.store.write() as db:
            job_id = self._new_job(db, kind)
        self._store_results(job_id, [{"createdAt": now, "updatedAt": now, **r} for r in results])
        return job_id

    def _one_user(self, item: dict, update: bool, source: str, default_state: str, actor) -> dict:
        """One `job-workresult`: finished with the fields written, or failed with the directory's reason."""
        now = self.store.now()
        result = {"createdAt": now, "id": item.get("id") if update else None, "meta": {}, "persistedFields": None,
                  "status": "failed", "statusMsg": None, "updatedAt": now}
        try:
            if update:
                if not isinstance(item.get("id"), str):
                    raise BadRequestError("id is required")
                fields = clean_user_input({k: v for k, v in item.items() if k not in ("id", "organization")},
                                          create=False)
                user = self.directory.update_user(item["id"], fields, actor=actor)
            else:
                fields = clean_user_input({"state": default_state, "creationSource": source, **item}, create=True)
                user = self.directory.create_user(fields, actor=actor)
        except JumpCloudError as error:
            result["statusMsg"] = error.message
            return result
        result.update({"id": user["_id"], "status": "finished", "statusMsg": "",
                       "meta": {"username": user["username"], "email": user["email"]},
                       "persistedFields": {k: user.get(k) for k in ("username", "email", *fields) if k != "password"}})
        return result

    def results(self, job_id: str, *, skip: int, limit: int, kinds=("users_create", "users_update")) -> list[dict]:
        """A job's results, in request order (404 unknown job, or one of another kind)."""
        db = self.store.read()
        row = db.execute("SELECT kind FROM jc_bulk_jobs WHERE id = ?", (job_id,)).fetchone() \
            if isinstance(job_id, str) and OBJECT_ID.match(job_id) else None
        if row is None or row["kind"] not in kinds:
            raise NotFoundError("job not found")
        rows = db.execute("SELECT doc FROM jc_bulk_results WHERE job_id = ? ORDER BY n LIMIT ? OFFSET ?",
                          (job_id, limit, skip)).fetchall()
        return [loads(r["doc"]) for r in rows]

    # -- scheduled state changes ----------------------------------------------------------------------

    def schedule(self, body) -> list[dict]:
        """Schedule `state` for `user_ids` at `start_date`: one `scheduled-userstate-result` per user."""
        if not isinstance(body, dict):
            raise BadRequestError("request body must be a JSON object")
        user_ids, state = body.get("user_ids"), body.get("state")
        if not isinstance(user_ids, list) or not user_ids or len(user_ids) > MAX_ITEMS:
            raise BadRequestError(f"user_ids must be a list of 1 to {MAX_ITEMS} ids", details=[{"field": "user_ids"}])
        if state not in SCHEDULED_STATES:
            raise BadRequestError("state must be ACTIVATED or SUSPENDED", details=[{"field": "state"}])
        due = parse_start(body.get("start_date"))
        user_ids = list(dict.fromkeys(user_ids))
        for uid in user_ids:  # the spec answers this operation 400, 401 or 500: an unknown user is a 400
            try:
                self.directory.get_user(uid)
            except NotFoundError:
                raise BadRequestError(f"user {uid} not found", details=[{"field": "user_ids"}]) from None
        with self.store.write() as db:
            job_id = self._new_job(db, "userstates")
            db.executemany("INSERT INTO jc_scheduled_states(job_id, user_id, state, due) VALUES (?, ?, ?, ?)",
                           [(job_id, uid, state, due) for uid in user_ids])
        self.ensure_ticking()
        return [self._shape(job_id, uid, state, due) for uid in user_ids]

    @staticmethod
    def _shape(job_id: str, user_id: str, state: str, due: str) -> dict:
        return {"scheduledJobId": job_id, "scheduledDate": due, "state": state, "systemUserId": user_id}

    def pending(self, *, user_id: str | None, skip: int, limit: int) -> list[dict]:
        """Pending scheduled changes, soonest first (optionally one user's)."""
        where, params = ("AND user_id = ?", [user_id]) if user_id else ("", [])
        rows = self.store.read().execute(
            f"SELECT job_id, user_id, state, due FROM jc_scheduled_states WHERE status = 'pending' {where}"
            " ORDER BY due, job_id, user_id LIMIT ? OFFSET ?", [*params, limit, skip]).fetchall()
        return [self._shape(r["job_id"], r["user_id"], r["state"], r["due"]) for r in rows]

    def pending_count(self) -> int:
        """How many scheduled changes wait to run."""
        return self.store.read().execute(
            "SELECT COUNT(*) FROM jc_scheduled_states WHERE status = 'pending'").fetchone()[0]

    def cancel(self, job_id: str) -> None:
        """Cancel a scheduled job's pending changes (404 when it has none)."""
        with self.store.write() as db:
            cur = db.execute("UPDATE jc_scheduled_states SET status = 'cancelled' WHERE job_id = ? AND status = 'pending'",
                             (job_id,))
            if cur.rowcount == 0:
                raise NotFoundError("scheduled job not found")

    def run_due(self) -> int:
        """Apply every change whose time has come (the user's state moves; the pusher follows); returns how many."""
        now = iso(self.store.clock.now())
        done = 0
        rows = self.store.read().execute(
            "SELECT job_id, user_id, state FROM jc_scheduled_states WHERE status = 'pending' AND due <= ?"
            " ORDER BY due, job_id, user_id", (now,)).fetchall()
        for row in rows:
            with self.store.write() as db:  # claim it first, so two tickers never apply one change twice
                claimed = db.execute("UPDATE jc_scheduled_states SET status = 'done' WHERE job_id = ? AND user_id = ?"
                                     " AND status = 'pending'", (row["job_id"], row["user_id"])).rowcount
            if not claimed:
                continue
            try:
                self.directory.set_user_state(row["user_id"], row["state"])
                done += 1
            except NotFoundError:
                pass  # the user was deleted since: nothing to change
        return done

    def ensure_ticking(self) -> None:
        """Start the ticker thread if it is not running; it stops once nothing is pending."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._tick, name="jumpcloud-bulk-scheduler", daemon=True)
            self._thread.start()

    def _tick(self) -> None:
        pause = threading.Event()  # never set: a sleep that reads as one
        while True:
            pause.wait(self.tick)
            try:
                self.run_due()
                with self._lock:  # decided under the lock, so a schedule() now either sees us or restarts us
                    if not self.pending_count():
                        self._thread = None
                        return
            except Exception:  # a closed store (the app is gone) or a bug: stop; the next schedule restarts it
                log.debug("bulk scheduler stopped", exc_info=True)
                with self._lock:
                    self._thread = None
                return
