"""The StrongDM organisation: admins and permission levels, the SCIM provider and its token."""

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from sim.store import Store
from sim.store import StoreError
from sim.store import read_meta

PROVIDERS = ("generic", "okta", "azure")
PROVIDER_LABELS = {"generic": "Generic", "okta": "Okta", "azure": "Azure"}
PERMISSION_LEVELS = ("admin", "database-admin", "database-operator", "multi-team-leader", "user", "auditor")
PERMISSION_LABELS = {
    "admin": "Administrator", "database-admin": "Database Administrator", "database-operator": "Database Operator",
    "multi-team-leader": "Team Leader", "user": "User", "auditor": "Auditor", "suspended": "Suspended",
}


PASSWORDS_DDL = """
CREATE TABLE IF NOT EXISTS passwords (
    account_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    hash TEXT NOT NULL
);
"""


# Orgs created on or after 2 October 2025 provision SCIM Groups as StrongDM Groups; older ones as roles
# (StrongDM docs, "changelog/groups-migration").
ORG_MODELS = ("groups", "roles")
ORG_MODEL_META = "strongdm.org_model"


class OrgModelError(StoreError):
    """A state file made under one org model, opened under the other (a silent change would re-home every group)."""


def settle_org_model(store: Store, wanted: str, *, has_roles: bool) -> str:
    """The org model of this state: recorded on first use; a state from before the setting that holds roles is
    a legacy (`roles`) org. Asking for the other model later is an OrgModelError saying what to do."""
    if wanted not in ORG_MODELS:
        raise OrgModelError(f"unknown StrongDM org model {wanted!r} (--org-model or SIM_STRONGDM_ORG_MODEL); "
                            f"choose one of {', '.join(ORG_MODELS)}")
    recorded = store.get_meta(ORG_MODEL_META)
    if recorded is None:
        recorded = "roles" if has_roles else wanted
        store.set_meta(ORG_MODEL_META, recorded)
    if recorded != wanted:
        raise OrgModelError(
            f"this StrongDM state ({store.path}) is a {recorded!r} org; it cannot be opened as a {wanted!r} one "
            f"(StrongDM migrates orgs only through Support). Pass --org-model {recorded}, or start from an empty "
            f"state (sim up --fresh, or another --state-dir).")
    return recorded


class OrgError(Exception):
    """A refused org operation (shown to the admin as a message)."""


# The SCIM settings (provider, token hash) are read on every SCIM request and change only when an admin acts.
# Changes made through this Org are seen at once; ones another process makes on the same state file (nothing in
# the simulator does: one server owns a state dir) within this many seconds.
SCIM_CACHE_SECONDS = 1.0
NO_SCIM = {"provider": None, "token_hash": None, "token_created_at": None}

