"""Named sets of accounts: StrongDM roles (`r-…`, linked by attachments `aa-…`) and groups (`group-…`, linked
by account groups `accountgroup-…`). The only SQL on the `roles`, `attachments`, `groups` and `account_groups`
tables; both kinds keep the same shape, so one engine serves the SCIM receiver, the Admin UI and the SDK API."""

import sqlite3
from dataclasses import dataclass

from sim.scim.errors import NotFoundError
from sim.scim.errors import UniquenessError
from sim.scim.names import name_key
from sim.store import Store
from sim.store import count_or_none
from sim.store import dumps
from sim.store import loads

DDL = """
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
CREATE INDEX IF NOT EXISTS attachments_account ON attachments(account_id, seq);
CREATE TABLE IF NOT EXISTS groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name_lower TEXT NOT NULL UNIQUE,
    managed_by TEXT NOT NULL DEFAULT '',
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    display TEXT,
    type TEXT,
    UNIQUE(account_id, group_id)
);
CREATE INDEX IF NOT EXISTS account_groups_group ON account_groups(group_id, seq);
CREATE INDEX IF NOT EXISTS account_groups_account ON account_groups(account_id, seq);
"""


@dataclass(frozen=True)
class SetKind:
    """Where one kind of set lives and how its ids look (the counters' kinds keep ids stable across versions)."""

    table: str  # roles | groups
    links: str  # attachments | account_groups
    column: str  # role_id | group_id
    prefix: str  # r- | group-
    link_prefix: str  # aa- | accountgroup-
    counter: str  # new_hex kind of the set ids
    link_counter: str  # new_hex kind of the link ids


ROLES = SetKind("roles", "attachments", "role_id", "r-", "aa-", "role", "attachment")
# StrongDM's docs and Terraform import examples show `group-…` and `accountgroup-…` (assumed: see README).
GROUPS = SetKind("groups", "account_groups", "group_id", "group-", "accountgroup-", "group", "accountgroup")


class Journal:
    """What a set's changes leave behind (roles: audit activities; groups: *History rows). Does nothing here."""

    def created(self, db, item: dict, actor) -> None:
        """A set was created."""

    def updated(self, db, before: dict, item: dict, actor) -> None:
        """A set's own fields changed (not its members)."""

    def deleted(self, db, item: dict, links: list[dict], actor) -> None:
        """A set was deleted; its links `{id, account_id}` go with it."""

    def linked(self, db, user: dict, item: dict, link_id: str, actor) -> None:
        """An account joined a set."""

    def unlinked(self, db, user: dict | None, item: dict, link_id: str, actor) -> None:
        """An account left a set (`user` is None when it no longer exists)."""


