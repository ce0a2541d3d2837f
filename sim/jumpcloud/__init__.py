"""The mock JumpCloud: `create_app` builds its Flask app (REST API v1/v2 and Directory Insights)."""

import os

from flask import Flask

from sim import config
from sim.store import Store
from sim.store import open_store

# JumpCloud-only settings not (yet) in sim.config.DEFAULTS; SIM_-prefixed env vars override them too.
JUMPCLOUD_DEFAULTS = {
    # "401" (default) or "redirect": a missing x-api-key gets 302 -> /login, as one third party measured.
    "JUMPCLOUD_MISSING_KEY": "401",
}


def create_app(store: Store | None = None, *, settings: dict | None = None) -> Flask:
    """Build the JumpCloud app over `store` (a temporary store when None); `settings` override sim.config."""
    from sim.jumpcloud.api import common as api
    from sim.jumpcloud.api import v1 as api_v1
    from sim.jumpcloud.api import v2 as api_v2
    from sim.jumpcloud.api import insights as insights_api
    from sim.jumpcloud.state import JumpCloud

    merged = {k: os.environ.get("SIM_" + k, v) for k, v in JUMPCLOUD_DEFAULTS.items()}
    merged.update(config.settings())
    merged.update(settings or {})
    app = Flask(__name__)
    app.config.update(merged)
    app.config["MAX_CONTENT_LENGTH"] = int(merged["MAX_CONTENT_LENGTH"])
    app.json.sort_keys = False  # keep documents in their stored (sorted) order without re-sorting per response
    # Seams (see JumpCloud): PASSWORD_HASH_METHOD is for tests only, the default stays werkzeug's scrypt.
    app.extensions["jumpcloud"] = JumpCloud(
        store if store is not None else open_store(None, "jumpcloud"),
        make_directory=merged.get("MAKE_DIRECTORY"), password_method=merged.get("PASSWORD_HASH_METHOD"),
        scim_client=merged.get("SCIM_CLIENT"), scim_recorder=merged.get("SCIM_RECORDER"))
    # The API lives under /api and /insights; `/` is left for the console and `/_sim` for control.
    app.register_blueprint(api_v1.bp)
    app.register_blueprint(api_v2.bp)
    app.register_blueprint(insights_api.bp)
    app.register_error_handler(Exception, api.handle_error)
    from sim.faults import middleware as faults

    jc = app.extensions["jumpcloud"]
    rules, seed = faults.rules_from_settings(merged, "jumpcloud")
    faults.install(app, jc.store, render=api.fault_response, paths=api.FAULT_PATHS, rules=rules, seed=seed,
                   authorize=lambda req: jc.org.authenticate(req.headers.get("x-api-key")) is not None)
    from sim.jumpcloud.pusher import worker as pusher

    pusher.install(app)  # Identity Management; its worker starts only once an app is activated
    from sim.jumpcloud.console import common as console

    console.install(app)  # the Console UI at `/`
    return app
