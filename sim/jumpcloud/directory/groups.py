"""Directory user groups and their STATIC memberships."""

from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.base import diff
from sim.jumpcloud.directory.schema import GROUP_SPACE
from sim.jumpcloud.directory.schema import check_id
from sim.jumpcloud.directory.shapes import group_defaults
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ConflictError
from sim.jumpcloud.errors import NotFoundError
from sim.store import dumps
from sim.store import loads


class DirectoryGroups:
    """Directory mixin: user groups and memberships."""

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

    def group_ids(self) -> list[str]:
        """Every user group's id, in id order."""
        return [r[0] for r in self.store.read().execute("SELECT id FROM jc_groups ORDER BY id")]

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
            if group.get("membershipMethod") == "DYNAMIC_AUTOMATED":
                # Assumed: the Console offers no member editing on an automated group; its query decides.
                raise BadRequestError("the members of a DYNAMIC_AUTOMATED group follow its memberQuery",
                                      details=[{"field": "membershipMethod"}])
            present = tx.db.execute("SELECT 1 FROM jc_memberships WHERE group_id = ? AND user_id = ?",
                                    (group_id, user_id)).fetchone()
            if op == "add" and present:
                raise ConflictError("Already Exists")
            if op == "remove" and not present:
                raise NotFoundError("User is not a member of this group")
            if op not in ("add", "remove"):
                raise BadRequestError("op must be add or remove", details=[{"field": "op"}])
            self._write_membership(tx, group, op, user)

    def _write_membership(self, tx, group: dict, op: str, user: dict) -> None:
        """Add or remove one membership row with its outbox row and DI event (the caller checked it applies)."""
        group_id, user_id = group["id"], user["_id"]
        if op == "add":
            tx.db.execute("INSERT INTO jc_memberships(group_id, user_id) VALUES (?, ?)", (group_id, user_id))
        else:
            tx.db.execute("DELETE FROM jc_memberships WHERE group_id = ? AND user_id = ?", (group_id, user_id))
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

    def member_ids(self, group_id: str) -> list[str]:
        """Members of a group by user id, none for an unknown group (the pusher asks after deletes too)."""
        return [r[0] for r in self.store.read().execute(
            "SELECT user_id FROM jc_memberships WHERE group_id = ? ORDER BY user_id", (group_id,))]
