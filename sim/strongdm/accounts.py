"""StrongDM's data: users (`a-…`), roles (`r-…`), account attachments, suspension and `managed_by`."""

import sqlite3

from sim.scim.errors import NotFoundError
from sim.scim.errors import UniquenessError
from sim.scim.names import name_key
from sim.store import Store
from sim.store import count_or_none
from sim.store import dumps
from sim.store import loads
from sim.strongdm.activities import Activities
from sim.strongdm.activities import role_entity
from sim.strongdm.activities import user_entity
from sim.strongdm.admins import ADMIN_LEVELS
from sim.strongdm.admins import LastAdministratorError
from sim.strongdm.admins import is_active_admin

DDL = """
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    email_lower TEXT NOT NULL UNIQUE,
    external_id TEXT,
    managed_by TEXT NOT NULL DEFAULT '',
    suspended INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_external_id ON users(external_id);
CREATE TABLE IF NOT EXISTS roles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name_lower TEXT NOT NULL UNIQUE,
    managed_by TEXT NOT NULL DEFAULT '',
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attachments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    display TEXT,
    type TEXT,
    UNIQUE(account_id, role_id)
);
CREATE INDEX IF NOT EXISTS attachments_role ON attachments(role_id, seq);
"""

# Which sim.scim.names rule the key columns were computed with; another value (or none) means recompute.
KEY_RULE_META, KEY_RULE = "accounts.key_rule", "lower"

ADMIN_LEVELS_JSON = dumps(sorted(ADMIN_LEVELS))  # the levels as one json_each parameter


def _profile(user: dict) -> dict:
    """What `user updated` is about: everything but bookkeeping and the suspension (logged on its own)."""
    scim = {k: v for k, v in (user.get("scim") or {}).items() if k != "active"}
    skip = {"updated_at", "version", "suspended", "permission_level", "scim"}
    return {**{k: v for k, v in user.items() if k not in skip}, "scim": scim}


