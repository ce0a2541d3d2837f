"""StrongDM users (`a-…`): the only SQL on the `users` table, with suspension, `managed_by` and the last-admin guard."""

import sqlite3

from sim.scim.errors import NotFoundError
from sim.scim.errors import UniquenessError
from sim.scim.names import name_key
from sim.store import Store
from sim.store import count_or_none
from sim.store import dumps
from sim.store import loads
from sim.strongdm.activities import Activities
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
"""

ADMIN_LEVELS_JSON = dumps(sorted(ADMIN_LEVELS))  # the levels as one json_each parameter


def _profile(user: dict) -> dict:
    """What `user updated` is about: everything but bookkeeping and the suspension (logged on its own)."""
    scim = {k: v for k, v in (user.get("scim") or {}).items() if k != "active"}
    skip = {"updated_at", "version", "suspended", "permission_level", "scim"}
    return {**{k: v for k, v in user.items() if k not in skip}, "scim": scim}


class UserTable:
    """The Accounts mixin for users (needs `self.store`, `self.activities`, and `self.account_leaving(db, user, actor)`)."""

    store: Store
    activities: Activities

    def rekey_users(self, db) -> None:
        """Recompute the email keys under the current sim.scim.names rule (StrongDM used `casefold`)."""
        for item_id, key, text in db.execute("SELECT id, email_lower, json_extract(doc, '$.email') FROM users").fetchall():
            if name_key(text) != key:
                db.execute("UPDATE users SET email_lower = ? WHERE id = ?", (name_key(text), item_id))

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

    def users_by_ids(self, user_ids) -> dict[str, dict]:
        """{id: user} for the ids that exist, in one query (a page's members, a PATCH's new members)."""
        if not user_ids:
            return {}
        rows = self.store.read().execute("SELECT id, doc FROM users WHERE id IN (SELECT value FROM json_each(?))",
                                         (dumps(list(user_ids)),))
        return {r[0]: loads(r[1]) for r in rows}

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
            self.account_leaving(db, user, actor)
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


def census(db: sqlite3.Connection) -> dict:
    """User counts over a read-only connection (`sim status`); None for a missing table."""
    return {
        "users": count_or_none(db, "SELECT COUNT(*) FROM users"),
        "scim_managed_users": count_or_none(db, "SELECT COUNT(*) FROM users WHERE managed_by != ''"),
        "suspended_users": count_or_none(db, "SELECT COUNT(*) FROM users WHERE suspended = 1"),
    }
