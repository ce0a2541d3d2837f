"""The mock StrongDM: SCIM receiver, Admin UI and audit log, from `create_app`."""

from dataclasses import dataclass

from flask import Flask
from werkzeug.exceptions import HTTPException

from sim import config
from sim.scim.errors import ScimError
from sim.scim.schemas import list_response
from sim.store import Store
from sim.strongdm.activities import Activities
from sim.strongdm.receiver.discovery import Discovery
from sim.strongdm.accounts import Accounts
from sim.strongdm.org import PASSWORDS_DDL
from sim.strongdm.org import Org
from sim.strongdm.receiver.common import Profile
from sim.strongdm.receiver.groups import ScimGroups
from sim.strongdm.receiver.users import ScimUsers

PROFILES = ("strongdm", "rfc")


@dataclass
class StrongDM:
    """Everything one mock StrongDM org holds."""

    store: Store
    org: Org
    accounts: Accounts
    activities: Activities
    users: ScimUsers
    groups: ScimGroups
    discovery: Discovery
    profile: Profile

    def ensure_admin(self, email: str, password: str, first_name: str = "Admin", last_name: str = "User") -> dict:
        """Create (or reset the password of) an Administrator who can sign in to the Admin UI."""
        user = self.accounts.find_user_by_email(email)
        if user is None:
            user = self.accounts.create_user({"email": email, "first_name": first_name, "last_name": last_name,
                                              "permission_level": "admin"}, actor=None)
        self.org.set_password(user["id"], password)
        return user

    def search_all(self, query, call) -> dict:
        """Users then Groups matching one query, paged together (RFC 7644 §3.4.3)."""
        from dataclasses import replace

        from sim.strongdm.receiver.common import page_size

        size, offset = page_size(query, self.profile), query.start_index - 1
        users = self.users.list(replace(query, start_index=offset + 1, count=size), call)
        page = users["Resources"]
        skip_groups = max(0, offset - users["totalResults"])
        groups = self.groups.list(replace(query, start_index=skip_groups + 1, count=size - len(page)), call)
        page += groups["Resources"]
        return list_response(page, users["totalResults"] + groups["totalResults"], query.start_index, len(page))

    @property
    def content_type(self) -> str:
        """StrongDM's response type is undocumented; the rfc profile sends RFC 7644's."""
        return "application/scim+json" if self.profile.rfc else "application/json"


def make_strongdm(store: Store, *, profile: str = "strongdm", settings: dict | None = None) -> StrongDM:
    """Build the StrongDM state over a store (no Flask)."""
    settings = config.settings(**(settings or {}))
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    prof = Profile(name=profile, default_count=settings["SCIM_DEFAULT_COUNT"], max_count=settings["SCIM_MAX_COUNT"],
                   delete_mode=settings.get("STRONGDM_DELETE_MODE", "delete"))
    org_holder = {}
    activities = Activities(store, lambda: org_holder["org"].org_id)
    accounts = Accounts(store, activities)
    store.schema(PASSWORDS_DDL)
    org = org_holder["org"] = Org(store, activities)
    if settings.get("PASSWORD_HASH_METHOD"):  # tests only: a cheap hash; the default stays werkzeug's scrypt
        org.password_method = settings["PASSWORD_HASH_METHOD"]
    return StrongDM(store=store, org=org, accounts=accounts, activities=activities, users=ScimUsers(accounts, prof),
                    groups=ScimGroups(accounts, prof), discovery=Discovery(prof), profile=prof)


def create_app(store: Store | None = None, *, profile: str = "strongdm", token: str | None = None,
               settings: dict | None = None) -> Flask:
    """Create the mock StrongDM app; `token` activates the Generic SCIM provider with it."""
    settings = config.settings(**(settings or {}))
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_CONTENT_LENGTH"]
    state = make_strongdm(store or Store(None), profile=profile, settings=settings)
    if token:
        state.org.activate_scim("generic", token)
    app.extensions["strongdm"] = state

    from sim.web import init_console
    from sim.strongdm.admin import pages as admin
    from sim.strongdm.receiver import views as scim_api

    app.register_blueprint(scim_api.bp)
    init_console(app, state.store, admin.console_settings())
    app.register_blueprint(admin.bp)
    register_error_boundary(app)
    from sim.faults import middleware as faults
    from sim.faults import ratelimit
    from sim.strongdm.receiver import common as receiver

    if settings.get("RATE_LIMITS"):
        ratelimit.install(app)  # StrongDM's documented limits (sim.faults.ratelimit)
    rules, seed = faults.rules_from_settings(settings, "strongdm")
    faults.install(app, state.store, render=receiver.fault_response, paths=receiver.FAULT_PATHS, rules=rules,
                   seed=seed, authorize=lambda req: admin.may_steer_faults(state, req))
    return app


def register_error_boundary(app: Flask) -> None:
    """One place turns every error into a SCIM body (under /provisioning) or a console message page, never a stack trace."""
    from flask import request

    from sim.web import error_pages
    from sim.strongdm.receiver.views import scim_response

    def is_scim() -> bool:
        return request.path.startswith("/provisioning/")

    @app.errorhandler(ScimError)
    def scim_error(error: ScimError):
        if not is_scim():
            return error_pages.error_page(error.status, error.detail)
        return scim_response(error.to_dict(), error.status, error.headers)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not is_scim():
            return error_pages.http_error_page(error)
        detail = {404: "Resource not found.", 405: "The HTTP method is not supported on this endpoint.",
                  413: "The request body is larger than the server accepts."}.get(error.code, error.description)
        return scim_response(ScimError(detail).to_dict() | {"status": str(error.code)}, error.code)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error")
        if not is_scim():
            return error_pages.internal_error_page()
        return scim_response({"schemas": [ScimError.to_dict(ScimError())["schemas"][0]],
                              "detail": "Internal error.", "status": "500"}, 500)
