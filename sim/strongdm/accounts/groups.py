"""StrongDM Groups (orgs created on or after 2 October 2025): groups of accounts, their account groups, the roles
granted to groups (`grouprole-…`) and the *History records of all three. The only SQL on `group_roles` and
`group_history`. Sources: StrongDM docs "changelog/groups-migration", "admin/principals/groups"; the `strongdm`
SDK's models.py `Group`, `AccountGroup`, `GroupRole`, `GroupHistory`, `AccountGroupHistory`, `GroupRoleHistory`."""

import sqlite3

from sim.scim.errors import NotFoundError
from sim.scim.errors import UniquenessError
from sim.store import Store
from sim.store import count_or_none
from sim.store import dumps
from sim.store import loads
from sim.strongdm.accounts.sets import GROUPS
from sim.strongdm.accounts.sets import Journal
from sim.strongdm.accounts.sets import MemberSet

DDL = """
CREATE TABLE IF NOT EXISTS group_roles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    UNIQUE(group_id, role_id)
);
CREATE INDEX IF NOT EXISTS group_roles_role ON group_roles(role_id, seq);
CREATE TABLE IF NOT EXISTS group_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    deleted_at TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS group_history_kind ON group_history(kind, seq);
CREATE INDEX IF NOT EXISTS group_history_group ON group_history(group_id, seq);
"""

HISTORY_KINDS = ("group", "accountgroup", "grouprole")

# `source` is "a read only field for what service manages this group, e.g. StrongDM, Okta, Azure" (SDK Group).
SOURCES = {"": "StrongDM", "generic": "Generic", "okta": "Okta", "azure": "Azure"}


def group_source(managed_by: str) -> str:
    """The SDK's `Group.source` for a group managed by `managed_by` (a SCIM provider path, or '' for StrongDM)."""
    return SOURCES.get(managed_by or "", managed_by.title())


def public_group(group: dict) -> dict:
    """What a GroupHistory record holds: the SDK's Group fields."""
    return {"id": group["id"], "name": group["name"], "description": group.get("description", ""),
            "source": group_source(group.get("managed_by", "")), "tags": dict(group.get("tags") or {})}


class GroupHistory:
    """*History records: every create, update and delete of a group, account group or group role is one row.

    The SDK has no ActivityVerb for groups, so these changes write no audit activity (see README)."""

    def __init__(self, store: Store):
        self.store = store

    def record(self, db, kind: str, item: dict, group_id: str, *, deleted: bool = False) -> None:
        """Append one record inside the open transaction `db`."""
        now = self.store.now()
        db.execute("INSERT INTO group_history(kind, item_id, group_id, timestamp, deleted_at, doc) VALUES (?,?,?,?,?,?)",
                   (kind, item["id"], group_id, now, now if deleted else None, dumps(item)))

    def grants_cascading(self, db, group_id: str) -> list[dict]:
        """The role grants a group's deletion takes with it (read before the cascade runs)."""
        return [dict(r) for r in db.execute("SELECT id, group_id, role_id FROM group_roles WHERE group_id = ? "
                                            "ORDER BY seq", (group_id,))]

    def rows(self, kind: str) -> list[tuple[int, dict]]:
        """Every record of one kind as (seq, {timestamp, deleted_at, <kind>: item}), oldest first."""
        if kind not in HISTORY_KINDS:
            raise ValueError(f"unknown history kind {kind!r}")
        rows = self.store.read().execute("SELECT seq, timestamp, deleted_at, doc FROM group_history WHERE kind = ? "
                                         "ORDER BY seq", (kind,))
        return [(r[0], {"timestamp": r[1], "deleted_at": r[2], "item": loads(r[3])}) for r in rows]

    def of_group(self, group_id: str, limit: int = 50) -> list[dict]:
        """The newest records about one group (its own changes, its members', its roles'), newest first."""
        rows = self.store.read().execute("SELECT kind, timestamp, deleted_at, doc FROM group_history WHERE group_id = ? "
                                         "ORDER BY seq DESC LIMIT ?", (group_id, limit))
        return [{"kind": r[0], "timestamp": r[1], "deleted_at": r[2], "item": loads(r[3])} for r in rows]


class GroupJournal(Journal):
    """Group changes as *History rows (no audit verbs exist for them)."""

    def __init__(self, history: GroupHistory):
        self.history = history

    def created(self, db, item: dict, actor) -> None:
        self.history.record(db, "group", public_group(item), item["id"])

    def updated(self, db, before: dict, item: dict, actor) -> None:
        if public_group(before) != public_group(item):
            self.history.record(db, "group", public_group(item), item["id"])

    def deleted(self, db, item: dict, links: list[dict], actor) -> None:
        """The group, its account groups and its role grants all end (the rows cascade, the history stays)."""
        for link in links:
            self.history.record(db, "accountgroup", {**link, "group_id": item["id"]}, item["id"], deleted=True)
        for grant in self.history.grants_cascading(db, item["id"]):
            self.history.record(db, "grouprole", grant, item["id"], deleted=True)
        self.history.record(db, "group", public_group(item), item["id"], deleted=True)

    def linked(self, db, user: dict, item: dict, link_id: str, actor) -> None:
        self.history.record(db, "accountgroup", {"id": link_id, "account_id": user["id"], "group_id": item["id"]},
                            item["id"])

    def unlinked(self, db, user: dict | None, item: dict, link_id: str, actor) -> None:
        account_id = user["id"] if user else ""
        self.history.record(db, "accountgroup", {"id": link_id, "account_id": account_id, "group_id": item["id"]},
                            item["id"], deleted=True)


