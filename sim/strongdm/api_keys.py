"""API keys for StrongDM's SDK API: an access key (`auth-…`) and a base64 secret, shown once.

StrongDM documents the access key as a hex string like `auth-0123abcd` and the secret as base64
(docs.strongdm.com/references/api/api-keys); the SDK base64-decodes the secret and signs every call
with it (HMAC-SHA256), so the secret never travels. To check those signatures the server needs the
secret itself, not a hash, so it is stored as is in the SQLite state file (mode as the file's); it is
returned only by `create_api_key` and never listed afterwards. Deleting a key invalidates it at once,
as StrongDM documents. A key may carry permission scopes (scopes.py; none = every scope, as keys made
before scopes existed) and an expiry date, after which the SDK API refuses it (docs "admin/principals/tokens").
The SDK sees the same rows as `v1.Token` accounts (SDK 18.4 models.py `Token`: account_type `api` or `admin-token`,
permissions, deadline, tags); an admin token signs no SDK call (it is for the `sdm` CLI).
"""

import base64
import datetime as dt
import json
import secrets

from sim.store import Store
from sim.store import count_or_none
from sim.store import iso
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
    expires_at TEXT,
    account_type TEXT,
    tags TEXT
);
"""
# Columns added after the first release: a state file from before gets them (NULL: every scope, no expiry, an
# API key, no tags).
LATER_COLUMNS = {"scopes": "TEXT", "expires_at": "TEXT", "account_type": "TEXT", "tags": "TEXT"}
PUBLIC = "id, name, created_at, created_by, scopes, expires_at, account_type, tags"
# The SDK's AccountType values a token may have (constants.py `AccountType`; SCIM tokens are made by Settings).
API, ADMIN_TOKEN = "api", "admin-token"
TOKEN_TYPES = (API, ADMIN_TOKEN)

SECRET_BYTES = 32
MAX_NAME = 255


class ApiKeyError(ValueError):
    """A refused API key operation (shown to the admin as a message)."""


class ApiKeyNameTaken(ApiKeyError):
    """Another token has this name (checked for tokens made through the SDK: the Token model's names are unique)."""


def _entity(key: dict) -> dict:
    return {"id": key["id"], "type": "api key", "name": key["name"], "email": "", "externalId": ""}


def _public(row) -> dict:
    key = {**dict(row), "access_key": row["id"]}
    key["scopes"] = None if key.get("scopes") is None else json.loads(key["scopes"])
    key["account_type"] = key.get("account_type") or API
    key["tags"] = json.loads(key["tags"]) if key.get("tags") else {}
    return key


def checked_scopes(scopes, known=SCOPES) -> list[str] | None:
    """The scopes in order without repeats, each one in `known` (default: those the SDK API checks); None stays
    None (every scope)."""
    if scopes is None:
        return None
    wanted = list(dict.fromkeys(scopes))
    for scope in wanted:
        if scope not in known:
            shown = ", ".join(SCOPES) if known is SCOPES else "the SDK's Permission constants"
            raise ApiKeyError(f"unknown permission {scope!r}: use some of {shown}")
    if not wanted:
        raise ApiKeyError("Choose at least one permission, or all of them.")
    return wanted


def checked_name(name: str) -> str:
    """A key's name, stripped; ApiKeyError unless it is 1 to MAX_NAME printable characters."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise ApiKeyError(f"An API key needs a printable name of 1 to {MAX_NAME} characters.")
    return name


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
                       actor: dict | None = None, account_type: str = API, tags: dict | None = None,
                       lifetime: dt.timedelta | None = None, known_scopes=SCOPES, unique_name: bool = False) -> dict:
        """Create a key (`scopes` None: every scope; `expires_at` a date or ISO time, or `lifetime` from now);
        only this dict holds `secret`. `unique_name` refuses a name another key has, ignoring case."""
        name = checked_name(name)
        scopes = checked_scopes(scopes, known_scopes)
        expires_at = checked_expiry(expires_at)
        if account_type not in TOKEN_TYPES:
            raise ApiKeyError(f"invalid account type {account_type!r}: use one of {', '.join(TOKEN_TYPES)}")
        secret = base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")
        with self.store.write() as db:
            if unique_name:
                self._refuse_taken(db, name)
            now = self.store.now()
            if lifetime is not None:
                expires_at = iso(dt.datetime.fromisoformat(now.replace("Z", "+00:00")) + lifetime)
            key = {"id": "auth-" + self.store.new_hex("api_key", 16), "name": name, "created_at": now,
                   "created_by": (actor or {}).get("email", ""), "scopes": scopes, "expires_at": expires_at,
                   "account_type": account_type, "tags": dict(tags or {})}
            db.execute("INSERT INTO api_keys(id, name, secret, created_at, created_by, scopes, expires_at, account_type, "
                       "tags) VALUES (?,?,?,?,?,?,?,?,?)",
                       (key["id"], name, secret, key["created_at"], key["created_by"],
                        None if scopes is None else json.dumps(scopes), expires_at, account_type,
                        json.dumps(key["tags"], sort_keys=True) if key["tags"] else None))
            label = "API key" if account_type == API else "admin token"
            self.activities.record(db, "admin token created", f"Created {label} {name}.", [_entity(key)], actor)
        return {**key, "access_key": key["id"], "secret": secret}

    def _refuse_taken(self, db, name: str, *, other_than: str = "") -> None:
        taken = db.execute("SELECT 1 FROM api_keys WHERE lower(name) = lower(?) AND id != ?", (name, other_than))
        if taken.fetchone():
            raise ApiKeyNameTaken(f"a token named {name!r} already exists")

    def update_api_key(self, access_key: str, *, name: str, tags: dict, scopes: list[str] | None,
                       known_scopes=SCOPES) -> dict:
        """Rename, re-tag or re-scope a key (its secret, type and expiry stay); names stay unique, ignoring case.

        The SDK's ActivityVerb has no verb for this (only rekeyed, suspended, ...), so nothing is logged.
        """
        name = checked_name(name)
        scopes = checked_scopes(scopes, known_scopes)
        with self.store.write() as db:
            if self.find_api_key(access_key) is None:
                raise ApiKeyError(f"No API key {access_key!r}.")
            self._refuse_taken(db, name, other_than=access_key)
            db.execute("UPDATE api_keys SET name = ?, tags = ?, scopes = ? WHERE id = ?",
                       (name, json.dumps(tags, sort_keys=True) if tags else None,
                        None if scopes is None else json.dumps(scopes), access_key))
        return self.find_api_key(access_key)

    def key_rows(self) -> list[tuple[int, dict]]:
        """Every key as (seq, public dict), oldest first: the SDK API's keyset order."""
        rows = self.store.read().execute(f"SELECT seq, {PUBLIC} FROM api_keys ORDER BY seq")
        return [(r["seq"], {k: v for k, v in _public(r).items() if k != "seq"}) for r in rows]

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
            if key["account_type"] == ADMIN_TOKEN:
                self.activities.record(db, "admin token deleted", f"Deleted admin token {key['name']}.",
                                       [_entity(key)], actor)
            else:
                self.activities.record(db, "API key deleted", f"Deleted API key {key['name']}.", [_entity(key)], actor)
        return key

    def signing_secret(self, access_key: str) -> bytes | None:
        """The decoded secret the SDK signs with, for signature checks only; None for unknown keys."""
        row = self.store.read().execute("SELECT secret FROM api_keys WHERE id = ?", (access_key,)).fetchone()
        return None if row is None else base64.b64decode(row["secret"])


def census(db) -> dict:
    """The token (API key and admin token) count over a read-only connection (`sim status`); None for a missing table."""
    return {"tokens": count_or_none(db, "SELECT COUNT(*) FROM api_keys")}


def open_api_keys(state_dir: str):
    """The API keys of the StrongDM state in `state_dir` (for the CLI; the store stays open until exit)."""
    from sim.store import open_store
    from sim.strongdm.state import make_strongdm

    sdm = make_strongdm(open_store(state_dir, "strongdm"))
    return ApiKeys(sdm.store, sdm.activities)
