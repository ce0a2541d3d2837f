"""The mock JumpCloud: `create_app` builds its Flask app (REST API v1/v2 and Directory Insights)."""

import logging
import os

from flask import Flask
from flask import request
from werkzeug.exceptions import HTTPException

from sim import config
from sim.store import Store
from sim.store import open_store
from sim.web.rules import SimFlask

log = logging.getLogger(__name__)


def create_app(store: Store | None = None, *, settings: dict | None = None, make_directory=None, scim_client=None,
               scim_recorder=None) -> Flask:
    """Build the JumpCloud app over `store` (a temporary store when None); `settings` override sim.config.

    Seams (see `JumpCloud`): `make_directory(seed, users, groups)` seeds the directory (sim.fake's by default),
    `scim_client` builds the pusher's SCIM client, `scim_recorder` sees every SCIM exchange.
    """
    from sim.jumpcloud.api import applications as applications_api
    from sim.jumpcloud.api import bulk as bulk_api
    from sim.jumpcloud.api import common as api
    from sim.jumpcloud.api import imports as imports_api
    from sim.jumpcloud.api import insights as insights_api
    from sim.jumpcloud.api import oauth as oauth_api
    from sim.jumpcloud.api import openapi
    from sim.jumpcloud.api import organizations as organizations_api
    from sim.jumpcloud.api import service_accounts as service_accounts_api
    from sim.jumpcloud.api import suggestions as suggestions_api
    from sim.jumpcloud.api import v1 as api_v1
    from sim.jumpcloud.api import v2 as api_v2
    from sim.jumpcloud.org import control_refusal
    from sim.jumpcloud.state import JumpCloud

    merged = config.settings()
    merged.update(settings or {})
    app = SimFlask(__name__)  # URL builders compiled once per process (sim.web.rules)
    app.config.update(merged)
    app.config["MAX_CONTENT_LENGTH"] = int(merged["MAX_CONTENT_LENGTH"])
    app.json.sort_keys = False  # keep documents in their stored (sorted) order without re-sorting per response
    from sim.inspect import control as inspector
    from sim.inspect.ring import ExchangeRing

    ring = ExchangeRing(int(merged["INSPECTOR_SIZE"]), int(merged["INSPECTOR_MAX_BODY"]))
    # PASSWORD_HASH_METHOD is for tests only: a cheap hash; the default stays werkzeug's scrypt.
    app.extensions["jumpcloud"] = JumpCloud(
        store if store is not None else open_store(None, "jumpcloud"), make_directory=make_directory,
        password_method=merged.get("PASSWORD_HASH_METHOD"), scim_client=scim_client,
        scim_recorder=inspector.tee(ring, scim_recorder))  # the inspector sees what an export's recorder sees
    # The API lives under /api and /insights; `/` is left for the console and `/_sim` for control.
    app.register_blueprint(api_v1.bp)
    app.register_blueprint(api_v2.bp)
    app.register_blueprint(insights_api.bp)
    app.register_blueprint(organizations_api.bp)
    app.register_blueprint(applications_api.bp)
    app.register_blueprint(service_accounts_api.bp)
    app.register_blueprint(oauth_api.bp)
    app.register_blueprint(suggestions_api.bp)
    app.register_blueprint(bulk_api.bp)
    app.register_blueprint(imports_api.bp)
    app.register_blueprint(openapi.bp)  # GET /api/openapi.json, without a key
    register_error_boundary(app)
    from sim.faults import middleware as faults

    jc = app.extensions["jumpcloud"]
    rules, seed = faults.rules_from_settings(merged, "jumpcloud")
    faults.install(app, jc.store, render=api.fault_response, paths=api.FAULT_PATHS, rules=rules, seed=seed,
                   authorize=lambda req: control_refusal(jc.org.authenticate(req.headers.get("x-api-key"))))
    inspector.install(app, ring, authorize=lambda req: control_refusal(jc.org.authenticate(req.headers.get("x-api-key"))))
    from sim import control as sim_control

    sim_control.install(app, sim_control.Control(
        "jumpcloud", None if jc.store.temporary else os.path.dirname(os.path.abspath(jc.store.path)),
        authorize=lambda req: control_refusal(jc.org.authenticate(req.headers.get("x-api-key")))))
    from sim.jumpcloud.pusher import worker as pusher

    pusher.install(app)  # Identity Management; its worker starts only once an app is activated
    from sim.jumpcloud.imports import Importer

    jc.imports = Importer(jc.pusher.idm, jc.directory, jc.bulk,
                          lambda: jc.org.record()["settings"]["newSystemUserStateDefaults"])
    from sim.jumpcloud import console

    console.install(app)  # the Console UI at `/`
    return app


def register_error_boundary(app: Flask) -> None:
    """One place renders every error once: a message page on the console, JumpCloud's JSON elsewhere, never a stack trace.

    API bodies are the v1 `ErrorDetails` or the v2 `Error` (sim.jumpcloud.errors); `/_sim` keeps werkzeug's own
    HTTP error pages.
    """
    from sim.jumpcloud.api import common as api
    from sim.jumpcloud.console.common import is_console_path
    from sim.jumpcloud.errors import InternalError
    from sim.jumpcloud.errors import JumpCloudError
    from sim.web import error_pages

    @app.errorhandler(Exception)
    def render(error: Exception):
        if is_console_path(request.path):
            if isinstance(error, HTTPException):
                return error_pages.http_error_page(error)
            if isinstance(error, JumpCloudError):  # a refused directory change the view did not expect
                return error_pages.error_page(error.status, error.message)
            log.exception("console error on %s %s", request.method, request.path)
            return error_pages.internal_error_page()
        if isinstance(error, HTTPException):
            if not api.is_api_path(request.path):
                return error
            error = api.from_http(error)
        elif not isinstance(error, JumpCloudError):
            log.exception("unhandled error on %s %s", request.method, request.path)
            error = InternalError()
        return api.error_response(error)
