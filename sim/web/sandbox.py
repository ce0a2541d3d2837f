"""Reset sandbox: an administrator's button, on every console page, that puts the sandbox back as it started.

The header links to a confirmation page (no script: the console's CSP allows none inline); its form posts with
the CSRF token. The reset itself is the runner's (sim.control); the admin stays signed in, everyone else is not.
"""

from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for

from sim.control import NotResettable
from sim.control import run_reset
from sim.web.console import console
from sim.web.error_pages import error_page
from sim.web.guards import admin_required
from sim.web.sessions import USER_KEY
from sim.web.sessions import login_user

RESET_PATH = "/_console/reset-sandbox"


def can_reset() -> bool:
    """Whether the header shows Reset sandbox: a signed-in administrator, on an app a runner can reset."""
    control = current_app.extensions.get("sim_control")
    return bool(g.get("user") and console().is_admin(g.user) and control is not None and control.reset is not None)


def reset_url() -> str:
    """The confirmation page of this console (its blueprint is the one of its home page)."""
    return url_for(console().home_endpoint.split(".")[0] + ".reset_sandbox")


@admin_required
def reset_sandbox():
    """GET: what a reset does, and the button. POST: reset, then back to the home page, still signed in."""
    control = current_app.extensions.get("sim_control")
    if control is None:  # an app without `/_sim` (the trainer's page): nothing here to reset
        return error_page(404, "There is no page at this address.")
    if request.method == "GET":
        return render_template("console_reset.html", title="Reset sandbox")
    uid = session.get(USER_KEY)
    try:
        summary = run_reset(control)
    except NotResettable as exc:
        flash(str(exc), "error")
        return redirect(reset_url())
    login_user(uid)  # the restored state has no sessions: this admin (seeded, so still there) gets a new one
    flash(f"The sandbox is back to its starting state ({summary.get('seconds', 0):.2f} s).", "ok")
    return redirect(url_for(console().home_endpoint))


def add_reset_route(blueprint) -> None:
    """Give a console blueprint the Reset sandbox page."""
    blueprint.add_url_rule(RESET_PATH, "reset_sandbox", reset_sandbox, methods=["GET", "POST"])
