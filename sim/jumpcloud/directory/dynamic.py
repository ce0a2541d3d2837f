"""Dynamic user groups: DYNAMIC_AUTOMATED groups follow their memberQuery, DYNAMIC_REVIEW_REQUIRED ones hold
suggestions until an administrator applies them. The only SQL on jc_group_suggestions.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml): `UserGroup`
(`membershipMethod`, `memberQuery`, `memberQueryExemptions`, `suggestionCounts`), `MemberSuggestion` and
`MemberSuggestionsPostResult`, operations getApiV2UsergroupsByGroupIdSuggestions and ...PostSuggestions.
Membership is settled inside the transaction of the change that moved it, so a department change and the
group moves it causes commit together (and reach the pusher's outbox together).
"""

from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.base import Transaction
from sim.jumpcloud.directory.member_query import DYNAMIC
from sim.jumpcloud.directory.schema import USER_SPACE
from sim.jumpcloud.directory.schema import check_id
from sim.jumpcloud.errors import BadRequestError
from sim.store import dumps
from sim.store import loads

DDL = """
CREATE TABLE IF NOT EXISTS jc_group_suggestions (
    group_id TEXT NOT NULL REFERENCES jc_groups(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES jc_users(id) ON DELETE CASCADE,
    op TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
"""
MAX_APPLY = 1000  # user ids in one POST .../suggestions


def compile_query(member_query: dict) -> tuple[str, list]:
    """A stored (cleaned) memberQuery as one SQL condition on jc_users: its filters ANDed."""
    parts, params = [], []
    for item in member_query["filters"]:
        sql, values = q.condition(USER_SPACE, item["field"], q.V2_OPS[item["operator"]], item["value"])
        parts.append(f"({sql})")
        params.extend(values)
    return " AND ".join(parts), params


class DirectoryDynamic:
    """Directory mixin: settles dynamic groups before each mutation commits; lists and applies suggestions."""

    def _before_commit(self, tx: Transaction) -> None:
        users = {c["object_id"] for c in tx.changes if c["object_type"] == "user" and c["action"] != "delete"}
        groups = {c["object_id"] for c in tx.changes if c["object_type"] == "user_group" and c["action"] != "delete"}
        if not users and not groups:
            return
        for gid in sorted(groups):  # a group no longer reviewed keeps no suggestions
            tx.db.execute("DELETE FROM jc_group_suggestions WHERE group_id = ? AND NOT EXISTS (SELECT 1 FROM"
                          " jc_groups WHERE id = ? AND json_extract(doc, '$.membershipMethod') ="
                          " 'DYNAMIC_REVIEW_REQUIRED')", (gid, gid))
        rows = tx.db.execute("SELECT doc FROM jc_groups WHERE json_extract(doc, '$.membershipMethod') IN (?, ?)"
                             " ORDER BY id", sorted(DYNAMIC)).fetchall()
        for row in rows:
            group = loads(row["doc"])
            self._settle(tx, group, None if group["id"] in groups else sorted(users))

    def _settle(self, tx: Transaction, group: dict, scope: list[str] | None) -> None:
        """Bring one dynamic group in line with its query for `scope` (user ids; None: every user)."""
        if scope == [] or not group.get("memberQuery"):
            return
        sql, params = compile_query(group["memberQuery"])
        within, within_params = ("", []) if scope is None else (" AND id IN (SELECT value FROM json_each(?))",
                                                                 [dumps(scope)])
        matching = {r[0] for r in tx.db.execute(f"SELECT id FROM jc_users WHERE ({sql}){within}",
                                                [*params, *within_params])}
        member_within = within.replace("id IN", "user_id IN")
        current = {r[0] for r in tx.db.execute(f"SELECT user_id FROM jc_memberships WHERE group_id = ?{member_within}",
                                               [group["id"], *within_params])}
        exempt = {e["id"] for e in group.get("memberQueryExemptions") or [] if e.get("type") == "user"}
        moves = [("add", uid) for uid in sorted(matching - current - exempt)] + \
                [("remove", uid) for uid in sorted(current - matching - exempt)]
        if group["membershipMethod"] == "DYNAMIC_AUTOMATED":
            for op, uid in moves:
                self._write_membership(tx, group, op, self._locked_user(tx.db, uid))
            return
        sug_within = within.replace("id IN", "user_id IN")
        tx.db.execute(f"DELETE FROM jc_group_suggestions WHERE group_id = ?{sug_within}", [group["id"], *within_params])
        tx.db.executemany("INSERT INTO jc_group_suggestions(group_id, user_id, op) VALUES (?, ?, ?)",
                          [(group["id"], uid, op) for op, uid in moves])
        self._count_suggestions(tx.db, group["id"])

    def _count_suggestions(self, db, group_id: str) -> None:
        """Store `suggestionCounts` on the group (a read-only field of `UserGroup`)."""
        counts = dict(db.execute("SELECT op, COUNT(*) FROM jc_group_suggestions WHERE group_id = ? GROUP BY op",
                                 (group_id,)).fetchall())
        row = db.execute("SELECT doc FROM jc_groups WHERE id = ?", (group_id,)).fetchone()
        doc = loads(row["doc"])
        add, remove = counts.get("add", 0), counts.get("remove", 0)
        doc["suggestionCounts"] = {"add": add, "remove": remove, "total": add + remove}
        db.execute("UPDATE jc_groups SET doc = ? WHERE id = ?", (dumps(doc), group_id))

    def group_suggestions(self, group_id: str, *, skip: int = 0, limit: int | None = None) -> list[dict]:
        """A group's pending suggestions as `MemberSuggestion` {op, object: GraphObject} (404 unknown group)."""
        self.get_group(group_id)
        rows = self.store.read().execute(
            "SELECT user_id, op FROM jc_group_suggestions WHERE group_id = ? ORDER BY user_id LIMIT ? OFFSET ?",
            (group_id, -1 if limit is None else limit, skip)).fetchall()
        return [{"op": r["op"], "object": {"id": r["user_id"], "type": "user"}} for r in rows]

    def apply_suggestions(self, group_id: str, user_ids, *, actor: dict | None = None) -> dict:
        """Apply the pending suggestions for these users: `MemberSuggestionsPostResult`."""
        if not isinstance(user_ids, list) or not user_ids or len(user_ids) > MAX_APPLY:
            raise BadRequestError(f"user_ids must be a list of 1 to {MAX_APPLY} ids", details=[{"field": "user_ids"}])
        for uid in user_ids:
            check_id(uid, "systemuser")
        found, not_found = [], []
        with self._tx(actor) as tx:
            group = self._group(tx.db, group_id)
            for uid in dict.fromkeys(user_ids):
                row = tx.db.execute("SELECT op FROM jc_group_suggestions WHERE group_id = ? AND user_id = ?",
                                    (group_id, uid)).fetchone()
                if row is None:
                    not_found.append(uid)
                    continue
                tx.db.execute("DELETE FROM jc_group_suggestions WHERE group_id = ? AND user_id = ?", (group_id, uid))
                self._write_membership(tx, group, row["op"], self._locked_user(tx.db, uid))
                found.append(uid)
            self._count_suggestions(tx.db, group_id)
        return {"suggestions_found": found, "suggestions_not_found": not_found}
