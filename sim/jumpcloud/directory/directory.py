"""The directory: systemusers, user groups, STATIC memberships, SSO applications and their bindings.

Every mutation writes, in its own transaction, a row to the `changes` outbox and a Directory
Insights event; in-process subscribers are called after the commit (the SCIM pusher wakes on them).
`Directory` is assembled here from its parts: base.py (transactions, outbox, listeners), users.py,
groups.py (groups, memberships) and bindings.py (applications, bindings), over schema.py (tables,
query spaces, ids); seeding stays here.
"""

import threading

from sim.jumpcloud.directory import catalog
from sim.jumpcloud.directory import dynamic
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.base import Outbox
from sim.jumpcloud.directory.bindings import DirectoryBindings
from sim.jumpcloud.directory.dynamic import DirectoryDynamic
from sim.jumpcloud.directory.groups import DirectoryGroups
from sim.jumpcloud.directory.schema import DDL
from sim.jumpcloud.directory.schema import USER_INDEXES
from sim.jumpcloud.directory.shapes import app_defaults
from sim.jumpcloud.directory.shapes import group_defaults
from sim.jumpcloud.directory.shapes import state_flags
from sim.jumpcloud.directory.shapes import user_defaults
from sim.jumpcloud.directory.users import DirectoryUsers
from sim.jumpcloud.insights import Insights
from sim.store import Store
from sim.store import dumps
from sim.store import loads


def counts(db) -> dict:
    """How many users, user groups, memberships and applications a state holds (reads only: `sim status`)."""
    def count(table: str) -> int:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    return {"users": count("jc_users"), "user_groups": count("jc_groups"), "memberships": count("jc_memberships"),
            "applications": count("jc_apps")}


def app_labels(db) -> dict[str, str]:
    """Application id -> displayLabel (reads only: `sim status`)."""
    return dict(db.execute("SELECT id, display_label FROM jc_apps").fetchall())


class Directory(DirectoryDynamic, Outbox, DirectoryUsers, DirectoryGroups, DirectoryBindings):
    """Directory rules over one store; all ids are 24-hex strings."""

    def __init__(self, store: Store, insights: Insights, org_id_source=None):
        self.store = store
        self.insights = insights
        self._org_id = org_id_source or (lambda: store.get_meta("jumpcloud.org_id"))
        self._listeners: list = []
        self._listeners_lock = threading.Lock()
        store.schema(DDL)
        store.schema(dynamic.DDL)

    # Paging for list_users, list_groups and list_apps (their parts call it through self).
    def _page(self, table: str, space: q.Space, query: q.Query, id_key: str) -> tuple[int, list[dict]]:
        db = self.store.read()
        db.create_function("jc_regexp", 2, q.regexp, deterministic=True)
        where = query.where_sql()
        with self.store.snapshot() as snap, q.bounded(snap):  # a search's CPU is bounded (query.bounded)
            total = snap.execute(f"SELECT COUNT(*) FROM {table}{where}", query.params).fetchone()[0]
            rows = [] if query.limit == 0 else snap.execute(
                f"SELECT doc FROM {table}{where}{query.order_sql(space)} LIMIT ? OFFSET ?",
                [*query.params, query.limit, query.skip],
            ).fetchall()
        return total, [q.project(loads(r["doc"]), query.fields, query.exclude, id_key) for r in rows]

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
            self.store.raise_counter("unix_uid", len(order))
