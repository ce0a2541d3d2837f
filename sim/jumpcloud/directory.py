"""The directory: systemusers, user groups, STATIC memberships, SSO applications and their bindings.

Every mutation writes, in its own transaction, a row to the `changes` outbox and a Directory
Insights event; in-process subscribers are called after the commit (the SCIM pusher wakes on them).
"""

import contextlib
import logging
import sqlite3
import threading

from sim.jumpcloud import catalog
from sim.jumpcloud import query as q
from sim.jumpcloud.errors import AlreadyExistsError
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ConflictError
from sim.jumpcloud.errors import NotFoundError
from sim.jumpcloud.insights import Insights
from sim.jumpcloud.shapes import OBJECT_ID
from sim.jumpcloud.shapes import USER_BOOLEANS
from sim.jumpcloud.shapes import USER_INTEGERS
from sim.jumpcloud.shapes import app_defaults
from sim.jumpcloud.shapes import group_defaults
from sim.jumpcloud.shapes import state_flags
from sim.jumpcloud.shapes import user_defaults
from sim.store import Store
from sim.store import dumps
from sim.store import loads

log = logging.getLogger(__name__)

DDL = """
CREATE TABLE IF NOT EXISTS jc_users (
    id TEXT PRIMARY KEY,
    username_lc TEXT NOT NULL UNIQUE,
    email_lc TEXT NOT NULL UNIQUE,
    employee_id TEXT UNIQUE,
    state TEXT NOT NULL,
    manager TEXT,
    created TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jc_users_state ON jc_users(state, id);
CREATE INDEX IF NOT EXISTS jc_users_manager ON jc_users(manager);
CREATE INDEX IF NOT EXISTS jc_users_created ON jc_users(created, id);
CREATE TABLE IF NOT EXISTS jc_groups (
    id TEXT PRIMARY KEY,
    name_lc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jc_groups_name ON jc_groups(name, id);
CREATE TABLE IF NOT EXISTS jc_memberships (
    group_id TEXT NOT NULL REFERENCES jc_groups(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES jc_users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS jc_memberships_user ON jc_memberships(user_id, group_id);
CREATE TABLE IF NOT EXISTS jc_apps (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    display_label TEXT NOT NULL,
    created TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jc_apps_name ON jc_apps(name, id);
CREATE TABLE IF NOT EXISTS jc_bindings (
    app_id TEXT NOT NULL REFERENCES jc_apps(id) ON DELETE CASCADE,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    PRIMARY KEY (app_id, target_type, target_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS jc_bindings_target ON jc_bindings(target_type, target_id, app_id);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL,
    detail TEXT
);
"""

# The secondary indexes of jc_users, as DDL declares them: seeding an empty table builds them once after the
# rows are in (a sort) rather than row by row (1.3 s of 8.7 s at 100,000 users, `sim bench`).
USER_INDEXES = tuple(line.strip() for line in DDL.splitlines() if line.startswith("CREATE INDEX IF NOT EXISTS jc_users_"))

USER_SPACE = q.Space(
    columns={"_id": "id", "id": "id", "username": "username_lc", "email": "email_lc",
             "employeeIdentifier": "employee_id", "state": "state", "manager": "manager", "created": "created"},
    booleans=USER_BOOLEANS,
    integers=USER_INTEGERS,
    lowered=frozenset({"username", "email"}),
    default_search=("username", "email", "firstname", "lastname", "displayname"),
)
# `sort=id` is refused on group collections by the real API (reference §2.3, saltext).
GROUP_SPACE = q.Space(
    columns={"id": "id", "name": "name"},
    booleans=frozenset({"memberSuggestionsNotify"}),
    sortable=frozenset({"name", "description", "type", "membershipMethod", "email"}),
    default_search=("name", "description"),
)
APP_SPACE = q.Space(
    columns={"_id": "id", "id": "id", "name": "name", "displayLabel": "display_label", "created": "created"},
    booleans=frozenset({"active", "beta", "aiReady"}),
    default_search=("name", "displayName", "displayLabel"),
)
TARGET_TYPES = ("user", "user_group")
SECRET_FIELDS = frozenset({"password"})


def check_id(object_id, kind: str = "object") -> str:
    """Ids are 24-hex ObjectIds: anything else is a 400 (a malformed id), not a 404."""
    if not isinstance(object_id, str) or not OBJECT_ID.match(object_id):
        raise BadRequestError(f"invalid {kind} id", details=[{"field": "id"}])
    return object_id


def diff(before: dict, after: dict) -> list[dict]:
    """DI-style `changes`: [{field, from, to}] for every top-level field that changed."""
    out = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            out.append({"field": key, "from": before.get(key), "to": after.get(key)})
    return out


