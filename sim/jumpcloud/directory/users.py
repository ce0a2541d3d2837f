"""Directory systemusers: read, list, create, update, state changes and delete (with manager cascade)."""

import sqlite3

from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.base import Transaction
from sim.jumpcloud.directory.base import diff
from sim.jumpcloud.directory.schema import SECRET_FIELDS
from sim.jumpcloud.directory.schema import USER_SPACE
from sim.jumpcloud.directory.schema import check_id
from sim.jumpcloud.directory.shapes import state_flags
from sim.jumpcloud.directory.shapes import user_defaults
from sim.jumpcloud.errors import AlreadyExistsError
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ConflictError
from sim.jumpcloud.errors import NotFoundError
from sim.jumpcloud.insights import user_state_events
from sim.scim.names import name_key
from sim.store import dumps
from sim.store import loads


class DirectoryUsers:
    """Directory mixin: systemusers."""

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
        row = self.store.read().execute(f"SELECT doc FROM jc_users WHERE {col} = ?", (name_key(str(value)),)).fetchone()
        return loads(row["doc"]) if row else None

    def user_count(self) -> int:
        """How many systemusers exist."""
        return self.store.read().execute("SELECT COUNT(*) FROM jc_users").fetchone()[0]

    def list_users(self, query: q.Query) -> tuple[int, list[dict]]:
        """(totalCount, page of users) for a parsed v1 query."""
        return self._page("jc_users", USER_SPACE, query, "_id")

    def _check_user_refs(self, db, doc: dict, exclude_id: str | None) -> None:
        clashes = []
        for col, key in (("username_lc", "username"), ("email_lc", "email")):
            row = db.execute(f"SELECT id FROM jc_users WHERE {col} = ?", (name_key(doc[key]),)).fetchone()
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
        values = (name_key(doc["username"]), name_key(doc["email"]), doc.get("employeeIdentifier") or None,
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
            tx.event("user_create", resource={"id": doc["_id"], "type": "systemuser", "username": doc["username"]},
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

    def _record_user_update(self, tx: Transaction, doc: dict, changes: list[dict]) -> None:
        tx.change("user", doc["_id"], "update", {"fields": [c["field"] for c in changes], "state": doc["state"]})
        for event_type, event_changes in user_state_events(changes):
            tx.event(event_type, resource={"id": doc["_id"], "type": "systemuser", "username": doc["username"]},
                     changes=event_changes)

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
            tx.event("user_delete", resource={"id": user_id, "type": "systemuser", "username": doc["username"]})
        return doc
