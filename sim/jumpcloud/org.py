"""The organisation: its id, administrators (hashed passwords, roles) and their API keys (hashed)."""

import hashlib
import hmac
import secrets

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ConflictError
from sim.jumpcloud.errors import NotFoundError
from sim.store import Store
from sim.store import dumps
from sim.store import loads

DDL = """
CREATE TABLE IF NOT EXISTS jc_admins (
    id TEXT PRIMARY KEY,
    email_lc TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jc_api_keys (
    key_hash TEXT PRIMARY KEY,
    admin_id TEXT NOT NULL REFERENCES jc_admins(id),
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE INDEX IF NOT EXISTS jc_api_keys_admin ON jc_api_keys(admin_id);
"""

ADMIN_ROLE = "Administrator"
# Roles from JumpCloud's admin role list; what each may do is our simplification (see `can`).
ROLES = {"Administrator with Billing", ADMIN_ROLE, "Manager", "Help Desk", "Read Only"}
USER_MANAGERS = {"Administrator with Billing", ADMIN_ROLE, "Manager", "Help Desk"}
APP_MANAGERS = {"Administrator with Billing", ADMIN_ROLE, "Manager"}
# Who may drive the simulator (`/_sim`: faults, full sync, idle): the console's roles, as StrongDM's `/_sim`
# takes only its Administrators. Assumed: the real JumpCloud has no `/_sim`.
SIM_CONTROLLERS = {"Administrator with Billing", ADMIN_ROLE}
SIM_REFUSAL = ("the simulator's control endpoints (/_sim) need the API key of an Administrator; "
               "this key belongs to a {role} administrator")


# werkzeug's default method of `generate_password_hash`.
DEFAULT_PASSWORD_METHOD = "scrypt"