class MemberSet:
    """One kind of named account set: lookups, paging, create/update/delete and membership, each change journalled."""

    def __init__(self, store: Store, kind: SetKind, journal: Journal, users_by_ids):
        self.store = store
        self.kind = kind
        self.journal = journal
        self.users_by_ids = users_by_ids  # (ids) -> {id: user}: the accounts' one query for many ids

    def rekey(self, db) -> None:
        """Recompute the name keys under the current sim.scim.names rule."""
        table = self.kind.table
        for item_id, key, text in db.execute(f"SELECT id, name_lower, json_extract(doc, '$.name') FROM {table}"):
            if name_key(text) != key:
                db.execute(f"UPDATE {table} SET name_lower = ? WHERE id = ?", (name_key(text), item_id))

    # -- the sets ------------------------------------------------------------------------------------

    def get(self, item_id: str) -> dict:
        """Return a set or raise StrongDM's 404."""
        item = self.find(item_id)
        if item is None:
            raise NotFoundError.for_id(item_id)
        return item

    def find(self, item_id: str) -> dict | None:
        """Return a set or None."""
        row = self.store.read().execute(f"SELECT doc FROM {self.kind.table} WHERE id = ?", (item_id,)).fetchone()
        return None if row is None else loads(row["doc"])

    def find_by_name(self, name: str) -> dict | None:
        """Look a set up by name, ignoring case."""
        row = self.store.read().execute(f"SELECT doc FROM {self.kind.table} WHERE name_lower = ?",
                                        (name_key(name),)).fetchone()
        return None if row is None else loads(row["doc"])

    def count(self, *, search: str | None = None) -> int:
        """How many sets of this kind the org has (whose name contains `search`, if given)."""
        where, args = _name_search(search)
        return self.store.read().execute(f"SELECT COUNT(*) FROM {self.kind.table} {where}", args).fetchone()[0]

    def page(self, offset: int = 0, limit: int = 100, *, search: str | None = None) -> list[dict]:
        """Sets in creation order, a page at a time (whose name contains `search`, if given)."""
        where, args = _name_search(search)
        rows = self.store.read().execute(f"SELECT doc FROM {self.kind.table} {where} ORDER BY seq LIMIT ? OFFSET ?",
                                         (*args, limit, offset))
        return [loads(r["doc"]) for r in rows]

    def every(self) -> list[dict]:
        """Every set, in creation order."""
        return [loads(r["doc"]) for r in self.store.read().execute(f"SELECT doc FROM {self.kind.table} ORDER BY seq")]

    def rows(self) -> list[tuple[int, dict]]:
        """Every set as (seq, doc): the insertion sequence is the SDK API's keyset order."""
        return [(r[0], loads(r[1])) for r in self.store.read().execute(f"SELECT seq, doc FROM {self.kind.table} ORDER BY seq")]

    def create(self, item: dict, member_ids: list[str], *, labels: dict | None = None, actor=None) -> dict:
        """Insert a set and link its members (unknown ids are skipped); a taken name is a 409."""
        item = dict(item)
        item.setdefault("managed_by", "")
        with self.store.write() as db:
            item["id"] = self.kind.prefix + self.store.new_hex(self.kind.counter, 16)
            now = self.store.now()
            item["created_at"] = item["updated_at"] = now
            item["version"] = 1
            try:
                db.execute(f"INSERT INTO {self.kind.table}(id, name_lower, managed_by, doc) VALUES (?,?,?,?)",
                           (item["id"], name_key(item["name"]), item["managed_by"], dumps(item)))
            except sqlite3.IntegrityError:
                raise UniquenessError() from None
            self.journal.created(db, item, actor)
            self._link(db, item, member_ids, actor)
            if labels and self._label(db, item["id"], labels):
                self._touch(db, item)  # as a separate relabel would: the labels are a change of their own
        return item

    def update(self, item: dict, member_ids: list[str] | None = None, *, labels: dict | None = None,
               actor=None) -> dict:
        """Change a set's fields, and optionally set its members to exactly `member_ids`."""
        with self.store.write() as db:
            before = self.get(item["id"])
            item = dict(item)
            item["updated_at"] = self.store.now()
            item["version"] = before.get("version", 1) + 1
            try:
                db.execute(f"UPDATE {self.kind.table} SET name_lower = ?, managed_by = ?, doc = ? WHERE id = ?",
                           (name_key(item["name"]), item.get("managed_by", ""), dumps(item), item["id"]))
            except sqlite3.IntegrityError:
                raise UniquenessError() from None
            self.journal.updated(db, before, item, actor)
            if member_ids is not None:
                current = self.member_ids(item["id"])
                wanted = list(dict.fromkeys(member_ids))
                keep, had = set(wanted), set(current)
                self._unlink(db, item, [m for m in current if m not in keep], actor)
                self._link(db, item, [m for m in wanted if m not in had], actor)
            if labels and self._label(db, item["id"], labels):
                self._touch(db, item)
        return item

    def delete(self, item_id: str, *, actor=None) -> dict:
        """Delete a set and its links."""
        with self.store.write() as db:
            item = self.get(item_id)
            kind = self.kind
            links = [dict(r) for r in db.execute(f"SELECT id, account_id FROM {kind.links} WHERE {kind.column} = ? "
                                                 "ORDER BY seq", (item_id,))]
            self.journal.deleted(db, item, links, actor)  # first: the journal may read rows the cascade removes
            db.execute(f"DELETE FROM {kind.table} WHERE id = ?", (item_id,))
        return item

    # -- membership ----------------------------------------------------------------------------------

    def member_ids(self, item_id: str) -> list[str]:
        """Account ids in a set, in link order."""
        kind = self.kind
        rows = self.store.read().execute(f"SELECT account_id FROM {kind.links} WHERE {kind.column} = ? ORDER BY seq",
                                         (item_id,))
        return [r[0] for r in rows]

    def members(self, item_id: str, *, offset: int = 0, limit: int = -1) -> list[tuple[dict, str | None, str | None]]:
        """(user, display, type) for each account in a set, in link order (a page if `limit`): two queries."""
        kind = self.kind
        rows = self.store.read().execute(
            f"SELECT account_id, display, type FROM {kind.links} WHERE {kind.column} = ? ORDER BY seq LIMIT ? OFFSET ?",
            (item_id, limit, offset)).fetchall()
        users = self.users_by_ids([r[0] for r in rows])
        return [(users[r[0]], r[1], r[2]) for r in rows if r[0] in users]

    def members_of_many(self, item_ids: list[str]) -> dict[str, list[tuple[dict, str | None, str | None]]]:
        """{set id: its (user, display, type) rows in link order} for a page of sets, in two queries."""
        kind = self.kind
        rows = self.store.read().execute(
            f"SELECT {kind.column}, account_id, display, type FROM {kind.links} "
            f"WHERE {kind.column} IN (SELECT value FROM json_each(?)) ORDER BY seq", (dumps(list(item_ids)),)).fetchall()
        users = self.users_by_ids(list(dict.fromkeys(r[1] for r in rows)))
        out = {item_id: [] for item_id in item_ids}
        for item_id, account_id, display, label_type in rows:
            if account_id in users:
                out[item_id].append((users[account_id], display, label_type))
        return out

    def count_members(self, item_id: str) -> int:
        """How many accounts are in a set."""
        kind = self.kind
        return self.store.read().execute(f"SELECT COUNT(*) FROM {kind.links} WHERE {kind.column} = ?",
                                         (item_id,)).fetchone()[0]

    def member_counts(self, item_ids: list[str]) -> dict[str, int]:
        """{set id: member count} for a page of sets, in one query."""
        kind = self.kind
        rows = self.store.read().execute(
            f"SELECT {kind.column}, COUNT(*) FROM {kind.links} WHERE {kind.column} IN (SELECT value FROM json_each(?)) "
            f"GROUP BY {kind.column}", (dumps(list(item_ids)),))
        return {item_id: 0 for item_id in item_ids} | {r[0]: r[1] for r in rows}

    def sets_of(self, account_id: str) -> list[dict]:
        """The sets an account is in, in link order."""
        return self.sets_of_many([account_id])[account_id]

    def sets_of_many(self, account_ids: list[str]) -> dict[str, list[dict]]:
        """{account id: its sets in link order} for a page of accounts, in one query."""
        kind = self.kind
        rows = self.store.read().execute(
            f"SELECT l.account_id, s.doc FROM {kind.links} l JOIN {kind.table} s ON s.id = l.{kind.column} "
            f"WHERE l.account_id IN (SELECT value FROM json_each(?)) ORDER BY l.seq", (dumps(list(account_ids)),))
        out = {account_id: [] for account_id in account_ids}
        for account_id, doc in rows:
            out[account_id].append(loads(doc))
        return out

    def add_members(self, item_id: str, account_ids: list[str], *, actor=None) -> list[str]:
        """Link accounts to a set (unknown ids are skipped); returns the ids newly linked."""
        with self.store.write() as db:
            item = self.get(item_id)
            current = set(self.member_ids(item_id))
            new = [a for a in dict.fromkeys(account_ids) if a not in current]
            new = self._link(db, item, new, actor)
            if new:
                self._touch(db, item)
        return new

    def remove_members(self, item_id: str, account_ids: list[str], *, actor=None) -> list[str]:
        """Unlink accounts from a set; returns the ids actually unlinked."""
        with self.store.write() as db:
            item = self.get(item_id)
            current = set(self.member_ids(item_id))
            gone = [a for a in dict.fromkeys(account_ids) if a in current]
            self._unlink(db, item, gone, actor)
            if gone:
                self._touch(db, item)
        return gone

    def set_member_labels(self, item_id: str, labels: dict[str, tuple]) -> int:
        """Remember the `display` and `type` a client sent for members (echoed back); returns rows changed."""
        with self.store.write() as db:
            changed = self._label(db, item_id, labels)
            if changed:
                self._touch(db, self.get(item_id))
        return changed

    def forget_account(self, db, user: dict, actor) -> None:
        """Journal an account's departure from each of its sets, before the account is deleted (links cascade)."""
        kind = self.kind
        rows = db.execute(f"SELECT l.id, s.doc FROM {kind.links} l JOIN {kind.table} s ON s.id = l.{kind.column} "
                          "WHERE l.account_id = ? ORDER BY l.seq", (user["id"],)).fetchall()
        for link_id, doc in rows:
            self.journal.unlinked(db, user, loads(doc), link_id, actor)

    def _label(self, db, item_id: str, labels: dict[str, tuple]) -> int:
        kind, changed = self.kind, 0
        for account_id, (display, label_type) in labels.items():
            changed += db.execute(
                f"UPDATE {kind.links} SET display = ?, type = ? WHERE {kind.column} = ? AND account_id = ? "
                "AND (display IS NOT ? OR type IS NOT ?)", (display, label_type, item_id, account_id, display, label_type),
            ).rowcount
        return changed

    def _touch(self, db, item: dict) -> None:
        """A membership change is a change of the set: new version (ETag) and lastModified."""
        item = {**item, "updated_at": self.store.now(), "version": item.get("version", 1) + 1}
        db.execute(f"UPDATE {self.kind.table} SET doc = ? WHERE id = ?", (dumps(item), item["id"]))

    def _link(self, db, item: dict, account_ids: list[str], actor) -> list[str]:
        kind, users, linked = self.kind, self.users_by_ids(account_ids), []
        for account_id in account_ids:
            user = users.get(account_id)
            if user is None:
                continue
            link_id = kind.link_prefix + self.store.new_hex(kind.link_counter, 16)
            db.execute(f"INSERT OR IGNORE INTO {kind.links}(id, account_id, {kind.column}) VALUES (?,?,?)",
                       (link_id, account_id, item["id"]))
            self.journal.linked(db, user, item, link_id, actor)
            linked.append(account_id)
        return linked

    def _unlink(self, db, item: dict, account_ids: list[str], actor) -> None:
        kind, users = self.kind, self.users_by_ids(account_ids)
        for account_id in account_ids:
            row = db.execute(f"DELETE FROM {kind.links} WHERE account_id = ? AND {kind.column} = ? RETURNING id",
                             (account_id, item["id"])).fetchone()
            self.journal.unlinked(db, users.get(account_id), item, row[0] if row else "", actor)

    # -- links ---------------------------------------------------------------------------------------

    def links(self, offset: int = 0, limit: int = 100) -> list[dict]:
        """Links `{id, account_id, <column>}` in link order, a page at a time."""
        kind = self.kind
        rows = self.store.read().execute(
            f"SELECT id, account_id, {kind.column} FROM {kind.links} ORDER BY seq LIMIT ? OFFSET ?", (limit, offset))
        return [dict(r) for r in rows]

    def link_rows(self) -> list[tuple[int, dict]]:
        """Every link as (seq, {id, account_id, <column>}), in link order."""
        kind = self.kind
        rows = self.store.read().execute(f"SELECT seq, id, account_id, {kind.column} FROM {kind.links} ORDER BY seq")
        return [(r[0], {"id": r[1], "account_id": r[2], kind.column: r[3]}) for r in rows]

    def find_link(self, link_id: str = "", account_id: str = "", item_id: str = "") -> dict | None:
        """One link by id, or by (account, set); None when there is none."""
        kind = self.kind
        if link_id:
            query, args = f"SELECT id, account_id, {kind.column} FROM {kind.links} WHERE id = ?", (link_id,)
        else:
            query = f"SELECT id, account_id, {kind.column} FROM {kind.links} WHERE account_id = ? AND {kind.column} = ?"
            args = (account_id, item_id)
        row = self.store.read().execute(query, args).fetchone()
        return None if row is None else dict(row)

    def count_links(self) -> int:
        """How many links exist."""
        return self.store.read().execute(f"SELECT COUNT(*) FROM {self.kind.links}").fetchone()[0]


def _name_search(search: str | None) -> tuple[str, tuple]:
    """A WHERE clause matching names that contain `search`, ignoring case (LIKE wildcards in it are escaped)."""
    if not search:
        return "", ()
    escaped = name_key(search).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "WHERE name_lower LIKE ? ESCAPE '\\'", (f"%{escaped}%",)


def census(db: sqlite3.Connection) -> dict:
    """Role, attachment, group and account-group counts over a read-only connection; None for a missing table."""
    return {
        "roles": count_or_none(db, "SELECT COUNT(*) FROM roles"),
        "attachments": count_or_none(db, "SELECT COUNT(*) FROM attachments"),
        "groups": count_or_none(db, "SELECT COUNT(*) FROM groups"),
        "account_groups": count_or_none(db, "SELECT COUNT(*) FROM account_groups"),
    }
