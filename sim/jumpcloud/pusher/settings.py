"""Identity Management settings of an SSO application, and the connection test run on Activate.

The settings live in the JumpCloud store; the token must be sent, so it is stored, but no method
here returns it (`public()` says only whether one is set). Activation runs the test JumpCloud runs
(the order is inferred): look up the test user, create it, create, update and delete a test group
when group management is on, then delete the test user, or deactivate it when the application does
not support DELETE (404/405/501). Source: JumpCloud, "Provision and Manage Users and Groups in Apps
Using Custom SCIM Identity Management Integration",
https://jumpcloud.com/support/provision-and-manage-users-and-groups-in-apps-using-custom-scim-identity-management-integration
"""

import urllib.parse

from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.pusher import mapping
from sim.jumpcloud.pusher.client import DEFAULT_CONTENT_TYPE
from sim.jumpcloud.pusher.client import DEFAULT_DEADLINE
from sim.jumpcloud.pusher.client import DEFAULT_MAX_RESPONSE
from sim.jumpcloud.pusher.client import DEFAULT_USER_AGENT
from sim.jumpcloud.pusher.client import ScimClient
from sim.jumpcloud.pusher.client import ScimClientError
from sim.store import dumps
from sim.store import loads

DDL = """
CREATE TABLE IF NOT EXISTS idm_configs (
    app_id TEXT PRIMARY KEY,
    active INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
);
"""

UPDATE_METHODS = ("PUT", "PATCH")
TESTED = ("base_url", "token", "group_management")  # what the connection test depends on
DEFAULT_TEST_USER_EMAIL = "jumpcloud-scim-test@example.com"  # the guide names none; the pusher needs one
DELETE_MODES = ("deactivate", "delete")
UNSUPPORTED = (404, 405, 501)
# The message JumpCloud's admin portal shows (https://github.com/grokability/snipe-it/issues/17002).
FAILURE_PREFIX = "There was a problem activating identity management"


class ActivationError(BadRequestError):
    """The connection test failed; `message` says why, `steps` lists what was sent."""

    code = "activationFailed"

    def __init__(self, message: str, steps: list[dict] | None = None):
        super().__init__(f"{FAILURE_PREFIX}: {message}")
        self.reason = message
        self.steps = steps or []


def check_base_url(value) -> str:
    """An http(s) URL without a trailing `/` (JumpCloud refuses one: "Troubleshoot Custom SCIM Integrations")."""
    if not isinstance(value, str) or not value.strip():
        raise BadRequestError("Base URL is required", details=[{"field": "base_url"}])
    value = value.strip()
    if value.endswith("/"):
        raise BadRequestError("Base URL must not end with '/': remove the trailing slash",
                              details=[{"field": "base_url"}])
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise BadRequestError("Base URL must be an http(s) URL without query or fragment",
                              details=[{"field": "base_url"}])
    if parts.username is not None or parts.password is not None:
        # Credentials belong in the Token field; in the URL they would be echoed in settings and events.
        raise BadRequestError("Base URL must not contain a user name or password; put the token in Token",
                              details=[{"field": "base_url"}])
    return value


def stored_configs(db) -> list[dict]:
    """Every application's stored settings, token included, by app id (reads only: `sim status`)."""
    return [loads(doc) for (doc,) in db.execute("SELECT doc FROM idm_configs ORDER BY app_id").fetchall()]


def move_base_url(store, old: str, new: str) -> int:
    """Point every configuration at `old` to `new`, keeping its status and token; returns how many moved.

    Simulator-only, for a copy of a synced state served on other ports (the pytest plugin's snapshots): the
    receiver behind the new address holds the same state the connection test passed against. Console and API
    edits of the Base URL go through `configure` (a new connection test). Call before the pusher starts.
    """
    with store.write() as db:
        moved = 0
        for (app_id, doc) in db.execute("SELECT app_id, doc FROM idm_configs").fetchall():
            config = loads(doc)
            if config.get("base_url") == old:
                db.execute("UPDATE idm_configs SET doc = ? WHERE app_id = ?",
                           (dumps({**config, "base_url": check_base_url(new)}), app_id))
                moved += 1
        return moved


def _choice(value, allowed: tuple, field: str) -> str:
    if value not in allowed:
        raise BadRequestError(f"{field} must be one of {', '.join(allowed)}", details=[{"field": field}])
    return value


