"""Service accounts and their OAuth 2.0 client-credentials tokens: the only SQL on jc_service_accounts,
jc_sa_credentials and jc_sa_tokens.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), schemas
`jumpcloud.service_accounts.*`; "Service Account for APIs" (https://jumpcloud.com/support/service-account-for-apis):
a client id and secret buy an access token at an OAuth 2.0 token endpoint (RFC 6749 §4.4). Secrets and tokens
are stored only as their SHA-256.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from sim.jumpcloud.directory.shapes import OBJECT_ID
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ConflictError
from sim.jumpcloud.errors import ForbiddenError
from sim.jumpcloud.errors import NotFoundError
from sim.jumpcloud.org import ADMIN_ROLE
from sim.jumpcloud.org import ROLES
from sim.store import Store
from sim.store import dumps
from sim.store import iso
from sim.store import loads

DDL = """
CREATE TABLE IF NOT EXISTS jc_service_accounts (
    id TEXT PRIMARY KEY,
    name_lc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    expires TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jc_sa_credentials (
    lookup TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES jc_service_accounts(id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jc_sa_credentials_account ON jc_sa_credentials(account_id);
CREATE TABLE IF NOT EXISTS jc_sa_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES jc_service_accounts(id) ON DELETE CASCADE,
    expires TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jc_sa_tokens_account ON jc_sa_tokens(account_id);
"""

# The secret lifetimes the spec lists ("30 Days", "60 Days", "90 Days", "365 Days").
LIFETIMES = {"30 Days": 30, "60 Days": 60, "90 Days": 90, "365 Days": 365}
AUTH_TYPES = {"CLIENT_SECRET": "clientSecretConfig", "API_KEY": "apiKeyConfig"}
TOKEN_SECONDS = 3600  # JumpCloud's admin access tokens last an hour (assumed: the support article gives no number)
EXPIRING_DAYS = 7  # the article: admins are emailed 7 days before a secret expires
# Who may manage service accounts. The real product: only "Administrator with Billing" (StackOne's JumpCloud
# guide); we also let Administrators, the role `sim up` seeds, so scripts can create one (assumed).
MANAGERS = {"Administrator with Billing", ADMIN_ROLE}
MAX_NAME = 128
API_KEY_PREFIX = "jcs_"


def role_id(name: str) -> str:
    """A built-in role's 24-hex id, the same in every state (GET /api/v2/roles lists them)."""
    return hashlib.sha256(f"jumpcloud-role:{name}".encode()).hexdigest()[:24]


ROLE_BY_ID = {role_id(name): name for name in sorted(ROLES)}


def digest(secret: str) -> str:
    """Secrets, API keys and tokens are kept only as their SHA-256."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def status(expires: str, now: dt.datetime) -> str:
    """ACTIVE, EXPIRING (within 7 days) or EXPIRED, as `jumpcloud.service_accounts.Status`."""
    if expires <= iso(now):
        return "EXPIRED"
    return "EXPIRING" if expires <= iso(now + dt.timedelta(days=EXPIRING_DAYS)) else "ACTIVE"


def clean_create(body) -> tuple[str, str, str, int]:
    """`CreateServiceAccountRequest` into (name, role name, auth type, lifetime in days); 400 on anything else."""
    if not isinstance(body, dict):
        raise BadRequestError("request body must be a JSON object")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BadRequestError("name is required")
    if len(name) > MAX_NAME:
        raise BadRequestError(f"name must be at most {MAX_NAME} characters")
    role = body.get("roleId")
    if not isinstance(role, str) or not role:
        raise BadRequestError("roleId is required")
    if role not in ROLE_BY_ID:
        raise BadRequestError("roleId does not name a role")
    auth = body.get("authConfig")
    if not isinstance(auth, dict):
        raise BadRequestError("authConfig is required")
    auth_type = auth.get("authType")
    if auth_type not in AUTH_TYPES:
        raise BadRequestError("authConfig.authType must be CLIENT_SECRET or API_KEY")
    config = auth.get(AUTH_TYPES[auth_type])
    lifetime = config.get("lifetime") if isinstance(config, dict) else None
    if lifetime not in LIFETIMES:
        raise BadRequestError(f"authConfig.{AUTH_TYPES[auth_type]}.lifetime must be one of: {', '.join(LIFETIMES)}")
    return name.strip(), ROLE_BY_ID[role], auth_type, LIFETIMES[lifetime]


class ServiceAccounts:
    """Service accounts of the one organisation; `org_id()` names it, `store.clock` tells expiry."""

    def __init__(self, store: Store, org_id):
        self.store = store
        self.org_id = org_id
        store.schema(DDL)

    def now(self) -> dt.datetime:
        """The injected clock's time (expiry is checked against it)."""
        return self.store.clock.now()

    def may_manage(self, principal: dict) -> None:
        """403 unless this administrator or service account has a role that manages service accounts."""
        if principal.get("role") not in MANAGERS:
            raise ForbiddenError(f"Forbidden: the {principal.get('role')} role cannot manage service accounts")

    def create(self, body, *, creator: dict) -> dict:
        """Create an account with one secret (or jcs_ API key); the answer carries it once, never stored."""
        name, role, auth_type, days = clean_create(body)
        now = self.now()
        expires = iso(now + dt.timedelta(days=days))
        with self.store.write() as db:
            if db.execute("SELECT 1 FROM jc_service_accounts WHERE name_lc = ?", (name.lower(),)).fetchone():
                raise ConflictError("a service account with that name already exists")
            account_id = self.store.new_hex("service_account", 24)
            config = {"createdAt": iso(now),
                      "createdBy": {"id": creator.get("_id"), "name": creator.get("email") or creator.get("name"),
                                    "type": "SERVICE_ACCOUNT" if creator.get("service_account") else "ADMIN"},
                      "expiresAt": expires, "lifetime": f"{days} Days",
                      "objectId": self.store.new_hex("service_account_auth", 24)}
            if auth_type == "CLIENT_SECRET":
                lookup, secret = secrets.token_hex(16), secrets.token_urlsafe(32)
                stored, shown = {**config, "clientId": lookup}, {"clientSecret": secret}
            else:
                secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
                lookup = digest(secret)
                stored, shown = {**config, "apiKeyPrefix": secret[:8]}, {"apiKey": secret}
            doc = {"objectId": account_id, "name": name, "orgId": self.org_id(), "roleId": role_id(role),
                   "roleName": role, "authType": auth_type, "createdAt": iso(now), "expiresAt": expires,
                   "authConfigList": [{"authType": auth_type, AUTH_TYPES[auth_type]: stored}]}
            db.execute("INSERT INTO jc_service_accounts(id, name_lc, name, expires, doc) VALUES (?, ?, ?, ?, ?)",
                       (account_id, name.lower(), name, expires, dumps(doc)))
            db.execute("INSERT INTO jc_sa_credentials(lookup, account_id, secret_hash, expires) VALUES (?, ?, ?, ?)",
                       (lookup, account_id, digest(secret), expires))
        shaped = self.shape(doc, now)
        shaped["authConfigList"][0][AUTH_TYPES[auth_type]].update(shown)
        return shaped

    def shape(self, doc: dict, now: dt.datetime, *, with_auth: bool = True) -> dict:
        """A stored account as `ServiceAccount`, with its status now; lists leave the auth configs out (spec)."""
        out = {**doc, "status": status(doc["expiresAt"], now)}
        if with_auth:
            out["authConfigList"] = [
                {**c, **{k: {**v, "status": status(v["expiresAt"], now)} for k, v in c.items() if k != "authType"}}
                for c in doc["authConfigList"]]
        else:
            out.pop("authConfigList", None)
        return out

    def _doc(self, db, account_id: str) -> dict:
        if not isinstance(account_id, str) or not OBJECT_ID.match(account_id):
            raise BadRequestError("invalid service account id")
        row = db.execute("SELECT doc FROM jc_service_accounts WHERE id = ?", (account_id,)).fetchone()
        if row is None:
            raise NotFoundError("service account not found")
        return loads(row["doc"])

    def get(self, account_id: str) -> dict:
        """One account with its auth configs (never a secret)."""
        return self.shape(self._doc(self.store.read(), account_id), self.now())

    def list(self, *, skip: int, limit: int, sort: str | None, term: str | None) -> tuple[int, list[dict]]:
        """(totalCount, page); `sort` name/-name/expiresAt/-expiresAt; a search term matches names and sorts by name."""
        orders = {"name": "name_lc, id", "-name": "name_lc DESC, id", "expiresAt": "expires, id",
                  "-expiresAt": "expires DESC, id"}
        if sort not in (None, "", *orders):
            raise BadRequestError("sort must be one of: name, -name, expiresAt, -expiresAt")
        where, params = "", []
        if term:
            where, params = " WHERE instr(name_lc, ?) > 0", [term.lower()]
            sort = "name"  # the spec: a search config overrides the sort to name, ascending
        db = self.store.read()
        total = db.execute(f"SELECT COUNT(*) FROM jc_service_accounts{where}", params).fetchone()[0]
        rows = db.execute(f"SELECT doc FROM jc_service_accounts{where} ORDER BY {orders[sort or 'name']}"
                          " LIMIT ? OFFSET ?", [*params, limit, skip]).fetchall()
        now = self.now()
        return total, [self.shape(loads(r["doc"]), now, with_auth=False) for r in rows]

    def delete(self, account_id: str) -> None:
        """Delete an account; its secrets and every token it was given stop working at once."""
        with self.store.write() as db:
            self._doc(db, account_id)
            db.execute("DELETE FROM jc_sa_tokens WHERE account_id = ?", (account_id,))
            db.execute("DELETE FROM jc_sa_credentials WHERE account_id = ?", (account_id,))
            db.execute("DELETE FROM jc_service_accounts WHERE id = ?", (account_id,))

    def issue_token(self, client_id: str, client_secret: str) -> dict | None:
        """An access token for a live client id and secret (RFC 6749 §4.4.3), else None (invalid_client)."""
        now = iso(self.now())
        with self.store.write() as db:
            row = db.execute("SELECT account_id, secret_hash FROM jc_sa_credentials WHERE lookup = ? AND expires > ?",
                             (client_id, now)).fetchone()
            if row is None or not hmac.compare_digest(row["secret_hash"], digest(client_secret)):
                return None
            access = secrets.token_urlsafe(32)
            expires = iso(self.now() + dt.timedelta(seconds=TOKEN_SECONDS))
            db.execute("DELETE FROM jc_sa_tokens WHERE expires <= ?", (now,))  # keep the table to live tokens
            db.execute("INSERT INTO jc_sa_tokens(token_hash, account_id, expires) VALUES (?, ?, ?)",
                       (digest(access), row["account_id"], expires))
        return {"access_token": access, "token_type": "bearer", "expires_in": TOKEN_SECONDS, "scope": "api"}

    def authenticate_token(self, token: str | None) -> dict | None:
        """The principal behind a live Bearer access token, else None."""
        if not token:
            return None
        row = self.store.read().execute("SELECT account_id FROM jc_sa_tokens WHERE token_hash = ? AND expires > ?",
                                        (digest(token), iso(self.now()))).fetchone()
        return self.principal(row["account_id"]) if row else None

    def authenticate_key(self, key: str | None) -> dict | None:
        """The principal behind a live `jcs_` service-account API key (sent as x-api-key), else None."""
        if not key or not key.startswith(API_KEY_PREFIX):
            return None
        row = self.store.read().execute("SELECT account_id FROM jc_sa_credentials WHERE lookup = ? AND expires > ?",
                                        (digest(key), iso(self.now()))).fetchone()
        return self.principal(row["account_id"]) if row else None

    def principal(self, account_id: str) -> dict | None:
        """What the API's role checks and DI events see for a service account: its id, name and role."""
        row = self.store.read().execute("SELECT doc FROM jc_service_accounts WHERE id = ?", (account_id,)).fetchone()
        if row is None:
            return None
        doc = loads(row["doc"])
        return {"_id": doc["objectId"], "email": None, "name": doc["name"], "role": doc["roleName"],
                "roleName": doc["roleName"], "service_account": True}


def roles() -> list[dict]:
    """The built-in roles as the spec's `Role` (GET /api/v2/roles); scopes name what our role check allows."""
    scopes = {"Read Only": ["users.readonly", "groups.readonly", "applications.readonly"],
              "Help Desk": ["users", "groups", "applications.readonly"]}
    full = ["users", "groups", "applications", "serviceaccounts"]
    return [{"id": role_id(name), "name": name, "scopes": scopes.get(name, full if name in MANAGERS else
                                                                     ["users", "groups", "applications"]),
             "isCustom": False, "description": f"The built-in {name} role"} for name in sorted(ROLES)]
