"""The mock JumpCloud's state in one object: organisation, directory, insights over one store."""

import hashlib
import secrets
import sqlite3

from sim.jumpcloud.bulk import Bulk
from sim.jumpcloud.directory import directory as directory_tables
from sim.jumpcloud.directory.directory import Directory
from sim.jumpcloud.insights import Insights
from sim.jumpcloud.org import ADMIN_ROLE
from sim.jumpcloud.org import DEFAULT_PASSWORD_METHOD
from sim.jumpcloud.org import Organisation
from sim.jumpcloud.org import api_key_count
from sim.jumpcloud.pusher.queue import failing_items
from sim.jumpcloud.pusher.queue import queue_counts
from sim.jumpcloud.pusher.queue import unresolved_total
from sim.jumpcloud.pusher.settings import stored_configs
from sim.jumpcloud.service_accounts import ServiceAccounts
from sim.store import Store

DEFAULT_ADMIN = {"email": "admin@example.com", "password": "jumpcloud-sim", "firstname": "Ada", "lastname": "Admin"}


class JumpCloud:
    """What `app.extensions["jumpcloud"]` holds: `.store`, `.org`, `.directory`, `.insights` (others add `.pusher`).

    Seams, each None for the real thing: `make_directory(seed, users, groups)` generates what `seed_if_empty`
    loads (sim.fake.directory's by default), `password_method` hashes admin passwords (werkzeug's scrypt),
    `scim_client` builds the pusher's SCIM clients (ScimClient's arguments) and `scim_recorder(exchange)`
    is given every SCIM exchange the pusher makes.
    """

    def __init__(self, store: Store, *, make_directory=None, password_method: str | None = None,
                 scim_client=None, scim_recorder=None):
        self.store = store
        self.org = Organisation(store, password_method=password_method or DEFAULT_PASSWORD_METHOD)
        self.insights = Insights(store, lambda: self.org.id)
        self.directory = Directory(store, self.insights, lambda: self.org.id)
        self.service_accounts = ServiceAccounts(store, lambda: self.org.id)
        self.bulk = Bulk(store, self.directory, lambda: self.org.record()["settings"]["newSystemUserStateDefaults"])
        self.make_directory = make_directory
        self.scim_client = scim_client
        self.scim_recorder = scim_recorder

    def is_empty(self) -> bool:
        """True before the first seed (no organisation yet)."""
        return self.org.id is None

    def seed(self, fake, admin: dict | None = None, *, api_key: str | None = None,
             skip_apps: tuple[str, ...] = ()) -> str:
        """Load a generated directory, create one administrator and one API key; return the plaintext key."""
        admin = {**DEFAULT_ADMIN, **(admin or {})}
        self.org.ensure(fake.org_id, getattr(fake, "company", None) or "Example Org")
        self.directory.seed(fake, skip_apps=skip_apps)
        record = self.org.create_admin(admin["email"], admin["password"], role=admin.get("role", ADMIN_ROLE),
                                       firstname=admin.get("firstname", ""), lastname=admin.get("lastname", ""))
        return self.org.create_api_key(record["_id"], api_key)


def seed_if_empty(jc: JumpCloud, *, seed: int, users: int, groups: int, api_key: str | None = None,
                  admin_password: str | None = None, skip_apps: tuple[str, ...] = ()) -> dict | None:
    """Seed a generated directory when the state is empty: returns {api_key, admin: {email, password}}, else None.

    The directory comes from `jc.make_directory`, else `sim.fake.directory.make_directory`.
    `skip_apps`: catalog connector names not to create as SSO apps (see `Directory.seed`).
    """
    if not jc.is_empty():
        return None
    from sim.fake import directory as fake

    make_directory = jc.make_directory or fake.make_directory
    directory = make_directory(seed, users, groups)
    admin = {**DEFAULT_ADMIN, **(_as_dict(fake.admin_identity(seed)) or {})}
    admin["password"] = admin_password or secrets.token_urlsafe(12)
    key = jc.seed(directory, admin, api_key=api_key, skip_apps=skip_apps)
    return {"api_key": key, "admin": {"email": admin["email"], "password": admin["password"]}}


def _as_dict(identity) -> dict | None:
    """`fake.admin_identity` may return a dict or an object with attributes."""
    if identity is None or isinstance(identity, dict):
        return identity
    keys = ("email", "password", "firstname", "lastname", "role")
    return {k: getattr(identity, k) for k in keys if getattr(identity, k, None) is not None}


def fixed_api_key(seed: int) -> str:
    """A key derived from the seed, for tests and scripted demos that must know it in advance."""
    return hashlib.sha256(f"jumpcloud-sim-api-key:{seed}".encode()).hexdigest()[:40]


def _or(default, read, db):
    """`read(db)`, or `default` when its owner's tables do not exist yet (the app never ran that far)."""
    try:
        return read(db)
    except sqlite3.OperationalError:
        return default


def summary(db) -> dict:
    """Counts, Identity Management wiring (no token) and push queue of one state, over a read-only connection."""
    labels = _or({}, directory_tables.app_labels, db)
    wiring = [{"app_id": c["app_id"], "app": labels.get(c["app_id"]), "base_url": c.get("base_url"),
               "status": c.get("status"), "group_management": c.get("group_management"),
               "token_set": bool(c.get("token")), "last_error": c.get("last_error")}
              for c in _or([], stored_configs, db)]
    return {
        **_or(dict.fromkeys(("users", "user_groups", "memberships", "applications")), directory_tables.counts, db),
        "api_keys": _or(None, api_key_count, db),
        "identity_management": wiring,
        **_or(dict.fromkeys(("pending", "failing", "parked")), queue_counts, db),
        "unresolved": _or(None, unresolved_total, db),
        "failing_items": _or([], failing_items, db),
    }