class Accounts:
    """Users, roles and their attachments, with the audit log written in the same transaction."""

    def __init__(self, store: Store, activities: Activities):
        self.store = store
        self.activities = activities
        store.schema(DDL)
        if store.get_meta(KEY_RULE_META) != KEY_RULE:
            self._rekey()

    def _rekey(self) -> None:
        """Recompute the lookup keys of a state file written under another rule (StrongDM used `casefold`)."""
        with self.store.write() as db:
            for table, key_column, field in (("users", "email_lower", "email"), ("roles", "name_lower", "name")):
                rows = db.execute(f"SELECT id, {key_column}, json_extract(doc, '$.{field}') FROM {table}").fetchall()
                for item_id, key, text in rows:
                    if name_key(text) != key:
                        db.execute(f"UPDATE {table} SET {key_column} = ? WHERE id = ?", (name_key(text), item_id))
            self.store.set_meta(KEY_RULE_META, KEY_RULE)

    # -- users ---------------------------------------------------------------------------------------

    def get_user(self, user_id: str) -> dict:
        """Return a user or raise StrongDM's 404."""
        user = self.find_user(user_id)
        if user is None:
            raise NotFoundError.for_id(user_id)
        return user

    def find_user(self, user_id: str) -> dict | None:
        """Return a user or None."""
        row = self.store.read().execute("SELECT doc FROM users WHERE id = ?", (user_id,)).fetchone()
        return None if row is None else loads(row["doc"])

    def find_user_by_email(self, email: str) -> dict | None:
        """Look a user up by email, ignoring case (an indexed lookup)."""
        row = self.store.read().execute("SELECT doc FROM users WHERE email_lower = ?", (name_key(email),)).fetchone()
        return None if row is None else loads(row["doc"])

    def count_users(self, *, search: str | None = None) -> int:
        """How many users the org has (matching `search`, as `list_users` does)."""
        where, args = self._search(search)
        return self.store.read().execute(f"SELECT COUNT(*) FROM users {where}", args).fetchone()[0]

    def list_users(self, offset: int = 0, limit: int = 100, *, search: str | None = None) -> list[dict]:
        """Users in creation order, a page at a time; `search` matches email or name."""
        where, args = self._search(search)
        rows = self.store.read().execute(f"SELECT doc FROM users {where} ORDER BY seq LIMIT ? OFFSET ?",
                                         (*args, limit, offset)).fetchall()
        return [loads(r["doc"]) for r in rows]

    def _search(self, search: str | None) -> tuple[str, tuple]:
        if not search:
            return "", ()
        like = f"%{name_key(search)}%"
        return "WHERE email_lower LIKE ? OR lower(doc) LIKE ?", (like, like)

    def all_users(self) -> list[dict]:
        """Every user, in creation order."""
        return [loads(r["doc"]) for r in self.store.read().execute("SELECT doc FROM users ORDER BY seq")]

    def user_rows(self) -> list[tuple[int, dict]]:
        """Every user as (seq, doc): the insertion sequence is the SDK API's keyset order."""
        return [(r[0], loads(r[1])) for r in self.store.read().execute("SELECT seq, doc FROM users ORDER BY seq")]

    def last_email_with_prefix(self, prefix: str) -> str | None:
        """The greatest lowercased email starting with `prefix` (LIKE wildcards in it stay wildcards)."""
        row = self.store.read().execute("SELECT email_lower FROM users WHERE email_lower LIKE ? "
                                        "ORDER BY email_lower DESC LIMIT 1", (prefix + "%",)).fetchone()
        return None if row is None else row[0]

    def create_user(self, user: dict, *, actor: dict | None = None) -> dict:
        """Insert a user (`user` has email, first_name, last_name, …); a taken email is a 409."""
        user = {"suspended": False, "permission_level": "user", "managed_by": "", "external_id": None, **user}
        with self.store.write() as db:
            user["id"] = "a-" + self.store.new_hex("account", 16)
            now = self.store.now()
            user.setdefault("created_at", now)
            user["updated_at"] = now
            user["version"] = 1
            try:
                db.execute(
                    "INSERT INTO users(id, email_lower, external_id, managed_by, suspended, doc) VALUES (?,?,?,?,?,?)",
                    (user["id"], name_key(user["email"]), user["external_id"], user["managed_by"],
                     int(user["suspended"]), dumps(user)))
            except sqlite3.IntegrityError:
                raise UniquenessError() from None
            self.activities.record(db, "user added", f"Added user {user['email']}.", [user_entity(user)], actor)
            if user["suspended"]:
                self.activities.record(db, "user suspended", f"Suspended user {user['email']}.",
                                       [user_entity(user)], actor)
        return user

    def update_user(self, user: dict, *, actor: dict | None = None) -> dict:
        """Write a changed user back, logging `user updated` / `user suspended` / `user reinstated`."""
        with self.store.write() as db:
            before = self.get_user(user["id"])
            if is_active_admin(before) and not is_active_admin(user):
                self._keep_an_admin(db, before, "suspend" if user.get("suspended") else "demote")
            user = dict(user)
            user["updated_at"] = self.store.now()
            user["version"] = before.get("version", 1) + 1
            try:
                db.execute(
                    "UPDATE users SET email_lower = ?, external_id = ?, managed_by = ?, suspended = ?, doc = ? WHERE id = ?",
                    (name_key(user["email"]), user.get("external_id"), user.get("managed_by", ""),
                     int(user["suspended"]), dumps(user), user["id"]))
            except sqlite3.IntegrityError:
                raise UniquenessError() from None
            entity = [user_entity(user)]
            if _profile(user) != _profile(before):
                self.activities.record(db, "user updated", f"Updated user {user['email']}.", entity, actor)
            if user["suspended"] and not before["suspended"]:
                self.activities.record(db, "user suspended", f"Suspended user {user['email']}.", entity, actor)
            elif before["suspended"] and not user["suspended"]:
                self.activities.record(db, "user reinstated", f"Reinstated user {user['email']}.", entity, actor)
        return user

    def delete_user(self, user_id: str, *, actor: dict | None = None) -> dict:
        """Delete a user and its attachments."""
        with self.store.write() as db:
            user = self.get_user(user_id)
            if is_active_admin(user):
                self._keep_an_admin(db, user, "delete")
            for role in self.roles_of(user_id):
                self.activities.record(db, "user deleted from role",
                                       f"Removed {user['email']} from role {role['name']}.",
                                       [user_entity(user), role_entity(role)], actor)
            db.execute("DELETE FROM users WHERE id = ?", (user_id,))
            self.activities.record(db, "user deleted", f"Deleted user {user['email']}.", [user_entity(user)], actor)
        return user

    def _keep_an_admin(self, db, user: dict, verb: str) -> None:
        """Refuse, inside the write transaction (two admins cannot remove each other at once), to lose the last one."""
        if not self._active_admins(db, excluding=user["id"]):
            raise LastAdministratorError(user, verb)

    def has_active_admin(self) -> bool:
        """Whether anyone can still administer the org (the launcher restores its admin when nobody can)."""
        return self._active_admins(self.store.read()) > 0

    def _active_admins(self, db, *, excluding: str = "") -> int:
        return db.execute("SELECT COUNT(*) FROM users WHERE suspended = 0 AND id != ? AND json_extract(doc, "
                          "'$.permission_level') IN (SELECT value FROM json_each(?))",
                          (excluding, ADMIN_LEVELS_JSON)).fetchone()[0]

    # -- roles ---------------------------------------------------------------------------------------

    def get_role(self, role_id: str) -> dict:
        """Return a role or raise StrongDM's 404."""
        role = self.find_role(role_id)
        if role is None:
            raise NotFoundError.for_id(role_id)
        return role

    def find_role(self, role_id: str) -> dict | None:
        """Return a role or None."""
        row = self.store.read().execute("SELECT doc FROM roles WHERE id = ?", (role_id,)).fetchone()
        return None if row is None else loads(row["doc"])

    def find_role_by_name(self, name: str) -> dict | None:
        """Look a role up by name, ignoring case."""
        row = self.store.read().execute("SELECT doc FROM roles WHERE name_lower = ?", (name_key(name),)).fetchone()
        return None if row is None else loads(row["doc"])

    def count_roles(self) -> int:
        """How many roles the org has."""
        return self.store.read().execute("SELECT COUNT(*) FROM roles").fetchone()[0]

    def list_roles(self, offset: int = 0, limit: int = 100) -> list[dict]:
        """Roles in creation order, a page at a time."""
        rows = self.store.read().execute("SELECT doc FROM roles ORDER BY seq LIMIT ? OFFSET ?", (limit, offset))
        return [loads(r["doc"]) for r in rows]

    def all_roles(self) -> list[dict]:
        """Every role, in creation order."""
        return [loads(r["doc"]) for r in self.store.read().execute("SELECT doc FROM roles ORDER BY seq")]

    def role_rows(self) -> list[tuple[int, dict]]:
        """Every role as (seq, doc): the insertion sequence is the SDK API's keyset order."""
        return [(r[0], loads(r[1])) for r in self.store.read().execute("SELECT seq, doc FROM roles ORDER BY seq")]

    def create_role(self, role: dict, member_ids: list[str], *, actor: dict | None = None) -> dict:
        """Insert a role and attach its members; a taken name is a 409."""
        role = dict(role)
        role.setdefault("managed_by", "")
        with self.store.write() as db:
            role["id"] = "r-" + self.store.new_hex("role", 16)
            now = self.store.now()
            role["created_at"] = role["updated_at"] = now
            role["version"] = 1
            try:
                db.execute("INSERT INTO roles(id, name_lower, managed_by, doc) VALUES (?,?,?,?)",
                           (role["id"], name_key(role["name"]), role["managed_by"], dumps(role)))
            except sqlite3.IntegrityError:
                raise UniquenessError() from None
            self.activities.record(db, "role added", f"Added role {role['name']}.", [role_entity(role)], actor)
            self._attach(db, role, member_ids, actor)
        return role

    def update_role(self, role: dict, member_ids: list[str] | None = None, *, actor: dict | None = None) -> dict:
        """Rename or re-describe a role, and optionally set its members to exactly `member_ids`."""
        with self.store.write() as db:
            before = self.get_role(role["id"])
            role = dict(role)
            role["updated_at"] = self.store.now()
            role["version"] = before.get("version", 1) + 1
            try:
                db.execute("UPDATE roles SET name_lower = ?, managed_by = ?, doc = ? WHERE id = ?",
                           (name_key(role["name"]), role.get("managed_by", ""), dumps(role), role["id"]))
            except sqlite3.IntegrityError:
                raise UniquenessError() from None
            if role["name"] != before["name"]:
                self.activities.record(db, "role updated", f"Renamed role {before['name']} to {role['name']}.",
                                       [role_entity(role)], actor)
            if member_ids is not None:
                current = self.member_ids(role["id"])
                wanted = list(dict.fromkeys(member_ids))
                keep, had = set(wanted), set(current)
                self._detach(db, role, [m for m in current if m not in keep], actor)
                self._attach(db, role, [m for m in wanted if m not in had], actor)
        return role

    def delete_role(self, role_id: str, *, actor: dict | None = None) -> dict:
        """Delete a role and its attachments."""
        with self.store.write() as db:
            role = self.get_role(role_id)
            db.execute("DELETE FROM roles WHERE id = ?", (role_id,))
            self.activities.record(db, "role deleted", f"Deleted role {role['name']}.", [role_entity(role)], actor)
        return role

    # -- attachments ---------------------------------------------------------------------------------

    def member_ids(self, role_id: str) -> list[str]:
        """Account ids attached to a role, in attachment order."""
        rows = self.store.read().execute(
            "SELECT account_id FROM attachments WHERE role_id = ? ORDER BY seq", (role_id,))
        return [r[0] for r in rows]

    def members(self, role_id: str, *, offset: int = 0, limit: int = -1) -> list[tuple[dict, str | None, str | None]]:
        """(user, display, type) for each account attached to a role, in attachment order (a page if `limit`)."""
        rows = self.store.read().execute(
            "SELECT u.doc, a.display, a.type FROM attachments a JOIN users u ON u.id = a.account_id "
            "WHERE a.role_id = ? ORDER BY a.seq LIMIT ? OFFSET ?", (role_id, limit, offset))
        return [(loads(r[0]), r[1], r[2]) for r in rows]

    def count_members(self, role_id: str) -> int:
        """How many accounts are attached to a role."""
        return self.store.read().execute("SELECT COUNT(*) FROM attachments WHERE role_id = ?", (role_id,)).fetchone()[0]

    def roles_of(self, account_id: str) -> list[dict]:
        """Roles a user is attached to."""
        rows = self.store.read().execute(
            "SELECT r.doc FROM attachments a JOIN roles r ON r.id = a.role_id WHERE a.account_id = ? ORDER BY a.seq",
            (account_id,))
        return [loads(r[0]) for r in rows]

    def list_attachments(self, offset: int = 0, limit: int = 100) -> list[dict]:
        """Account attachments `{id, account_id, role_id}`."""
        rows = self.store.read().execute(
            "SELECT id, account_id, role_id FROM attachments ORDER BY seq LIMIT ? OFFSET ?", (limit, offset))
        return [dict(r) for r in rows]

    def attachment_rows(self) -> list[tuple[int, dict]]:
        """Every attachment as (seq, {id, account_id, role_id}), in attachment order."""
        rows = self.store.read().execute("SELECT seq, id, account_id, role_id FROM attachments ORDER BY seq")
        return [(r[0], {"id": r[1], "account_id": r[2], "role_id": r[3]}) for r in rows]

    def find_attachment(self, attachment_id: str = "", account_id: str = "", role_id: str = "") -> dict | None:
        """One attachment `{id, account_id, role_id}` by id, or by (account, role); None when there is none."""
        if attachment_id:
            query, args = "SELECT id, account_id, role_id FROM attachments WHERE id = ?", (attachment_id,)
        else:
            query = "SELECT id, account_id, role_id FROM attachments WHERE account_id = ? AND role_id = ?"
            args = (account_id, role_id)
        row = self.store.read().execute(query, args).fetchone()
        return None if row is None else dict(row)

    def count_attachments(self) -> int:
        """How many account attachments exist."""
        return self.store.read().execute("SELECT COUNT(*) FROM attachments").fetchone()[0]

    def add_members(self, role_id: str, account_ids: list[str], *, actor: dict | None = None) -> list[str]:
        """Attach accounts to a role; returns the ids newly attached."""
        with self.store.write() as db:
            role = self.get_role(role_id)
            current = set(self.member_ids(role_id))
            new = [a for a in dict.fromkeys(account_ids) if a not in current]
            self._attach(db, role, new, actor)
            if new:
                self._touch(db, role)
        return new

    def remove_members(self, role_id: str, account_ids: list[str], *, actor: dict | None = None) -> list[str]:
        """Detach accounts from a role; returns the ids actually detached."""
        with self.store.write() as db:
            role = self.get_role(role_id)
            current = set(self.member_ids(role_id))
            gone = [a for a in dict.fromkeys(account_ids) if a in current]
            self._detach(db, role, gone, actor)
            if gone:
                self._touch(db, role)
        return gone

    def set_member_labels(self, role_id: str, labels: dict[str, tuple]) -> int:
        """Remember the `display` and `type` a client sent for members (echoed back); returns rows changed."""
        with self.store.write() as db:
            changed = 0
            for account_id, (display, kind) in labels.items():
                changed += db.execute(
                    "UPDATE attachments SET display = ?, type = ? WHERE role_id = ? AND account_id = ? "
                    "AND (display IS NOT ? OR type IS NOT ?)", (display, kind, role_id, account_id, display, kind),
                ).rowcount
            if changed:
                self._touch(db, self.get_role(role_id))
        return changed

    def _touch(self, db, role: dict) -> None:
        """A membership change is a change of the role: new version (ETag) and lastModified."""
        role = {**role, "updated_at": self.store.now(), "version": role.get("version", 1) + 1}
        db.execute("UPDATE roles SET doc = ? WHERE id = ?", (dumps(role), role["id"]))

    def _attach(self, db, role: dict, account_ids: list[str], actor) -> None:
        for account_id in account_ids:
            user = self.find_user(account_id)
            if user is None:
                continue
            attachment_id = "aa-" + self.store.new_hex("attachment", 16)
            db.execute("INSERT OR IGNORE INTO attachments(id, account_id, role_id) VALUES (?,?,?)",
                       (attachment_id, account_id, role["id"]))
            self.activities.record(db, "user added to role", f"Added {user['email']} to role {role['name']}.",
                                   [user_entity(user), role_entity(role)], actor)

    def _detach(self, db, role: dict, account_ids: list[str], actor) -> None:
        for account_id in account_ids:
            user = self.find_user(account_id)
            db.execute("DELETE FROM attachments WHERE account_id = ? AND role_id = ?", (account_id, role["id"]))
            if user is not None:
                self.activities.record(db, "user deleted from role",
                                       f"Removed {user['email']} from role {role['name']}.",
                                       [user_entity(user), role_entity(role)], actor)


def census(db: sqlite3.Connection) -> dict:
    """User, role and attachment counts over a read-only connection (`sim status`); None for a missing table."""
    return {
        "users": count_or_none(db, "SELECT COUNT(*) FROM users"),
        "scim_managed_users": count_or_none(db, "SELECT COUNT(*) FROM users WHERE managed_by != ''"),
        "suspended_users": count_or_none(db, "SELECT COUNT(*) FROM users WHERE suspended = 1"),
        "roles": count_or_none(db, "SELECT COUNT(*) FROM roles"),
        "attachments": count_or_none(db, "SELECT COUNT(*) FROM attachments"),
    }
