"""`/_sim/faults`: read, replace and clear an app's fault rules over HTTP, with the app's own credential."""

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request

from sim.faults.rules import SYNTAX
from sim.faults.rules import FaultSyntaxError
from sim.scim import wire

bp = Blueprint("sim_faults", __name__, url_prefix="/_sim/faults")


@bp.before_request
def require_credential():
    """The credential the app's factory accepts (StrongDM: SCIM token or admin session; JumpCloud: x-api-key).

    `authorize` answers True, False (no credential: 401), or a sentence saying why this credential may not (403).
    """
    verdict = current_app.extensions["faults"].authorize(request)
    if isinstance(verdict, str):
        return jsonify({"error": "forbidden", "detail": verdict}), 403
    if not verdict:
        return jsonify({"error": "unauthorized", "detail": "Send the app's credential."}), 401


def _document():
    faults = current_app.extensions["faults"]
    return jsonify({"seed": faults.seed, "rules": faults.active(), "injected": faults.count(),
                    "delayed": faults.delayed, "recent": faults.log(20), "syntax": SYNTAX})


@bp.get("")
def get_faults():
    """The active rules, how many faults were injected, and the most recent ones."""
    return _document()


@bp.put("")
def put_faults():
    """Replace the rule set: `{"rules": [...], "seed": n}` or a bare list (strings or objects)."""
    try:
        data = wire.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        return jsonify({"error": "invalid", "detail": "The body is not JSON (NaN and Infinity are not JSON)."}), 400
    if isinstance(data, list):
        data = {"rules": data}
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        return jsonify({"error": "invalid", "detail": 'Send {"rules": [...], "seed": n}.'}), 400
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        return jsonify({"error": "invalid", "detail": "seed must be an integer"}), 400
    try:
        current_app.extensions["faults"].replace(data.get("rules", []), seed)
    except FaultSyntaxError as exc:
        return jsonify({"error": "invalid", "detail": str(exc)[:500], "syntax": SYNTAX}), 400
    return _document()


@bp.delete("")
def delete_faults():
    """Clear every rule."""
    current_app.extensions["faults"].replace(())
    return _document()