# werkzeug's default; tests pass a cheap PASSWORD_HASH_METHOD setting (never read from the environment).
DEFAULT_PASSWORD_METHOD = "scrypt"


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests, never in clear."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Org:
    """One StrongDM organisation; SCIM settings live in the store's meta table."""

    def __init__(self, store: Store, activities=None, *, password_method: str = DEFAULT_PASSWORD_METHOD):
        self.store = store
        self.activities = activities
        self.password_method = password_method  # a werkzeug `generate_password_hash` method
        store.schema(PASSWORDS_DDL)  # after the accounts' tables: a password belongs to a user
        if store.get_meta("org_id") is None:
            store.set_meta("org_id", "o-" + store.new_hex("org", 16))
        # Read once: it never changes, and every activity carries it (a meta query per audit row otherwise).
        self.org_id = store.get_meta("org_id")
        self._scim_cache: tuple[float, dict] | None = None  # (monotonic time read, settings)
        self._scim_generation = 0  # bumped after each change here: a read that raced one is not cached
        self._scim_lock = threading.Lock()

    # -- SCIM provisioning settings (Settings > User Management > Provisioning) -----------------------

    def scim_settings(self) -> dict:
        """Provider, whether a token exists and when it was made (never the token itself)."""
        cached, now = self._scim_cache, time.monotonic()
        if cached is not None and now - cached[0] < SCIM_CACHE_SECONDS:
            return dict(cached[1])
        generation = self._scim_generation
        settings = self.store.get_meta("scim", NO_SCIM)
        with self._scim_lock:
            if generation == self._scim_generation:
                self._scim_cache = (now, settings)
        return dict(settings)

    def state_replaced(self) -> None:
        """The store's contents were replaced under us (a sandbox reset): forget what was read from them."""
        self._scim_changed()

    def _scim_changed(self) -> None:
        """After a change to the SCIM settings has committed: the next read goes to the store."""
        with self._scim_lock:
            self._scim_generation += 1
            self._scim_cache = None

    def scim_provider(self) -> str | None:
        """The active SCIM provider, or None when SCIM is not activated."""
        return self.scim_settings().get("provider")

    def activate_scim(self, provider: str, token: str | None = None, actor: dict | None = None) -> str:
        """Activate SCIM with a provider; returns the new token, shown once."""
        if provider not in PROVIDERS:
            raise OrgError(f"Unknown SCIM provider {provider!r}; choose one of {', '.join(PROVIDER_LABELS.values())}.")
        if token is not None and (len(token) < 16 or not token.isprintable() or " " in token):
            raise OrgError("A SCIM token must be at least 16 printable characters without spaces.")
        token = token or secrets.token_urlsafe(48)
        current = self.scim_settings()
        with self.store.write() as db:
            self.store.set_meta("scim", {"provider": provider, "token_hash": hash_token(token),
                                         "token_created_at": self.store.now()})
            if self.activities:
                entity = [{"id": provider, "type": "scim provider", "name": PROVIDER_LABELS[provider], "email": "",
                           "externalId": ""}]
                self.activities.record(db, "SCIM provider set", f"SCIM provider set to {PROVIDER_LABELS[provider]}.",
                                       entity, actor)
                verb = "SCIM token rekeyed" if current.get("token_hash") else "SCIM token created"
                self.activities.record(db, verb, f"{verb[0].upper()}{verb[1:]}.", entity, actor)
        self._scim_changed()
        return token

    def rekey_scim(self, actor: dict | None = None) -> str:
        """Regenerate the token; the old one stops working at once."""
        provider = self.scim_provider()
        if provider is None:
            raise OrgError("SCIM is not activated.")
        return self.activate_scim(provider, actor=actor)

    def deactivate_scim(self, actor: dict | None = None) -> None:
        """Turn SCIM off; the token dies."""
        provider = self.scim_provider()
        if provider is None:
            raise OrgError("SCIM is not activated.")
        with self.store.write() as db:
            self.store.set_meta("scim", {"provider": None, "token_hash": None, "token_created_at": None})
            if self.activities:
                entity = [{"id": provider, "type": "scim provider", "name": PROVIDER_LABELS[provider], "email": "",
                           "externalId": ""}]
                self.activities.record(db, "SCIM token deleted", "SCIM token deleted.", entity, actor)
                self.activities.record(db, "SCIM provider deleted", "SCIM provider deleted.", entity, actor)
        self._scim_changed()

    def check_token(self, token: str | None) -> bool:
        """Constant-time check of a bearer token against the stored hash."""
        expected = self.scim_settings().get("token_hash")
        if not expected or not token:
            # Still compare, so a missing token costs the same as a wrong one.
            hmac.compare_digest(hash_token(token or ""), "0" * 64)
            return False
        return hmac.compare_digest(hash_token(token), expected)

    # -- admins --------------------------------------------------------------------------------------

    def set_password(self, account_id: str, password: str) -> None:
        """Store an Admin UI password hash for an account."""
        with self.store.write() as db:
            db.execute(
                "INSERT INTO passwords(account_id, hash) VALUES (?, ?) "
                "ON CONFLICT(account_id) DO UPDATE SET hash = excluded.hash",
                (account_id, generate_password_hash(password, self.password_method)),
            )

    def check_password(self, account_id: str, password: str) -> bool:
        """Check an Admin UI password."""
        row = self.store.read().execute("SELECT hash FROM passwords WHERE account_id = ?", (account_id,)).fetchone()
        if row is None:
            check_password_hash(self._dummy_hash(), password or "")  # the same cost as a real check
            return False
        return check_password_hash(row["hash"], password or "")

    def _dummy_hash(self) -> str:
        """A hash to check against when there is no account, made once (making one costs as much as checking)."""
        if getattr(self, "_dummy", None) is None:
            self._dummy = generate_password_hash(secrets.token_hex(16), self.password_method)
        return self._dummy


def org_model_census(db: sqlite3.Connection) -> dict:
    """The recorded org model (`groups`, `roles`, or None before first use) over a read-only connection."""
    return {"org_model": read_meta(db, ORG_MODEL_META)}


def scim_census(db: sqlite3.Connection) -> dict:
    """The SCIM provider and whether a token is set, over a read-only connection (`sim status`); never the token."""
    scim = read_meta(db, "scim") or {}
    return {"scim_provider": scim.get("provider"), "scim_token_set": bool(scim.get("token_hash")),
            "scim_token_created_at": scim.get("token_created_at")}
