"""The mock JumpCloud's state in one object: organisation, directory, insights over one store."""

import hashlib
import secrets

from sim.jumpcloud.directory.directory import Directory
from sim.jumpcloud.insights import Insights
from sim.jumpcloud.org import ADMIN_ROLE
from sim.jumpcloud.org import Organisation
from sim.store import Store

DEFAULT_ADMIN = {"email": "admin@example.com", "password": "jumpcloud-sim", "firstname": "Ada", "lastname": "Admin"}


class JumpCloud:
    """What `app.extensions["jumpcloud"]` holds: `.store`, `.org`, `.directory`, `.insights` (others add `.pusher`)."""

    def __init__(self, store: Store):
        self.store = store
        self.org = Organisation(store)
        self.insights = Insights(store, lambda: self.org.id)
        self.directory = Directory(store, self.insights, lambda: self.org.id)

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
    """Seed from `sim.fake.directory` when the state is empty: returns {api_key, admin: {email, password}}, else None.

    `skip_apps`: catalog connector names not to create as SSO apps (see `Directory.seed`).
    """
    if not jc.is_empty():
        return None
    from sim.fake import directory as fake

    directory = fake.make_directory(seed, users, groups)
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