def connection(object_id: str, object_type: str) -> dict:
    """A v2 GraphConnection to one object."""
    return {"attributes": None, "to": {"attributes": None, "id": object_id, "type": object_type}}


def initiated_by(actor: dict | None) -> dict:
    """DI `initiated_by` for an administrator (or the system when no actor is given)."""
    if not actor:
        return {"type": "system"}
    return {"id": actor.get("_id"), "type": "admin", "email": actor.get("email")}


class _Tx:
    """One write transaction plus the outbox rows it produced."""

    def __init__(self, directory: "Directory", db: sqlite3.Connection, actor: dict | None):
        self.directory = directory
        self.db = db
        self.actor = actor
        self.changes: list[dict] = []

    def change(self, object_type: str, object_id: str, action: str, detail: dict | None = None) -> None:
        """Append an outbox row in this transaction."""
        at = self.directory.store.now()
        cur = self.db.execute(
            "INSERT INTO changes(object_type, object_id, action, at, detail) VALUES (?, ?, ?, ?, ?)",
            (object_type, object_id, action, at, dumps(detail or {})),
        )
        self.changes.append({"seq": cur.lastrowid, "object_type": object_type, "object_id": object_id,
                             "action": action, "at": at, "detail": detail or {}})

    def event(self, event_type: str, **fields) -> None:
        """Write a `directory` DI event in this transaction."""
        self.directory.insights.write(self.db, "directory", event_type, initiated_by=initiated_by(self.actor),
                                      client_ip=(self.actor or {}).get("client_ip"), **fields)