class IdentityManagement:
    """Per-application settings and activation; `client(config)` builds the SCIM client to push with.

    `client_factory` takes ScimClient's arguments (ScimClient itself by default); `recorder(exchange)`, if
    given, is handed to every client built, connection tests included (`sim export` records the traffic).
    """

    def __init__(self, store, directory, insights, settings: dict | None = None, *, client_factory=None,
                 recorder=None):
        self.store = store
        self.directory = directory
        self.insights = insights
        self.settings = settings or {}
        self.client_factory = client_factory or ScimClient
        self.recorder = recorder
        store.schema(DDL)

    # -- settings -----------------------------------------------------------------------------------

    def get(self, app_id: str) -> dict | None:
        """The stored settings, token included (for the pusher only; never return this to a client)."""
        row = self.store.read().execute("SELECT doc FROM idm_configs WHERE app_id = ?", (app_id,)).fetchone()
        return loads(row["doc"]) if row else None

    def public(self, app_id: str) -> dict | None:
        """The settings as the console shows them: the token is replaced by `token_set`."""
        config = self.get(app_id)
        if config is None:
            return None
        out = {k: v for k, v in config.items() if k != "token"}
        out["token_set"] = bool(config.get("token"))
        return out

    def active(self) -> list[dict]:
        """Settings of every application whose Identity Management is active."""
        rows = self.store.read().execute("SELECT doc FROM idm_configs WHERE active = 1 ORDER BY app_id").fetchall()
        return [loads(r["doc"]) for r in rows]

    def _save(self, db, config: dict) -> None:
        db.execute(
            "INSERT INTO idm_configs(app_id, active, doc) VALUES (?, ?, ?) "
            "ON CONFLICT(app_id) DO UPDATE SET active = excluded.active, doc = excluded.doc",
            (config["app_id"], 1 if config["status"] == "active" else 0, dumps(config)),
        )

    def retire(self, db, app_id: str) -> None:
        """A deleted application stops pushing: its settings, if any, go back to `configured`."""
        row = db.execute("SELECT doc FROM idm_configs WHERE app_id = ?", (app_id,)).fetchone()
        if row is not None:
            db.execute("UPDATE idm_configs SET active = 0, doc = ? WHERE app_id = ?",
                       (dumps({**loads(row[0]), "status": "configured"}), app_id))

    def configure(self, app_id: str, *, base_url: str, token: str | None = None, group_management: bool = True,
                  test_user_email: str | None = None, update_method: str | None = None,
                  delete_mode: str | None = None) -> dict:
        """Store settings (`None` keeps the stored value, else the default); an active app must be activated again."""
        self.directory.get_app(app_id)
        previous = self.get(app_id) or {}
        if token is None and previous and base_url != previous.get("base_url"):
            # The stored token goes only to the Base URL it was entered for: moving the URL (to a listener of
            # one's own, say) while keeping the token would hand the "never shown" token over.
            raise BadRequestError("The Base URL changed: enter the Token Key again to send it to the new address.",
                                  details=[{"field": "token"}])
        token = token if token is not None else previous.get("token")
        if not isinstance(token, str) or not token.strip():
            raise BadRequestError("Token Key is required", details=[{"field": "token"}])
        if not isinstance(group_management, bool):
            raise BadRequestError("group_management must be a boolean", details=[{"field": "group_management"}])
        if test_user_email is not None and (not isinstance(test_user_email, str) or "@" not in test_user_email):
            raise BadRequestError("Test User Email must be an email address", details=[{"field": "test_user_email"}])
        config = {
            "app_id": app_id,
            "api_type": "SCIM API",
            "scim_version": "2.0",
            "base_url": check_base_url(base_url),
            "token": token.strip(),
            "group_management": group_management,
            "test_user_email": test_user_email or previous.get("test_user_email"),
            "update_method": _choice(update_method or previous.get("update_method", "PUT"), UPDATE_METHODS,
                                     "update_method"),
            "delete_mode": _choice(delete_mode or previous.get("delete_mode", "deactivate"), DELETE_MODES,
                                   "delete_mode"),
            # Editing an active configuration requires a new connection test (Custom SCIM article, "Editing a Custom
            # SCIM Identity Management Connector").
            "status": "configured",
            "activated_at": previous.get("activated_at"),
            "last_error": None,
        }
        with self.store.write() as db:
            self._save(db, config)
        return self.public(app_id)

    def configure_if_changed(self, app_id: str, *, base_url: str, token: str | None, group_management: bool,
                             test_user_email: str | None) -> bool:
        """`configure` only when a setting differs (a Save with no change keeps an active app active)."""
        stored = self.get(app_id)
        changed = stored is None or any((
            stored["base_url"] != base_url, stored["group_management"] != group_management,
            stored.get("test_user_email") != test_user_email, token is not None and token != stored["token"]))
        if changed:
            self.configure(app_id, base_url=base_url, token=token, group_management=group_management,
                           test_user_email=test_user_email)
        return changed

    def client(self, config: dict) -> ScimClient:
        """A SCIM client for one application's settings."""
        return self.client_factory(
            config["base_url"], config["token"],
            user_agent=self.settings.get("PUSH_USER_AGENT", DEFAULT_USER_AGENT),
            content_type=self.settings.get("PUSH_CONTENT_TYPE", DEFAULT_CONTENT_TYPE),
            timeout=float(self.settings.get("PUSH_TIMEOUT", 30.0)),
            deadline=float(self.settings.get("PUSH_DEADLINE", DEFAULT_DEADLINE)),
            max_response=int(self.settings.get("PUSH_MAX_RESPONSE", DEFAULT_MAX_RESPONSE)),
            pool_size=int(self.settings.get("PUSH_WORKERS", 4)) + 2,
            recorder=self.recorder,
        )

    # -- activation ---------------------------------------------------------------------------------

    def activate(self, app_id: str, test_user_email: str | None = None, *, on_active=None) -> dict:
        """Run the connection test; on success the app becomes active (DI `integration_activate`).

        `on_active(db)` runs inside the transaction that saves the active status.
        """
        app = self.directory.get_app(app_id)
        config = self.get(app_id)
        if config is None:
            raise BadRequestError("Configure Identity Management (Base URL and Token Key) before activating")
        email = test_user_email or config.get("test_user_email")
        if not email or not isinstance(email, str) or "@" not in email:
            raise BadRequestError("Test User Email is required to activate", details=[{"field": "test_user_email"}])
        client = self.client(config)
        steps: list[dict] = []
        try:
            connection_test(client, email, config, steps, self.store.new_hex("idm_test_group", 8))
        except ActivationError as exc:
            exc.steps = steps
            self._record_activation(app, False, exc.reason, steps)
            with self.store.write() as db:
                self._save(db, {**config, "test_user_email": email, "status": "failed", "last_error": exc.reason})
            raise
        finally:
            client.close()
        with self.store.write() as db:
            current = self.get(app_id)
            if {k: current.get(k) for k in TESTED} != {k: config.get(k) for k in TESTED}:
                # Saved while the test ran: what was tested is no longer what would be pushed to.
                raise BadRequestError("The settings changed while the connection test ran; activate again")
            self._save(db, {**current, "test_user_email": email, "status": "active",
                            "activated_at": self.store.now(), "last_error": None})
            self._record_activation(app, True, "Identity Management activated", steps, db)
            if on_active is not None:
                on_active(db)
        return self.public(app_id)

    def deactivate(self, app_id: str) -> dict:
        """Stop pushing for an app (DI `integration_deactivate`); queued work waits for a new activation."""
        app = self.directory.get_app(app_id)
        config = self.get(app_id)
        if config is None:
            raise BadRequestError("Identity Management is not configured")
        with self.store.write() as db:
            self._save(db, {**config, "status": "configured"})
            self.insights.write(db, "directory", "integration_deactivate", success=True,
                                resource={"id": app_id, "type": "application", "name": app.get("displayLabel")})
        return self.public(app_id)

    def _record_activation(self, app: dict, success: bool, message: str, steps: list[dict], db=None) -> None:
        fields = {"success": success, "message": message, "steps": steps,
                  "resource": {"id": app["_id"], "type": "application", "name": app.get("displayLabel")}}
        if db is None:
            self.insights.record_event("directory", "integration_activate", **fields)
        else:
            self.insights.write(db, "directory", "integration_activate", **fields)


