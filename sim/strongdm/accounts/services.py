"""StrongDM service accounts (`a-…`, like users): the only SQL on the `services` table.

A Service is "a service account that can connect to resources", authenticated by a service token (SDK 18.4
models.py `Service`: id, name, suspended, tags, created_at; AccountCreateResponse.token). The token is shown
once at creation and not kept: nothing in the simulator connects with it. The SDK's ActivityVerb has only
`service account created` for them; changes and deletion are logged with the user verbs (assumed, see README).
"""

import secrets
import sqlite3

from sim.scim.errors import NotFoundError
from sim.scim.errors import UniquenessError
from sim.scim.names import name_key
from sim.store import Store
from sim.store import count_or_none
from sim.store import dumps
from sim.store import loads
from sim.strongdm.activities import Activities

DDL = """
CREATE TABLE IF NOT EXISTS services (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name_lower TEXT NOT NULL UNIQUE,
    suspended INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
);
"""

TOKEN_BYTES = 32


def service_entity(service: dict) -> dict:
    """An activity entity for a service account."""
    return {"id": service["id"], "type": "service", "name": service["name"], "email": "", "externalId": ""}


class ServiceTable:
    """The Accounts mixin for service accounts (needs `self.store` and `self.activities`)."""

    store: Store
    activities: Activities

    def find_service(self, service_id: str) -> dict | None:
        """A service account by id, or None."""
        row = self.store.read().execute("SELECT doc FROM services WHERE id = ?", (service_id,)).fetchone()
        return None if row is None else loads(row["doc"])

    def service_rows(self) -> list[tuple[int, dict]]:
        """Every service account as (seq, doc), in creation order (the SDK API's keyset order)."""
        return [(r[0], loads(r[1])) for r in self.store.read().execute("SELECT seq, doc FROM services ORDER BY seq")]

    def create_service(self, service: dict, *, actor: dict | None = None) -> tuple[dict, str]:
        """Insert a service account (`name`, `tags`, `suspended`); returns it and its token. A taken name is a 409."""
        service = {"suspended": False, "tags": {}, **service}
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.store.write() as db:
            service["id"] = "a-" + self.store.new_hex("service", 16)
            service["created_at"] = self.store.now()
            try:
                db.execute("INSERT INTO services(id, name_lower, suspended, doc) VALUES (?,?,?,?)",
                           (service["id"], name_key(service["name"]), int(service["suspended"]), dumps(service)))
            except sqlite3.IntegrityError:
                raise UniquenessError() from None
            entity = [service_entity(service)]
            self.activities.record(db, "service account created", f"Created service account {service['name']}.",
                                   entity, actor)
            if service["suspended"]:
                self.activities.record(db, "user suspended", f"Suspended service account {service['name']}.",
                                       entity, actor)
        return service, token

    def update_service(self, service: dict, *, actor: dict | None = None) -> dict:
        """Write a changed service account back, logging `user updated` / `user suspended` / `user reinstated`."""
        with self.store.write() as db:
            before = self.find_service(service["id"])
            if before is None:
                raise NotFoundError.for_id(service["id"])
            service = {**before, **service}
            try:
                db.execute("UPDATE services SET name_lower = ?, suspended = ?, doc = ? WHERE id = ?",
                           (name_key(service["name"]), int(service["suspended"]), dumps(service), service["id"]))
            except sqlite3.IntegrityError:
                raise UniquenessError() from None
            entity = [service_entity(service)]
            if (service["name"], service["tags"]) != (before["name"], before["tags"]):
                self.activities.record(db, "user updated", f"Updated service account {service['name']}.", entity, actor)
            if service["suspended"] != before["suspended"]:
                verb, done = ("user suspended", "Suspended") if service["suspended"] else ("user reinstated", "Reinstated")
                self.activities.record(db, verb, f"{done} service account {service['name']}.", entity, actor)
        return service

    def delete_service(self, service_id: str, *, actor: dict | None = None) -> dict:
        """Delete a service account."""
        with self.store.write() as db:
            service = self.find_service(service_id)
            if service is None:
                raise NotFoundError.for_id(service_id)
            db.execute("DELETE FROM services WHERE id = ?", (service_id,))
            self.activities.record(db, "user deleted", f"Deleted service account {service['name']}.",
                                   [service_entity(service)], actor)
        return service


def census(db: sqlite3.Connection) -> dict:
    """The service account count over a read-only connection (`sim status`); None for a missing table."""
    return {"services": count_or_none(db, "SELECT COUNT(*) FROM services")}
