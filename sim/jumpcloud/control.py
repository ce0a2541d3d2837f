"""`/_sim` control endpoints of the JumpCloud app, for scripts and tests: full reconcile, wait-until-idle, settings.

They take an Administrator's JumpCloud API key in `x-api-key` (other roles get 403), like the REST API, and never
answer with a secret.
"""

import hmac

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request

from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.org import control_refusal

bp = Blueprint("sim_control", __name__, url_prefix="/_sim")
MAX_WAIT = 300.0


def _pusher():
    return current_app.extensions["jumpcloud"].pusher


def _error(status: int, message: str):
    response = jsonify({"message": message})
    response.status_code = status
    return response


@bp.before_request
def require_api_key():
    """Only a live API key of an Administrator may drive the simulator (403 for the other roles)."""
    key = request.headers.get("x-api-key")
    admin = current_app.extensions["jumpcloud"].org.authenticate(key) if key else None
    # Compare anyway (as bytes: a str with non-ASCII characters would raise) so a missing key costs what a wrong one does.
    hmac.compare_digest((key or "").encode("utf-8", "surrogateescape"), b"x" * 40)
    verdict = control_refusal(admin)
    if verdict is False:
        return _error(401, "Unauthorized")
    if verdict is not True:
        return _error(403, verdict)
    return None


@bp.post("/sync")
def sync():
    """Full reconcile: queue every user and group of every active app (or `?app_id=`); 202."""
    app_id = request.args.get("app_id") or None
    force = request.args.get("force", "true").lower() not in ("0", "false", "no")
    queued = _pusher().reconcile(app_id, force=force)
    response = jsonify({"queued": queued})
    response.status_code = 202
    return response


@bp.get("/idle")
def idle():
    """Wait up to `timeout` seconds (default 0, at most 300) for the queue to empty."""
    raw = request.args.get("timeout", "0")
    try:
        timeout = float(raw)
    except ValueError:
        return _error(400, "timeout must be a number of seconds")
    if not 0 <= timeout <= MAX_WAIT:  # also refuses nan and inf
        return _error(400, f"timeout must be between 0 and {MAX_WAIT:g} seconds")
    return jsonify(_pusher().wait_idle(timeout))


@bp.get("/identity-management/<app_id>")
def get_settings(app_id):
    """An app's Identity Management settings (the token is never returned, only `token_set`)."""
    public = _pusher().idm.public(app_id)
    if public is None:
        return _error(404, "Identity Management is not configured for this application")
    return jsonify(public)


@bp.put("/identity-management/<app_id>")
def change_settings(app_id):
    """Change `update_method` / `delete_mode` (Base URL and token kept), then Activate again, as the console's
    Save + Activate would; 400 with the reason when a value is wrong or the connection test fails."""
    body = json_body()
    if not isinstance(body, dict) or not body or set(body) - {"update_method", "delete_mode"}:
        raise BadRequestError("send an object with update_method and/or delete_mode")
    pusher = _pusher()
    config = pusher.idm.get(app_id)
    if config is None:
        return _error(404, "Identity Management is not configured for this application")
    pusher.configure(app_id, base_url=config["base_url"], token=config["token"],
                     group_management=config["group_management"], test_user_email=config.get("test_user_email"),
                     **body)
    return jsonify(pusher.activate(app_id))
