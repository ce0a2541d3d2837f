"""StrongDM's audit log: activities with StrongDM's verbs, in the log-stream JSON shape."""

import sqlite3

from sim.store import Store
from sim.store import count_or_none
from sim.store import dumps
from sim.store import loads

DDL = """
CREATE TABLE IF NOT EXISTS activities (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    verb TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activities_verb ON activities(verb);
"""

# Verbs follow the SDK's ActivityVerb constants (strongdm/constants.py in the `strongdm` wheel on PyPI):
# `user added`, `user suspended`, `user added to role`, `SCIM token rekeyed`, ...
SCIM_ACTOR = {"id": "", "email": "", "first_name": "SCIM", "last_name": "Provisioning"}
# What the simulator does itself (the launcher's admin, `--token`): not SCIM's doing. Assumed name (see README).
SIMULATOR_ACTOR = {"id": "", "email": "", "first_name": "StrongDM", "last_name": "Simulator"}


class Activities:
    """Append-only audit log; writes join the caller's transaction."""

    def __init__(self, store: Store, org_id_source):
        self.store = store
        self._org_id = org_id_source
        store.schema(DDL)

    def record(self, db, verb: str, description: str, entities: list[dict], actor: dict | None = None,
               *, ip_address: str = "", user_agent: str = "") -> dict:
        """Append one activity inside the open transaction `db`."""
        actor = actor or SCIM_ACTOR
        activity_id = "at-" + self.store.new_hex("activity", 16)
        name = " ".join(p for p in (actor.get("first_name"), actor.get("last_name")) if p)
        doc = {
            "activity": verb,
            "actorAccountID": actor.get("id", ""),
            "actorEmail": actor.get("email", ""),
            "actorExternalID": actor.get("external_id", ""),
            "actorFirstName": actor.get("first_name", ""),
            "actorLastName": actor.get("last_name", ""),
            "actorName": name,
            "description": description,
            "entities": entities,
            "formatVersion": 1,
            "id": activity_id,
            "ipAddress": ip_address,
            "logType": "activities",
            "sdmOrgId": self._org_id(),
            "timestamp": self.store.now(),
            "userAgent": user_agent,
        }
        db.execute("INSERT INTO activities(id, verb, doc) VALUES (?, ?, ?)", (activity_id, verb, dumps(doc)))
        return doc

    def record_login(self, user: dict, *, ip_address: str = "", user_agent: str = "") -> dict:
        """`user logged into the Admin UI` (ActivityVerb.USER_LOGGED_INTO_THE_UI), in its own transaction."""
        with self.store.write() as db:
            return self.record(db, "user logged into the Admin UI", f"{user['email']} logged into the Admin UI.",
                               [user_entity(user)], {**user}, ip_address=ip_address, user_agent=user_agent[:200])

    def list(self, *, limit: int = 50, offset: int = 0, verb: str | None = None, newest_first: bool = True) -> list[dict]:
        """Return activities, newest first by default."""
        order = "DESC" if newest_first else "ASC"
        where, args = ("WHERE verb = ?", [verb]) if verb else ("", [])
        rows = self.store.read().execute(
            f"SELECT doc FROM activities {where} ORDER BY seq {order} LIMIT ? OFFSET ?", (*args, limit, offset)
        ).fetchall()
        return [loads(r["doc"]) for r in rows]

    def count(self, verb: str | None = None) -> int:
        """Count activities, optionally of one verb."""
        if verb:
            return self.store.read().execute("SELECT COUNT(*) FROM activities WHERE verb = ?", (verb,)).fetchone()[0]
        return self.store.read().execute("SELECT COUNT(*) FROM activities").fetchone()[0]


def census(db: sqlite3.Connection) -> int | None:
    """How many activities a state file holds, over a read-only connection (`sim status`); None before any."""
    return count_or_none(db, "SELECT COUNT(*) FROM activities")


def user_entity(user: dict) -> dict:
    """An activity entity for a user."""
    return {"id": user["id"], "type": "user", "name": f"{user['first_name']} {user['last_name']}".strip(),
            "email": user["email"], "externalId": user.get("external_id") or ""}


def role_entity(role: dict) -> dict:
    """An activity entity for a role."""
    return {"id": role["id"], "type": "role", "name": role["name"], "email": "", "externalId": ""}
