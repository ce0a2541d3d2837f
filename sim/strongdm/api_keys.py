"""API keys for StrongDM's SDK API: an access key (`auth-…`) and a base64 secret, shown once.

StrongDM documents the access key as a hex string like `auth-0123abcd` and the secret as base64
(docs.strongdm.com/references/api/api-keys); the SDK base64-decodes the secret and signs every call
with it (HMAC-SHA256), so the secret never travels. To check those signatures the server needs the
secret itself, not a hash, so it is stored as is in the SQLite state file (mode as the file's); it is
returned only by `create_api_key` and never listed afterwards. Deleting a key invalidates it at once,
as StrongDM documents. A key may carry permission scopes (scopes.py; none = every scope, as keys made
before scopes existed) and an expiry date, after which the SDK API refuses it (docs "admin/principals/tokens").
"""

import base64
import datetime as dt
import json
import secrets

from sim.store import Store
from sim.strongdm.activities import Activities
from sim.strongdm.scopes import SCOPES

DDL = """
CREATE TABLE IF NOT EXISTS api_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    scopes TEXT,
    expires_at TEXT
);
"""
# Columns added after the first release: a state file from before gets them (NULL: every scope, no expiry).
LATER_COLUMNS = {"scopes": "TEXT", "expires_at": "TEXT"}
PUBLIC = "id, name, created_at, created_by, scopes, expires_at"

SECRET_BYTES = 32
MAX_NAME = 255


class ApiKeyError(ValueError):
    """A refused API key operation (shown to the admin as a message)."""


def _entity(key: dict) -> dict:
    return {"id": key["id"], "type": "api key", "name": key["name"], "email": "", "externalId": ""}


def _public(row) -> dict:
    key = {**dict(row), "access_key": row["id"]}
    key["scopes"] = None if key.get("scopes") is None else json.loads(key["scopes"])
    return key


def checked_scopes(scopes) -> list[str] | None:
    """The scopes in order without repeats, each one the SDK API knows; None stays None (every scope)."""
    if scopes is None:
        return None
    wanted = list(dict.fromkeys(scopes))
    for scope in wanted:
        if scope not in SCOPES:
            raise ApiKeyError(f"unknown permission {scope!r}: use some of {', '.join(SCOPES)}")
    if not wanted:
        raise ApiKeyError("Choose at least one permission, or all of them.")
    return wanted


def checked_expiry(expires_at: str | None) -> str | None:
    """An expiry as the store writes times: a date means the end of that day (UTC)."""
    if not expires_at:
        return None
    text = expires_at.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat() + "T23:59:59Z"
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiKeyError("The expiry must be a date (YYYY-MM-DD).") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
        with store.write() as db:
            have = {row[1] for row in db.execute("PRAGMA table_info(api_keys)")}
            for column, kind in LATER_COLUMNS.items():
                if column not in have:
                    db.execute(f"ALTER TABLE api_keys ADD COLUMN {column} {kind}")

    def create_api_key(self, name: str, *, scopes: list[str] | None = None, expires_at: str | None = None,
                       actor: dict | None = None) -> dict:
        """Create a key (`scopes` None: every scope; `expires_at` a date or ISO time); only this dict holds `secret`."""
        name = (name or "").strip()
        if not name or len(name) > MAX_NAME or not name.isprintable():
            raise ApiKeyError(f"An API key needs a printable name of 1 to {MAX_NAME} characters.")
        scopes = checked_scopes(scopes)
        expires_at = checked_expiry(expires_at)
        secret = base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")
        with self.store.write() as db:
            key = {"id": "auth-" + self.store.new_hex("api_key", 16), "name": name, "created_at": self.store.now(),
                   "created_by": (actor or {}).get("email", ""), "scopes": scopes, "expires_at": expires_at}
            db.execute("INSERT INTO api_keys(id, name, secret, created_at, created_by, scopes, expires_at) "
                       "VALUES (?,?,?,?,?,?,?)", (key["id"], name, secret, key["created_at"], key["created_by"],
                                                  None if scopes is None else json.dumps(scopes), expires_at))
            self.activities.record(db, "admin token created", f"Created API key {name}.", [_entity(key)], actor)
        return {**key, "access_key": key["id"], "secret": secret}

    def list_api_keys(self) -> list[dict]:
        """Every live key, oldest first, without secrets."""
        rows = self.store.read().execute(f"SELECT {PUBLIC} FROM api_keys ORDER BY seq")
        return [_public(r) for r in rows]

    def find_api_key(self, access_key: str) -> dict | None:
        """A key by access key, without its secret, or None."""
        row = self.store.read().execute(f"SELECT {PUBLIC} FROM api_keys WHERE id = ?", (access_key,)).fetchone()
        return None if row is None else _public(row)

    def is_expired(self, key: dict) -> bool:
        """Whether a key's expiry has passed by the store's clock."""
        return bool(key.get("expires_at")) and key["expires_at"] <= self.store.now()

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