class GroupTable:
    """The Accounts mixin for groups and the roles granted to them (`self.group_set` holds the groups)."""

    store: Store
    group_set: MemberSet
    group_history: GroupHistory

    def init_groups(self) -> None:
        """Build the group set and its history (call once the users mixin can answer `users_by_ids`)."""
        self.store.schema(DDL)
        self.group_history = GroupHistory(self.store)
        self.group_set = MemberSet(self.store, GROUPS, GroupJournal(self.group_history), self.users_by_ids)

    def groups_of(self, account_id: str) -> list[dict]:
        """The groups an account is in."""
        return self.group_set.sets_of(account_id)

    # -- group roles ---------------------------------------------------------------------------------

    def grant_role(self, group_id: str, role_id: str, *, actor: dict | None = None) -> dict:
        """Assign a role to a group (`GroupRole`); a grant that exists already is a 409."""
        with self.store.write() as db:
            self.group_set.get(group_id)
            self.get_role(role_id)
            grant = {"id": "grouprole-" + self.store.new_hex("grouprole", 16), "group_id": group_id, "role_id": role_id}
            try:
                db.execute("INSERT INTO group_roles(id, group_id, role_id) VALUES (?,?,?)",
                           (grant["id"], group_id, role_id))
            except sqlite3.IntegrityError:
                raise UniquenessError(f"role {role_id} is already assigned to group {group_id}") from None
            self.group_history.record(db, "grouprole", grant, group_id)
        return grant

    def revoke_role(self, grant_id: str, *, actor: dict | None = None) -> dict:
        """Unassign a role from a group by the grant's id; an unknown id is a 404."""
        with self.store.write() as db:
            grant = self.find_grant(grant_id)
            if grant is None:
                raise NotFoundError.for_id(grant_id)
            db.execute("DELETE FROM group_roles WHERE id = ?", (grant_id,))
            self.group_history.record(db, "grouprole", grant, grant["group_id"], deleted=True)
        return grant

    def find_grant(self, grant_id: str = "", group_id: str = "", role_id: str = "") -> dict | None:
        """One grant `{id, group_id, role_id}` by id, or by (group, role); None when there is none."""
        if grant_id:
            query, args = "SELECT id, group_id, role_id FROM group_roles WHERE id = ?", (grant_id,)
        else:
            query, args = "SELECT id, group_id, role_id FROM group_roles WHERE group_id = ? AND role_id = ?", (group_id, role_id)
        row = self.store.read().execute(query, args).fetchone()
        return None if row is None else dict(row)

    def grant_rows(self) -> list[tuple[int, dict]]:
        """Every grant as (seq, {id, group_id, role_id}), oldest first (the SDK API's keyset order)."""
        rows = self.store.read().execute("SELECT seq, id, group_id, role_id FROM group_roles ORDER BY seq")
        return [(r[0], {"id": r[1], "group_id": r[2], "role_id": r[3]}) for r in rows]

    def grants_of_groups(self, group_ids: list[str]) -> dict[str, list[dict]]:
        """{group id: its grants, oldest first} for a page of groups, in one query."""
        rows = self.store.read().execute(
            "SELECT id, group_id, role_id FROM group_roles WHERE group_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY seq", (dumps(list(group_ids)),))
        out = {group_id: [] for group_id in group_ids}
        for row in rows:
            out[row[1]].append(dict(row))
        return out

    def grants_of_roles(self, role_ids: list[str]) -> dict[str, list[dict]]:
        """{role id: the grants of it, oldest first} for a page of roles, in one query."""
        rows = self.store.read().execute(
            "SELECT id, group_id, role_id FROM group_roles WHERE role_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY seq", (dumps(list(role_ids)),))
        out = {role_id: [] for role_id in role_ids}
        for row in rows:
            out[row[2]].append(dict(row))
        return out

    def effective_roles(self, account_id: str) -> list[dict]:
        """An account's effective roles with where each comes from: `{role, groups (that grant it), direct}`, in
        the order of `effective_role_ids` (the Admin UI's user page)."""
        direct = {r["id"]: r for r in self.roles_of(account_id)}
        groups = {g["id"]: g for g in self.groups_of(account_id)}
        via: dict[str, list[dict]] = {}
        for group_id, grants in self.grants_of_groups(list(groups)).items():
            for grant in grants:
                via.setdefault(grant["role_id"], []).append(groups[group_id])
        out = []
        for role_id in self.effective_role_ids(account_id):
            role = direct.get(role_id) or self.find_role(role_id)
            if role is not None:
                out.append({"role": role, "groups": via.get(role_id, []), "direct": role_id in direct})
        return out

    def effective_role_ids(self, account_id: str) -> list[str]:
        """An account's effective roles: the roles granted to its groups ∪ the roles attached directly."""
        direct = [r["id"] for r in self.roles_of(account_id)]
        group_ids = [g["id"] for g in self.groups_of(account_id)]
        granted = [g["role_id"] for grants in self.grants_of_groups(group_ids).values() for g in grants]
        return list(dict.fromkeys(direct + granted))


def census(db: sqlite3.Connection) -> dict:
    """The group-role grant count over a read-only connection (`sim status`); None for a missing table."""
    return {"group_roles": count_or_none(db, "SELECT COUNT(*) FROM group_roles")}