class Directory:
    """Directory rules over one store; all ids are 24-hex strings."""

    def __init__(self, store: Store, insights: Insights, org_id_source=None):
        self.store = store
        self.insights = insights
        self._org_id = org_id_source or (lambda: store.get_meta("jumpcloud.org_id"))
        self._listeners: list = []
        self._listeners_lock = threading.Lock()
        store.schema(DDL)

    # -- transactions, outbox, listeners ------------------------------------------------------------

    @contextlib.contextmanager
    def _tx(self, actor: dict | None = None):
        tx = None
        with self.store.write() as db:
            tx = _Tx(self, db, actor)
            yield tx
        if tx.changes:
            self._notify(tx.changes)

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

    # -- seeding --------------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when no user, group or application exists yet."""
        db = self.store.read()
        return not any(db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()
                       for t in ("jc_users", "jc_groups", "jc_apps"))

    def seed(self, fake, *, skip_apps: tuple[str, ...] = ()) -> None:
        """Bulk-load a generated directory (users, groups, memberships) plus the app catalog, in one transaction.

        Seeding is the initial state, not a change: it writes no outbox rows and no DI events. Catalog apps
        named in `skip_apps` are not created (`sim up --blank` leaves StrongDM for the guide's `+` step).
        """
        org_id = self._org_id()
        now = self.store.now()
        template = user_defaults()  # shared nested defaults are safe: each doc is serialised at once

        def user_row(n: int, source: dict) -> tuple:
            doc = {**template, **source}
            doc.update(state_flags(doc["state"], source))
            doc["organization"] = org_id
            doc["created"] = doc.get("created") or now
            if doc.get("unix_uid") is None:
                doc["unix_uid"] = doc["unix_guid"] = 5000 + n + 1
            return (doc["_id"], doc["username"].lower(), doc["email"].lower(), doc.get("employeeIdentifier") or None,
                    doc["state"], doc.get("manager"), doc["created"], dumps(doc))

        # Rows are made as SQLite takes them, in id order, instead of all being held at once: at 100,000
        # users the list of serialised rows held a quarter of a gigabyte (peak RSS, `sim bench`).
        order = sorted(range(len(fake.users)), key=lambda n: fake.users[n]["_id"])
        user_rows = (user_row(n, fake.users[n]) for n in order)
        group_rows = []
        for source in fake.groups:
            doc = group_defaults()
            doc.update(source)
            doc["organizationObjectId"] = org_id
            group_rows.append((doc["id"], doc["name"].lower(), doc["name"], dumps(doc)))
        app_rows = []
        for entry in catalog.CATALOG:
            if entry["name"] in skip_apps:
                continue
            doc = app_defaults()
            doc.update({k: v for k, v in entry.items() if k != "provisioning"})
            doc.update({"_id": catalog.seeded_app_id(org_id, entry["name"]), "created": now,
                        "organization": org_id, "logo": {"url": "", "color": entry.get("color", "")}})
            app_rows.append((doc["_id"], doc["name"], doc["displayLabel"], now, dumps(doc)))
        # Sorted inserts append to the B-trees instead of splitting pages all over them.
        group_rows.sort()
        with self.store.write() as db:
            empty = db.execute("SELECT NOT EXISTS (SELECT 1 FROM jc_users)").fetchone()[0]
            if empty:
                for statement in USER_INDEXES:
                    db.execute("DROP INDEX IF EXISTS " + statement.split()[5])
            db.executemany("INSERT INTO jc_users(id, username_lc, email_lc, employee_id, state, manager, created, doc)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", user_rows)
            if empty:
                for statement in USER_INDEXES:
                    db.execute(statement)
            db.executemany("INSERT INTO jc_groups(id, name_lc, name, doc) VALUES (?, ?, ?, ?)", group_rows)
            db.executemany("INSERT INTO jc_memberships(group_id, user_id) VALUES (?, ?)",
                           sorted(tuple(m) for m in fake.memberships))
            db.executemany("INSERT INTO jc_apps(id, name, display_label, created, doc) VALUES (?, ?, ?, ?, ?)",
                           app_rows)
            db.execute(
                "INSERT INTO id_counters(kind, n) VALUES ('unix_uid', ?) "
                "ON CONFLICT(kind) DO UPDATE SET n = MAX(n, excluded.n)", (len(order),))

    # -- users ----------------------------------------------------------------------------------------

    def get_user(self, user_id: str) -> dict:
        """One systemuser (400 for a malformed id, 404 for an unknown one)."""
        check_id(user_id, "systemuser")
        row = self.store.read().execute("SELECT doc FROM jc_users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise NotFoundError("User not found")
        return loads(row["doc"])

    def find_user(self, *, username: str | None = None, email: str | None = None) -> dict | None:
        """A user by username or email (case-insensitive), else None."""
        col, value = ("username_lc", username) if username is not None else ("email_lc", email)
        row = self.store.read().execute(f"SELECT doc FROM jc_users WHERE {col} = ?", (str(value).lower(),)).fetchone()
        return loads(row["doc"]) if row else None

    def user_count(self) -> int:
        """How many systemusers exist."""
        return self.store.read().execute("SELECT COUNT(*) FROM jc_users").fetchone()[0]

    def list_users(self, query: q.Query) -> tuple[int, list[dict]]:
        """(totalCount, page of users) for a parsed v1 query."""
        return self._page("jc_users", USER_SPACE, query, "_id")

    def _page(self, table: str, space: q.Space, query: q.Query, id_key: str) -> tuple[int, list[dict]]:
        db = self.store.read()
        db.create_function("jc_regexp", 2, q.regexp, deterministic=True)
        where = query.where_sql()
        with self.store.snapshot() as snap:
            total = snap.execute(f"SELECT COUNT(*) FROM {table}{where}", query.params).fetchone()[0]
            rows = [] if query.limit == 0 else snap.execute(
                f"SELECT doc FROM {table}{where}{query.order_sql(space)} LIMIT ? OFFSET ?",
                [*query.params, query.limit, query.skip],
            ).fetchall()
        return total, [q.project(loads(r["doc"]), query.fields, query.exclude, id_key) for r in rows]

    def _check_user_refs(self, db, doc: dict, exclude_id: str | None) -> None:
        clashes = []
        for col, key in (("username_lc", "username"), ("email_lc", "email")):
            row = db.execute(f"SELECT id FROM jc_users WHERE {col} = ?", (doc[key].lower(),)).fetchone()
            if row and row["id"] != exclude_id:
                clashes.append({"field": key, "message": f"{key} already in use"})
        if doc.get("employeeIdentifier"):
            row = db.execute("SELECT id FROM jc_users WHERE employee_id = ?", (doc["employeeIdentifier"],)).fetchone()
            if row and row["id"] != exclude_id:
                clashes.append({"field": "employeeIdentifier", "message": "employeeIdentifier must be unique"})
        if clashes:
            raise AlreadyExistsError("User already exists", details=clashes)
        manager = doc.get("manager")
        if manager is not None:
            if manager == exclude_id:
                raise BadRequestError("a user cannot be their own manager", details=[{"field": "manager"}])
            if not db.execute("SELECT 1 FROM jc_users WHERE id = ?", (manager,)).fetchone():
                raise BadRequestError("manager must be an existing systemuser", details=[{"field": "manager"}])

    def _write_user(self, db, doc: dict, *, insert: bool) -> None:
        values = (doc["username"].lower(), doc["email"].lower(), doc.get("employeeIdentifier") or None,
                  doc["state"], doc.get("manager"), doc["created"], dumps(doc), doc["_id"])
        try:
            if insert:
                db.execute("INSERT INTO jc_users(username_lc, email_lc, employee_id, state, manager, created, doc, id)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
            else:
                db.execute("UPDATE jc_users SET username_lc = ?, email_lc = ?, employee_id = ?, state = ?,"
                           " manager = ?, created = ?, doc = ? WHERE id = ?", values)
        except sqlite3.IntegrityError:  # a race past _check_user_refs still gets JumpCloud's answer
            raise AlreadyExistsError("User already exists") from None

    def create_user(self, fields: dict, *, actor: dict | None = None) -> dict:
        """Create a systemuser from cleaned input; state defaults to ACTIVATED (the org's manualEntry default)."""
        with self._tx(actor) as tx:
            doc = user_defaults()
            password = fields.get("password")
            doc.update({k: v for k, v in fields.items() if k not in SECRET_FIELDS})
            now = self.store.now()
            doc.update(state_flags(fields.get("state", "ACTIVATED")))
            if fields.get("suspended") and "state" not in fields:
                doc.update(state_flags("SUSPENDED", doc))
            doc.update({"_id": self.store.new_hex("systemuser", 24), "created": now,
                        "organization": self._org_id(), "password_date": now if password else None})
            if doc["unix_uid"] is None:
                doc["unix_uid"] = 5000 + self.store.next_number("unix_uid")
            if doc["unix_guid"] is None:
                doc["unix_guid"] = doc["unix_uid"]
            self._check_user_refs(tx.db, doc, None)
            self._write_user(tx.db, doc, insert=True)
            tx.change("user", doc["_id"], "create", {"username": doc["username"], "email": doc["email"],
                                                    "state": doc["state"]})
            tx.event("user_create", resource={"id": doc["_id"], "type": "user", "username": doc["username"]},
                     changes=diff({}, {k: v for k, v in fields.items() if k not in SECRET_FIELDS}))
        return doc

    def update_user(self, user_id: str, fields: dict, *, actor: dict | None = None) -> dict:
        """PUT semantics of v1: merge the sent fields; a `state` or `suspended` change moves the state."""
        with self._tx(actor) as tx:
            before = self._locked_user(tx.db, user_id)
            doc = dict(before)
            doc.update({k: v for k, v in fields.items() if k not in SECRET_FIELDS | {"state", "suspended"}})
            if "password" in fields:
                doc["password_date"] = self.store.now()
            state = fields.get("state")
            if state is None and "suspended" in fields:
                if fields["suspended"]:
                    state = "SUSPENDED"
                elif before["state"] == "SUSPENDED":
                    state = "ACTIVATED"
            if state is not None:
                doc.update(state_flags(state, before))
            self._check_user_refs(tx.db, doc, user_id)
            changes = [c for c in diff(before, doc) if c["field"] != "password_date"] + (
                [{"field": "password", "from": None, "to": None}] if "password" in fields else [])
            if changes:
                self._write_user(tx.db, doc, insert=False)
                self._record_user_update(tx, doc, changes)
        return doc

    def _record_user_update(self, tx: _Tx, doc: dict, changes: list[dict]) -> None:
        tx.change("user", doc["_id"], "update", {"fields": [c["field"] for c in changes], "state": doc["state"]})
        tx.event("user_update", resource={"id": doc["_id"], "type": "user", "username": doc["username"]},
                 changes=changes)

    def _locked_user(self, db, user_id: str) -> dict:
        check_id(user_id, "systemuser")
        row = db.execute("SELECT doc FROM jc_users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise NotFoundError("User not found")
        return loads(row["doc"])

    def set_user_state(self, user_id: str, state: str, *, actor: dict | None = None) -> dict:
        """`/state/activate` (STAGED or SUSPENDED → ACTIVATED) and `/state/suspend`; a no-op changes nothing."""
        with self._tx(actor) as tx:
            before = self._locked_user(tx.db, user_id)
            doc = {**before, **state_flags(state, before)}
            changes = diff(before, doc)
            if changes:
                self._write_user(tx.db, doc, insert=False)
                self._record_user_update(tx, doc, changes)
        return doc

    def delete_user(self, user_id: str, *, cascade_manager: bool = False, actor: dict | None = None) -> dict:
        """Delete a user and its memberships and bindings; a manager needs `cascade_manager` (else 409)."""
        with self._tx(actor) as tx:
            doc = self._locked_user(tx.db, user_id)
            reports = [r["id"] for r in tx.db.execute("SELECT id FROM jc_users WHERE manager = ?", (user_id,))]
            if reports and not cascade_manager:
                raise ConflictError("User is the manager of other users; use cascade_manager=null",
                                    details=[{"field": "manager", "count": len(reports)}])
            for report_id in reports:  # JumpCloud's cascade_manager=null clears `manager` on direct reports
                before = self._locked_user(tx.db, report_id)
                after = {**before, "manager": None}
                self._write_user(tx.db, after, insert=False)
                self._record_user_update(tx, after, diff(before, after))
            groups = [r[0] for r in tx.db.execute(
                "SELECT group_id FROM jc_memberships WHERE user_id = ? ORDER BY group_id", (user_id,))]
            apps = self._apps_for_user(tx.db, user_id)
            tx.db.execute("DELETE FROM jc_bindings WHERE target_type = 'user' AND target_id = ?", (user_id,))
            tx.db.execute("DELETE FROM jc_users WHERE id = ?", (user_id,))
            tx.change("user", user_id, "delete", {"username": doc["username"], "email": doc["email"],
                                                 "groups": groups, "applications": apps})
            tx.event("user_delete", resource={"id": user_id, "type": "user", "username": doc["username"]})
        return doc

    # -- groups ---------------------------------------------------------------------------------------

    def get_group(self, group_id: str) -> dict:
        """One user group (400 malformed id, 404 unknown)."""
        return self._group(self.store.read(), group_id)

    def _group(self, db, group_id: str) -> dict:
        check_id(group_id, "user group")
        row = db.execute("SELECT doc FROM jc_groups WHERE id = ?", (group_id,)).fetchone()
        if row is None:
            raise NotFoundError("User group not found")
        return loads(row["doc"])

    def find_group(self, name: str) -> dict | None:
        """A group by name (case-insensitive), else None."""
        row = self.store.read().execute("SELECT doc FROM jc_groups WHERE name_lc = ?", (name.lower(),)).fetchone()
        return loads(row["doc"]) if row else None

    def list_groups(self, query: q.Query) -> list[dict]:
        """A page of groups (v2: a bare list); the default order is by name."""
        if not query.order:
            query.order = [("name", False)]
        return self._page("jc_groups", GROUP_SPACE, query, "id")[1]

    def list_groups_counted(self, query: q.Query) -> tuple[int, list[dict]]:
        """(total, page) of groups, for the console's pager; the default order is by name."""
        if not query.order:
            query.order = [("name", False)]
        return self._page("jc_groups", GROUP_SPACE, query, "id")

    def count_group_members(self, group_id: str) -> int:
        """How many users a group has."""
        return self.store.read().execute("SELECT COUNT(*) FROM jc_memberships WHERE group_id = ?",
                                         (group_id,)).fetchone()[0]

    def _check_group_name(self, db, name: str, exclude_id: str | None) -> None:
        row = db.execute("SELECT id FROM jc_groups WHERE name_lc = ?", (name.lower(),)).fetchone()
        if row and row["id"] != exclude_id:
            raise ConflictError("A user group with that name already exists", details=[{"field": "name"}])

    def create_group(self, fields: dict, *, actor: dict | None = None) -> dict:
        """Create a STATIC user group from cleaned input (409 on a duplicate name)."""
        with self._tx(actor) as tx:
            self._check_group_name(tx.db, fields["name"], None)
            doc = {**group_defaults(), **fields, "id": self.store.new_hex("user_group", 24),
                   "organizationObjectId": self._org_id()}
            tx.db.execute("INSERT INTO jc_groups(id, name_lc, name, doc) VALUES (?, ?, ?, ?)",
                          (doc["id"], doc["name"].lower(), doc["name"], dumps(doc)))
            tx.change("user_group", doc["id"], "create", {"name": doc["name"]})
            tx.event("group_create", resource={"id": doc["id"], "type": "user_group", "name": doc["name"]},
                     changes=diff({}, fields))
        return doc

    def replace_group(self, group_id: str, fields: dict, *, actor: dict | None = None) -> dict:
        """v2 PUT: a full update; fields left out return to their defaults."""
        with self._tx(actor) as tx:
            before = self._group(tx.db, group_id)
            self._check_group_name(tx.db, fields["name"], group_id)
            doc = {**group_defaults(), **fields, "id": group_id,
                   "organizationObjectId": before["organizationObjectId"],
                   "suggestionCounts": before["suggestionCounts"]}
            changes = diff(before, doc)
            if changes:
                tx.db.execute("UPDATE jc_groups SET name_lc = ?, name = ?, doc = ? WHERE id = ?",
                              (doc["name"].lower(), doc["name"], dumps(doc), group_id))
                tx.change("user_group", group_id, "update",
                          {"name": doc["name"], "previous_name": before["name"], "fields": [c["field"] for c in changes]})
                tx.event("group_update", resource={"id": group_id, "type": "user_group", "name": doc["name"]},
                         changes=changes)
        return doc

    def delete_group(self, group_id: str, *, actor: dict | None = None) -> dict:
        """Delete a group, its memberships and its app bindings; the outbox row lists the members it had."""
        with self._tx(actor) as tx:
            doc = self._group(tx.db, group_id)
            members = [r[0] for r in tx.db.execute(
                "SELECT user_id FROM jc_memberships WHERE group_id = ? ORDER BY user_id", (group_id,))]
            apps = [r[0] for r in tx.db.execute(
                "SELECT app_id FROM jc_bindings WHERE target_type = 'user_group' AND target_id = ? ORDER BY app_id",
                (group_id,))]
            tx.db.execute("DELETE FROM jc_bindings WHERE target_type = 'user_group' AND target_id = ?", (group_id,))
            tx.db.execute("DELETE FROM jc_groups WHERE id = ?", (group_id,))
            tx.change("user_group", group_id, "delete", {"name": doc["name"], "members": members, "applications": apps})
            tx.event("group_delete", resource={"id": group_id, "type": "user_group", "name": doc["name"]})
        return doc

    # -- memberships ----------------------------------------------------------------------------------

    def change_membership(self, group_id: str, op: str, user_id: str, *, actor: dict | None = None) -> None:
        """`op` add or remove one user; adding a member twice is 409, removing a non-member 404."""
        with self._tx(actor) as tx:
            group = self._group(tx.db, group_id)
            user = self._locked_user(tx.db, user_id)
            present = tx.db.execute("SELECT 1 FROM jc_memberships WHERE group_id = ? AND user_id = ?",
                                    (group_id, user_id)).fetchone()
            if op == "add":
                if present:
                    raise ConflictError("Already Exists")
                tx.db.execute("INSERT INTO jc_memberships(group_id, user_id) VALUES (?, ?)", (group_id, user_id))
            elif op == "remove":
                if not present:
                    raise NotFoundError("User is not a member of this group")
                tx.db.execute("DELETE FROM jc_memberships WHERE group_id = ? AND user_id = ?", (group_id, user_id))
            else:
                raise BadRequestError("op must be add or remove", details=[{"field": "op"}])
            tx.change("membership", group_id, op, {"group_id": group_id, "user_id": user_id})
            tx.event("association_change",
                     resource={"id": group_id, "type": "user_group", "name": group["name"]},
                     association={"op": op, "connection": {
                         "from": {"type": "user_group", "object_id": group_id, "name": group["name"]},
                         "to": {"type": "user", "object_id": user_id, "name": user["username"]}}})

    def group_member_ids(self, group_id: str, *, skip: int = 0, limit: int | None = None) -> list[str]:
        """Members of a group by user id (404 unknown group)."""
        self.get_group(group_id)
        return [r[0] for r in self.store.read().execute(
            "SELECT user_id FROM jc_memberships WHERE group_id = ? ORDER BY user_id LIMIT ? OFFSET ?",
            (group_id, -1 if limit is None else limit, skip))]

    def user_group_ids(self, user_id: str, *, skip: int = 0, limit: int | None = None) -> list[str]:
        """Groups a user belongs to, by id (404 unknown user)."""
        self.get_user(user_id)
        return [r[0] for r in self.store.read().execute(
            "SELECT group_id FROM jc_memberships WHERE user_id = ? ORDER BY group_id LIMIT ? OFFSET ?",
            (user_id, -1 if limit is None else limit, skip))]

    # -- applications ---------------------------------------------------------------------------------

    def get_app(self, app_id: str) -> dict:
        """One application (400 malformed id, 404 unknown)."""
        return self._app(self.store.read(), app_id)

    def _app(self, db, app_id: str) -> dict:
        check_id(app_id, "application")
        row = db.execute("SELECT doc FROM jc_apps WHERE id = ?", (app_id,)).fetchone()
        if row is None:
            raise NotFoundError("Application not found")
        return loads(row["doc"])

    def find_app(self, name: str) -> dict | None:
        """The first application with this connector name (e.g. "strongdm"), else None."""
        row = self.store.read().execute("SELECT doc FROM jc_apps WHERE name = ? ORDER BY created, id LIMIT 1",
                                        (name,)).fetchone()
        return loads(row["doc"]) if row else None

    def list_apps(self, query: q.Query) -> tuple[int, list[dict]]:
        """(totalCount, page) of applications; the default sort is by name (v1 spec)."""
        if not query.order:
            query.order = [("name", False)]
        return self._page("jc_apps", APP_SPACE, query, "_id")

    def create_app(self, fields: dict, *, actor: dict | None = None) -> dict:
        """Create an application; a catalog `name` fills in the connector's defaults."""
        with self._tx(actor) as tx:
            base = catalog.template(fields["name"]) or {}
            base.pop("provisioning", None)
            now = self.store.now()
            doc = {**app_defaults(), **base, **fields, "_id": self.store.new_hex("application", 24),
                   "created": now, "organization": self._org_id()}
            doc["displayLabel"] = doc["displayLabel"] or doc["displayName"] or doc["name"]
            tx.db.execute("INSERT INTO jc_apps(id, name, display_label, created, doc) VALUES (?, ?, ?, ?, ?)",
                          (doc["_id"], doc["name"], doc["displayLabel"], now, dumps(doc)))
            tx.change("application", doc["_id"], "create", {"name": doc["name"], "displayLabel": doc["displayLabel"]})
            tx.event("application_create", resource={"id": doc["_id"], "type": "application",
                                                      "name": doc["displayLabel"]}, changes=diff({}, fields))
        return doc

    def update_app(self, app_id: str, fields: dict, *, actor: dict | None = None) -> dict:
        """Merge the sent fields into an application."""
        with self._tx(actor) as tx:
            before = self._app(tx.db, app_id)
            doc = {**before, **fields}
            changes = diff(before, doc)
            if changes:
                tx.db.execute("UPDATE jc_apps SET name = ?, display_label = ?, doc = ? WHERE id = ?",
                              (doc["name"], doc["displayLabel"], dumps(doc), app_id))
                tx.change("application", app_id, "update", {"fields": [c["field"] for c in changes]})
                tx.event("application_update", resource={"id": app_id, "type": "application",
                                                         "name": doc["displayLabel"]}, changes=changes)
        return doc

    def delete_app(self, app_id: str, *, actor: dict | None = None) -> dict:
        """Delete an application and its bindings; the outbox row lists what was bound."""
        with self._tx(actor) as tx:
            doc = self._app(tx.db, app_id)
            bound = {t: [r[0] for r in tx.db.execute(
                "SELECT target_id FROM jc_bindings WHERE app_id = ? AND target_type = ? ORDER BY target_id",
                (app_id, t))] for t in TARGET_TYPES}
            tx.db.execute("DELETE FROM jc_apps WHERE id = ?", (app_id,))
            tx.change("application", app_id, "delete", {"name": doc["name"], "users": bound["user"],
                                                        "user_groups": bound["user_group"]})
            tx.event("application_delete", resource={"id": app_id, "type": "application", "name": doc["displayLabel"]})
        return doc

    # -- bindings (v2 graph associations) -------------------------------------------------------------

    def change_binding(self, app_id: str, op: str, target_type: str, target_id: str, *,
                       actor: dict | None = None) -> None:
        """Bind (`add`) or unbind (`remove`) a user or user group to an application."""
        if target_type not in TARGET_TYPES:
            raise BadRequestError("type must be user or user_group", details=[{"field": "type"}])
        if op not in ("add", "remove"):
            raise BadRequestError("op must be add or remove", details=[{"field": "op"}])
        with self._tx(actor) as tx:
            app = self._app(tx.db, app_id)
            target = (self._locked_user(tx.db, target_id) if target_type == "user"
                      else self._group(tx.db, target_id))
            key = (app_id, target_type, target_id)
            present = tx.db.execute("SELECT 1 FROM jc_bindings WHERE app_id = ? AND target_type = ? AND target_id = ?",
                                    key).fetchone()
            if op == "add":
                if present:
                    raise ConflictError("Already Exists")
                tx.db.execute("INSERT INTO jc_bindings(app_id, target_type, target_id) VALUES (?, ?, ?)", key)
            else:
                if not present:
                    raise NotFoundError("Association not found")
                tx.db.execute("DELETE FROM jc_bindings WHERE app_id = ? AND target_type = ? AND target_id = ?", key)
            tx.change("association", app_id, op,
                      {"application_id": app_id, "target_type": target_type, "target_id": target_id})
            tx.event("association_change",
                     resource={"id": app_id, "type": "application", "name": app["displayLabel"]},
                     association={"op": op, "connection": {
                         "from": {"type": "application", "object_id": app_id, "name": app["displayLabel"]},
                         "to": {"type": target_type, "object_id": target_id,
                                "name": target.get("username") or target.get("name")}}})

    def bound_ids(self, app_id: str, target_type: str, *, skip: int = 0, limit: int | None = None) -> list[str]:
        """Ids of users or groups bound directly to an application."""
        self.get_app(app_id)
        return [r[0] for r in self.store.read().execute(
            "SELECT target_id FROM jc_bindings WHERE app_id = ? AND target_type = ? ORDER BY target_id LIMIT ? OFFSET ?",
            (app_id, target_type, -1 if limit is None else limit, skip))]

    def group_app_ids(self, group_id: str, *, skip: int = 0, limit: int | None = None) -> list[str]:
        """Applications a group is bound to."""
        self.get_group(group_id)
        return [r[0] for r in self.store.read().execute(
            "SELECT app_id FROM jc_bindings WHERE target_type = 'user_group' AND target_id = ? "
            "ORDER BY app_id LIMIT ? OFFSET ?", (group_id, -1 if limit is None else limit, skip))]

    def user_app_ids(self, user_id: str, *, skip: int = 0, limit: int | None = None) -> list[str]:
        """Applications a user is bound to directly (not through groups)."""
        self.get_user(user_id)
        return [r[0] for r in self.store.read().execute(
            "SELECT app_id FROM jc_bindings WHERE target_type = 'user' AND target_id = ? "
            "ORDER BY app_id LIMIT ? OFFSET ?", (user_id, -1 if limit is None else limit, skip))]

    def bind_group_ids(self, group_id: str, op: str, app_id: str, *, actor: dict | None = None) -> None:
        """The group side of a binding (`/usergroups/{id}/associations`): same rows, same outbox."""
        self.get_group(group_id)
        self.change_binding(app_id, op, "user_group", group_id, actor=actor)

    def _apps_for_user(self, db, user_id: str) -> list[str]:
        return [r[0] for r in db.execute(
            "SELECT app_id FROM jc_bindings WHERE target_type = 'user' AND target_id = ? "
            "UNION SELECT b.app_id FROM jc_bindings b JOIN jc_memberships m ON m.group_id = b.target_id "
            "WHERE b.target_type = 'user_group' AND m.user_id = ? ORDER BY 1", (user_id, user_id))]

    def apps_for_user(self, user_id: str) -> list[str]:
        """Applications a user is bound to, directly or through a group."""
        return self._apps_for_user(self.store.read(), user_id)

    _BOUND_USERS = (
        "SELECT target_id AS uid FROM jc_bindings WHERE app_id = ?1 AND target_type = 'user' "
        "UNION SELECT m.user_id FROM jc_bindings b JOIN jc_memberships m ON m.group_id = b.target_id "
        "WHERE b.app_id = ?1 AND b.target_type = 'user_group'"
    )

    def app_user_paths(self, app_id: str, *, skip: int = 0, limit: int | None = None) -> list[dict]:
        """v2 `GraphObjectWithPaths` for users bound to an app: a direct path and/or one per bound group."""
        self.get_app(app_id)
        db = self.store.read()
        ids = [r[0] for r in db.execute(f"{self._BOUND_USERS} ORDER BY uid LIMIT ?2 OFFSET ?3",
                                        (app_id, -1 if limit is None else limit, skip))]
        out = []
        for uid in ids:
            paths = []
            if db.execute("SELECT 1 FROM jc_bindings WHERE app_id = ? AND target_type = 'user' AND target_id = ?",
                          (app_id, uid)).fetchone():
                paths.append([connection(uid, "user")])
            for (gid,) in db.execute(
                "SELECT b.target_id FROM jc_bindings b JOIN jc_memberships m ON m.group_id = b.target_id "
                "WHERE b.app_id = ? AND b.target_type = 'user_group' AND m.user_id = ? ORDER BY 1", (app_id, uid)):
                paths.append([connection(gid, "user_group"), connection(uid, "user")])
            out.append({"id": uid, "type": "user", "paths": paths, "compiledAttributes": None})
        return out

    def users_bound_to_app(self, app_id: str) -> list[dict]:
        """Full user documents (with `state`) of everyone bound to an app, directly or via a group, by id."""
        self.get_app(app_id)
        rows = self.store.read().execute(
            f"SELECT u.doc FROM jc_users u WHERE u.id IN ({self._BOUND_USERS}) ORDER BY u.id", (app_id,))
        return [loads(r[0]) for r in rows]

    def is_user_bound(self, app_id: str, user_id: str) -> bool:
        """True if the user is bound to the app directly or through any bound group."""
        return app_id in self.apps_for_user(user_id)

    def groups_bound_to_app(self, app_id: str) -> list[dict]:
        """Group documents bound to an app, each with a `members` list of user ids (for group push)."""
        self.get_app(app_id)
        db = self.store.read()
        out = []
        for row in db.execute(
            "SELECT g.doc FROM jc_bindings b JOIN jc_groups g ON g.id = b.target_id "
            "WHERE b.app_id = ? AND b.target_type = 'user_group' ORDER BY g.id", (app_id,)):
            doc = loads(row[0])
            doc["members"] = [r[0] for r in db.execute(
                "SELECT user_id FROM jc_memberships WHERE group_id = ? ORDER BY user_id", (doc["id"],))]
            out.append(doc)
        return out