def _fail_reason(exc: ScimClientError, base_url: str, what: str) -> str:
    """Turn a failed request of the test into the reason shown to the admin."""
    if exc.status is None:
        return f"connection refused: could not reach {base_url} ({exc.detail})"
    if exc.status == 401:
        return f"the application rejected the Token Key (HTTP 401 on {exc.method} {exc.path}: {exc.detail})"
    if exc.status == 403:
        return f"the Token Key is not allowed to {what} (HTTP 403 on {exc.method} {exc.path}: {exc.detail})"
    if "not a string" in exc.detail:
        return f"{exc.detail} on {exc.method} {exc.path}; JumpCloud only accepts string ids"
    return f"HTTP {exc.status} on {exc.method} {exc.path} while trying to {what}: {exc.detail}"


def _step(steps: list[dict], method: str, path: str, status, ok: bool) -> None:
    steps.append({"method": method, "path": path, "status": status, "ok": ok})


def connection_test(client: ScimClient, email: str, config: dict, steps: list[dict], suffix: str) -> None:
    """The Activate test; raises ActivationError with the reason, cleaning up what it created."""
    base_url = config["base_url"]
    created_user = created_group = None

    def call(what: str, method: str, path: str, fn, *, group_step: bool = False):
        try:
            result = fn()
        except ScimClientError as exc:
            _step(steps, method, path, exc.status, False)
            if group_step and exc.status in UNSUPPORTED:
                raise ActivationError(
                    f"group management is on but the application does not support {what} "
                    f"(HTTP {exc.status} on {method} {path}); JumpCloud needs group creation, updates and "
                    "deletion, or turn group management off") from None
            raise ActivationError(_fail_reason(exc, base_url, what)) from None
        # Client calls return a status, (status, resource) or, for lookups, a list (a 200).
        status = result if isinstance(result, int) else result[0] if isinstance(result, tuple) else 200
        _step(steps, method, path, status, True)
        return result

    try:
        found = call("look up the test user", "GET", "/Users", lambda: client.find_users(email))
        if found:
            raise ActivationError(f"the test user {email} already exists in the application: "
                                  "use a new and unique user's email for the test")
        try:
            status, created_user = client.create_user(mapping.test_user_resource(email))
        except ScimClientError as exc:
            _step(steps, "POST", "/Users", exc.status, False)
            if exc.status == 409:
                raise ActivationError(f"the test user {email} already exists in the application (HTTP 409: "
                                      f"{exc.detail}): use a new and unique user's email for the test") from None
            raise ActivationError(_fail_reason(exc, base_url, "create the test user")) from None
        _step(steps, "POST", "/Users", status, True)
        user_id = created_user["id"]
        if config.get("group_management"):
            body = mapping.group_resource(f"JumpCloud Test Group {suffix}")
            _, created_group = call("group creation", "POST", "/Groups", lambda: client.create_group(body),
                                    group_step=True)
            group_id = created_group["id"]
            ops = mapping.member_operations([user_id], [])
            call("group updates", "PATCH", "/Groups/{id}", lambda: client.patch_group(group_id, ops), group_step=True)
            call("group deletion", "DELETE", "/Groups/{id}", lambda: client.delete_group(group_id), group_step=True)
            created_group = None
        try:
            _step(steps, "DELETE", "/Users/{id}", client.delete_user(user_id), True)
        except ScimClientError as exc:
            _step(steps, "DELETE", "/Users/{id}", exc.status, False)
            if exc.status not in UNSUPPORTED:
                raise ActivationError(_fail_reason(exc, base_url, "delete the test user")) from None
            # No DELETE for users: the test user is deactivated and must be deleted by hand (Custom-SCIM doc).
            if config.get("update_method") == "PATCH":
                call("deactivate the test user", "PATCH", "/Users/{id}",
                     lambda: client.patch_user(user_id, mapping.active_operations(False)))
            else:
                body = mapping.deactivated({**mapping.test_user_resource(email), "id": user_id})
                call("deactivate the test user", "PUT", "/Users/{id}", lambda: client.replace_user(user_id, body))
        created_user = None
    finally:
        _cleanup(client, created_user, created_group)


def _cleanup(client: ScimClient, user: dict | None, group: dict | None) -> None:
    """Best effort: leave nothing of a failed test behind."""
    for resource, delete in ((group, client.delete_group), (user, client.delete_user)):
        if resource and isinstance(resource.get("id"), str):
            try:
                delete(resource["id"])
            except ScimClientError:
                pass
