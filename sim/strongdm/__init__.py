"""The mock StrongDM: SCIM receiver, Admin UI and audit log, from `create_app`."""

import os

from flask import Flask
from werkzeug.exceptions import HTTPException

from sim import config
from sim.scim.errors import ScimError
from sim.store import Store
from sim.strongdm.activities import SIMULATOR_ACTOR
from sim.strongdm.state import make_strongdm
from sim.web.rules import SimFlask


def create_app(store: Store | None = None, *, profile: str = "strongdm", token: str | None = None,
               settings: dict | None = None) -> Flask:
    """Create the mock StrongDM app; `token` activates the Generic SCIM provider with it."""
    settings = config.settings(**(settings or {}))
    app = SimFlask(__name__)  # URL builders compiled once per process (sim.web.rules)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_CONTENT_LENGTH"]
    state = make_strongdm(store or Store(None), profile=profile, settings=settings)
    if token:
        state.org.activate_scim("generic", token, actor=SIMULATOR_ACTOR)
    app.extensions["strongdm"] = state

    from sim.strongdm import admin as admin_ui
    from sim.strongdm.admin import common as admin
    from sim.strongdm.receiver import views as scim_api
    from sim.web import init_console

    app.register_blueprint(scim_api.bp)
    init_console(app, state.store, admin.console_settings())
    admin_ui.install(app)
    register_error_boundary(app)
    from sim.faults import middleware as faults
    from sim.faults import ratelimit
    from sim.strongdm.ratelimit import caller_of
    from sim.strongdm.receiver import common as receiver

    if settings.get("RATE_LIMITS"):
        ratelimit.install(app, caller_of(app, state))  # StrongDM's documented limits (sim.faults.ratelimit)
    rules, seed = faults.rules_from_settings(settings, "strongdm")
    faults.install(app, state.store, render=receiver.fault_response, paths=receiver.FAULT_PATHS, rules=rules,
                   seed=seed, authorize=lambda req: admin.may_steer_faults(state, req))
    from sim.inspect import control as inspector
    from sim.inspect.ring import ExchangeRing

    # The receiver's after_request hook records into it (sim.strongdm.receiver.views).
    inspector.install(app, ExchangeRing(int(settings["INSPECTOR_SIZE"]), int(settings["INSPECTOR_MAX_BODY"])),
                      authorize=lambda req: admin.may_steer_faults(state, req))
    from sim import control as sim_control
    from sim.strongdm.receiver.common import bearer_token

    sim_control.install(app, sim_control.Control(
        "strongdm", None if state.store.temporary else os.path.dirname(os.path.abspath(state.store.path)),
        authorize=lambda req: state.org.check_token(bearer_token(req.headers.get("Authorization", ""))) or False))
    return app


def register_error_boundary(app: Flask) -> None:
    """One place turns every error into a SCIM body (under /provisioning) or a console message page, never a stack trace."""
    from flask import request

    from sim.strongdm.receiver.views import scim_response
    from sim.web import error_pages

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
