"""API keys for StrongDM's SDK API: an access key (`auth-…`) and a base64 secret, shown once.

StrongDM documents the access key as a hex string like `auth-0123abcd` and the secret as base64
(docs.strongdm.com/references/api/api-keys); the SDK base64-decodes the secret and signs every call
with it (HMAC-SHA256), so the secret never travels. To check those signatures the server needs the
secret itself, not a hash, so it is stored as is in the SQLite state file (mode as the file's); it is
returned only by `create_api_key` and never listed afterwards. Deleting a key invalidates it at once,
as StrongDM documents; expiry and per-key permission scopes are not simulated.
"""

import base64
import secrets

from sim.store import Store
from sim.strongdm.activities import Activities

DDL = """
CREATE TABLE IF NOT EXISTS api_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);
"""

SECRET_BYTES = 32
MAX_NAME = 255


class ApiKeyError(ValueError):
    """A refused API key operation (shown to the admin as a message)."""


def _entity(key: dict) -> dict:
    return {"id": key["id"], "type": "api key", "name": key["name"], "email": "", "externalId": ""}


def actor_for(key: dict) -> dict:
    """The activity actor for calls made with an API key (StrongDM logs the token's name)."""
    return {"id": key["id"], "email": "", "first_name": key["name"], "last_name": ""}


class ApiKeys:
    """The org's API keys; changes are logged with the SDK's verbs: `admin token created` (ActivityVerb has no
    "API key created": StrongDM's API keys are admin tokens) and `API key deleted`."""

    def __init__(self, store: Store, activities: Activities):
        self.store = store
        self.activities = activities
        store.schema(DDL)

    def create_api_key(self, name: str, *, actor: dict | None = None) -> dict:
        """Create a key; the returned dict is the only one that ever holds `secret`."""
        name = (name or "").strip()
        if not name or len(name) > MAX_NAME or not name.isprintable():
            raise ApiKeyError(f"An API key needs a printable name of 1 to {MAX_NAME} characters.")
        secret = base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")
        with self.store.write() as db:
            key = {"id": "auth-" + self.store.new_hex("api_key", 16), "name": name, "created_at": self.store.now(),
                   "created_by": (actor or {}).get("email", "")}
            db.execute("INSERT INTO api_keys(id, name, secret, created_at, created_by) VALUES (?,?,?,?,?)",
                       (key["id"], name, secret, key["created_at"], key["created_by"]))
            self.activities.record(db, "admin token created", f"Created API key {name}.", [_entity(key)], actor)
        return {**key, "access_key": key["id"], "secret": secret}

    def list_api_keys(self) -> list[dict]:
        """Every live key, oldest first, without secrets."""
        rows = self.store.read().execute("SELECT id, name, created_at, created_by FROM api_keys ORDER BY seq")
        return [{**dict(r), "access_key": r["id"]} for r in rows]

    def find_api_key(self, access_key: str) -> dict | None:
        """A key by access key, without its secret, or None."""
        row = self.store.read().execute("SELECT id, name, created_at, created_by FROM api_keys WHERE id = ?",
                                        (access_key,)).fetchone()
        return None if row is None else {**dict(row), "access_key": row["id"]}

    def revoke_api_key(self, access_key: str, *, actor: dict | None = None) -> dict:
        """Delete a key; it stops working at once."""
        with self.store.write() as db:
            key = self.find_api_key(access_key)
            if key is None:
                raise ApiKeyError(f"No API key {access_key!r}.")
            db.execute("DELETE FROM api_keys WHERE id = ?", (access_key,))
            self.activities.record(db, "API key deleted", f"Deleted API key {key['name']}.", [_entity(key)], actor)
        return key

    def signing_secret(self, access_key: str) -> bytes | None:
        """The decoded secret the SDK signs with, for signature checks only; None for unknown keys."""
        row = self.store.read().execute("SELECT secret FROM api_keys WHERE id = ?", (access_key,)).fetchone()
        return None if row is None else base64.b64decode(row["secret"])


def open_api_keys(state_dir: str):
    """The API keys of the StrongDM state in `state_dir` (for the CLI; the store stays open until exit)."""
    from sim.store import open_store
    from sim.strongdm.state import make_strongdm

    sdm = make_strongdm(open_store(state_dir, "strongdm"))
    return ApiKeys(sdm.store, sdm.activities)
