"""Directory SSO applications and their bindings (v2 graph associations) to users and user groups."""

from sim.jumpcloud.directory import catalog
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.base import diff
from sim.jumpcloud.directory.schema import APP_SPACE
from sim.jumpcloud.directory.schema import BOUND_USERS
from sim.jumpcloud.directory.schema import TARGET_TYPES
from sim.jumpcloud.directory.schema import check_id
from sim.jumpcloud.directory.shapes import app_defaults
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ConflictError
from sim.jumpcloud.errors import NotFoundError
from sim.store import dumps
from sim.store import loads


def connection(object_id: str, object_type: str) -> dict:
    """A v2 GraphConnection to one object."""
    return {"attributes": None, "to": {"attributes": None, "id": object_id, "type": object_type}}


class DirectoryBindings:
    """Directory mixin: applications and what is bound to them."""

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

    def set_group_bindings(self, app_id: str, shown, wanted, *, actor: dict | None = None) -> tuple[int, int]:
        """Among the groups `shown`, bind the `wanted` ones and unbind the rest, in one transaction."""
        with self.store.write():
            bound = set(self.bound_ids(app_id, "user_group"))
            added = sorted(g for g in shown if g in wanted and g not in bound)
            removed = sorted(g for g in shown if g not in wanted and g in bound)
            for group_id in added:
                self.change_binding(app_id, "add", "user_group", group_id, actor=actor)
            for group_id in removed:
                self.change_binding(app_id, "remove", "user_group", group_id, actor=actor)
        return len(added), len(removed)

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

    def app_user_paths(self, app_id: str, *, skip: int = 0, limit: int | None = None) -> list[dict]:
        """v2 `GraphObjectWithPaths` for users bound to an app: a direct path and/or one per bound group."""
        self.get_app(app_id)
        db = self.store.read()
        ids = [r[0] for r in db.execute(f"{BOUND_USERS} ORDER BY uid LIMIT ?2 OFFSET ?3",
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
            f"SELECT u.doc FROM jc_users u WHERE u.id IN ({BOUND_USERS}) ORDER BY u.id", (app_id,))
        return [loads(r[0]) for r in rows]

    def is_user_bound(self, app_id: str, user_id: str) -> bool:
        """True if the user is bound to the app directly or through any bound group (two indexed probes)."""
        return self.store.read().execute(
            "SELECT 1 FROM jc_bindings WHERE app_id = ?1 AND target_type = 'user' AND target_id = ?2 "
            "UNION ALL SELECT 1 FROM jc_bindings b JOIN jc_memberships m ON m.group_id = b.target_id "
            "WHERE b.app_id = ?1 AND b.target_type = 'user_group' AND m.user_id = ?2 LIMIT 1",
            (app_id, user_id)).fetchone() is not None

    def is_group_bound(self, app_id: str, group_id: str) -> bool:
        """True if the group is bound to the app."""
        return self.store.read().execute(
            "SELECT 1 FROM jc_bindings WHERE app_id = ? AND target_type = 'user_group' AND target_id = ?",
            (app_id, group_id)).fetchone() is not None

    def bound_user_ids(self, app_id: str) -> list[str]:
        """Ids of users bound to an app directly or through a bound group, in id order (none for an unknown app)."""
        return [r[0] for r in self.store.read().execute(f"{BOUND_USERS} ORDER BY uid", (app_id,))]

    def bound_group_ids(self, app_id: str) -> list[str]:
        """Ids of the groups bound to an app, in id order (none for an unknown app)."""
        return [r[0] for r in self.store.read().execute(
            "SELECT target_id FROM jc_bindings WHERE app_id = ? AND target_type = 'user_group' ORDER BY target_id",
            (app_id,))]

    def bound_groups_of_user(self, app_id: str, user_id: str) -> list[str]:
        """Ids of the groups bound to an app that the user belongs to, in id order."""
        return [r[0] for r in self.store.read().execute(
            "SELECT b.target_id FROM jc_bindings b JOIN jc_memberships m ON m.group_id = b.target_id "
            "WHERE b.app_id = ? AND b.target_type = 'user_group' AND m.user_id = ? ORDER BY 1", (app_id, user_id))]

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