def key_hash(key: str) -> str:
    """API keys are stored only as their SHA-256."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def can(admin: dict, action: str) -> bool:
    """Role check: `read` for all; `write_users` (users, groups, members), `write_apps` (apps, bindings), `control`
    (the simulator's `/_sim`)."""
    role = admin.get("role")
    if action == "read":
        return role in ROLES
    if action == "write_users":
        return role in USER_MANAGERS
    if action == "control":
        return role in SIM_CONTROLLERS
    return role in APP_MANAGERS


def api_key_count(db) -> int:
    """How many API keys are not revoked (reads only: `sim status`)."""
    return db.execute("SELECT COUNT(*) FROM jc_api_keys WHERE revoked IS NULL").fetchone()[0]


class Organisation:
    """One organisation: id in the store's meta table, administrators and API keys in their own tables."""

    def __init__(self, store: Store, *, password_method: str = DEFAULT_PASSWORD_METHOD):
        self.store = store
        # A werkzeug `generate_password_hash` method; tests pass a cheap one (never read from the environment).
        self.password_method = password_method
        store.schema(DDL)

    @property
    def id(self) -> str | None:
        """The 24-hex organisation id (None until created)."""
        return self.store.get_meta("jumpcloud.org_id")

    def ensure(self, org_id: str, name: str = "Example Org") -> None:
        """Create the organisation record once."""
        if self.id is None:
            with self.store.write():
                self.store.set_meta("jumpcloud.org_id", org_id)
                self.store.set_meta("jumpcloud.org_name", name)

    @property
    def name(self) -> str:
        """Display name of the organisation."""
        return self.store.get_meta("jumpcloud.org_name", "Example Org")

    def record(self) -> dict:
        """The v1 `Organization` (GET /api/organizations/{id}): id, name, created and the settings we model.

        Source: the unified console spec, schema `organization` (TheJumpCloud/jumpcloud-docs-public,
        docs/new/console/index.yaml); `newSystemUserStateDefaults.manualEntry` is why POST systemusers is ACTIVATED.
        """
        admins = self.admins()
        contact = admins[0] if admins else {}
        return {
            # The org is made with its first administrator: reading the clock here would move a fixed clock and
            # shift every timestamp `sim export` writes after it.
            "_id": self.id, "created": contact.get("created"), "displayName": self.name,
            "logoUrl": None, "provider": None, "accessRestriction": "", "hasCreditCard": False,
            "hasStripeCustomerId": False,
            "settings": {"name": self.name, "contactEmail": contact.get("email", ""),
                         "contactName": " ".join(filter(None, (contact.get("firstname"), contact.get("lastname")))),
                         "newSystemUserStateDefaults": {"manualEntry": "ACTIVATED", "csvImport": "ACTIVATED",
                                                        "applicationImport": "STAGED"},
                         "passwordCompliance": "custom", "requireAdminMFA": False, "systemUsersCanEdit": True},
        }

    def create_admin(self, email: str, password: str, *, role: str = ADMIN_ROLE,
                     firstname: str = "", lastname: str = "") -> dict:
        """Add an administrator (password hashed with werkzeug); 409 if the email is taken."""
        if role not in ROLES:
            raise BadRequestError(f"unknown role: {role}")
        if not isinstance(email, str) or "@" not in email:
            raise BadRequestError("email must be an email address")
        with self.store.write() as db:
            if db.execute("SELECT 1 FROM jc_admins WHERE email_lc = ?", (email.lower(),)).fetchone():
                raise ConflictError("Administrator already exists")
            admin = {
                "_id": self.store.new_hex("admin", 24),
                "email": email,
                "firstname": firstname,
                "lastname": lastname,
                "role": role,
                "roleName": role,
                "organization": self.id,
                "created": self.store.now(),
            }
            db.execute(
                "INSERT INTO jc_admins(id, email_lc, password_hash, doc) VALUES (?, ?, ?, ?)",
                (admin["_id"], email.lower(), generate_password_hash(password, self.password_method), dumps(admin)),
            )
        return admin

    def admins(self) -> list[dict]:
        """Every administrator, oldest first."""
        rows = self.store.read().execute("SELECT doc FROM jc_admins ORDER BY rowid").fetchall()
        return [loads(r["doc"]) for r in rows]

    def admin(self, admin_id: str) -> dict:
        """One administrator by id (404 if unknown)."""
        row = self.store.read().execute("SELECT doc FROM jc_admins WHERE id = ?", (admin_id,)).fetchone()
        if row is None:
            raise NotFoundError("Administrator not found")
        return loads(row["doc"])

    def set_password(self, admin_id: str, password: str) -> None:
        """Give an administrator a new password (what "Reset password" does for an admin in the console)."""
        self.admin(admin_id)
        with self.store.write() as db:
            db.execute("UPDATE jc_admins SET password_hash = ? WHERE id = ?",
                       (generate_password_hash(password, self.password_method), admin_id))

    def check_password(self, email: str, password: str) -> dict | None:
        """The administrator with this email and password, else None (for the console login)."""
        row = self.store.read().execute(
            "SELECT doc, password_hash FROM jc_admins WHERE email_lc = ?", (str(email).lower(),)
        ).fetchone()
        if row is None:
            check_password_hash(self._dummy_hash(), password)  # an unknown email costs what a wrong password does
            return None
        if not check_password_hash(row["password_hash"], password):
            return None
        return loads(row["doc"])

    def _dummy_hash(self) -> str:
        """A hash to check against when the email is unknown, made once."""
        if getattr(self, "_dummy", None) is None:
            self._dummy = generate_password_hash(secrets.token_hex(16), self.password_method)
        return self._dummy

    def create_api_key(self, admin_id: str, key: str | None = None) -> str:
        """Issue a 40-hex API key for an administrator; the plaintext is returned once and never stored."""
        self.admin(admin_id)
        key = key or secrets.token_hex(20)
        with self.store.write() as db:
            db.execute(
                "INSERT INTO jc_api_keys(key_hash, admin_id, created) VALUES (?, ?, ?)",
                (key_hash(key), admin_id, self.store.now()),
            )
        return key

    def revoke_api_key(self, key: str) -> bool:
        """Revoke a key (JumpCloud's "reset API key"); True if it was live."""
        with self.store.write() as db:
            cur = db.execute(
                "UPDATE jc_api_keys SET revoked = ? WHERE key_hash = ? AND revoked IS NULL",
                (self.store.now(), key_hash(key)),
            )
            return cur.rowcount == 1

    def authenticate(self, key: str | None) -> dict | None:
        """The administrator owning a live key, else None; compares digests in constant time."""
        if not key:
            return None
        digest = key_hash(key)
        rows = self.store.read().execute(
            "SELECT key_hash, admin_id FROM jc_api_keys WHERE revoked IS NULL"
        ).fetchall()
        match = None
        for row in rows:  # a handful of keys: compare against all so timing reveals nothing
            if hmac.compare_digest(row["key_hash"], digest):
                match = row["admin_id"]
        return self.admin(match) if match else None


def control_refusal(admin: dict | None) -> bool | str:
    """May this key's administrator drive `/_sim`: True, False (no valid key: 401), or why not (403)."""
    if admin is None:
        return False
    return True if can(admin, "control") else SIM_REFUSAL.format(role=admin.get("role"))
