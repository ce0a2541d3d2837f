"""The `/_sim` routes both apps mount: health (no credential) and reset (the app's own credential).

Each app's factory tells `install` who may reset (its `authorize`, as for `/_sim/faults`, whose error shape these
routes share); whoever runs the app (sim.run) tells it what a reset does, by setting `Control.reset`. Assumed: the
real products have no `/_sim`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request

from sim import __version__

bp = Blueprint("sim_common", __name__, url_prefix="/_sim")


@dataclass
class Control:
    """What an app tells the shared `/_sim` routes; `reset` is set by the runner once it can take snapshots."""

    app_name: str                                   # "jumpcloud" or "strongdm", as `/_sim/health` reports it
    state_dir: str | None                           # None for a temporary store
    authorize: Callable[[object], object]           # request -> True, False (401) or the reason for a 403
    reset: Callable[[], dict] | None = None         # back to the state right after seeding; returns a summary


class NotResettable(Exception):
    """The sandbox has no snapshot to go back to (yet); the message says why."""


def control() -> Control:
    """The running app's control description."""
    return current_app.extensions["sim_control"]


def install(app, settings: Control) -> None:
    """Mount `/_sim/health` and `/_sim/reset` on `app` (once)."""
    app.extensions["sim_control"] = settings
    if "sim_common" not in app.blueprints:
        app.register_blueprint(bp)


@bp.get("/health")
def health():
    """For CI waiters and container health checks: no credential, no secret."""
    c = control()
    return jsonify({"status": "ok", "app": c.app_name, "version": __version__, "state_dir": c.state_dir})


@bp.post("/reset")
def reset():
    """Back to the state right after seeding (blank or wired, as started), same credentials, no restart."""
    c = control()
    verdict = c.authorize(request)
    if verdict is False:
        return jsonify({"error": "unauthorized", "detail": "Send the app's credential."}), 401
    if verdict is not True:
        return jsonify({"error": "forbidden", "detail": str(verdict) or "Not allowed."}), 403
    try:
        return jsonify(run_reset(c))
    except NotResettable as exc:
        return jsonify({"error": "conflict", "detail": str(exc)}), 409


def run_reset(c: Control) -> dict:
    """Call the runner's reset, or raise NotResettable when there is none."""
    if c.reset is None:
        raise NotResettable("this app was not started by sim up or sim classroom: there is no snapshot to reset to")
    return c.reset()
