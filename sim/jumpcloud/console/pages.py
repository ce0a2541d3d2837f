"""JumpCloud Console: home, administrator login and logout."""

from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from sim.jumpcloud.console.common import CONSOLE_ROLES
from sim.jumpcloud.console.common import bp
from sim.jumpcloud.console.common import jc
from sim.web import sessions
from sim.web.error_pages import error_page
from sim.web.throttle import Throttled
from sim.web.throttle import throttled_check


@bp.get("/")
def home():
    """Users for a signed-in administrator, the login form otherwise."""
    return redirect(url_for("console.users" if g.user else "console.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Administrator sign-in; other admin roles are refused; repeated failures are throttled (sim.web.throttle)."""
    if request.method == "GET":
        return render_template("jc_login.html", email="")
    email = request.form.get("email", "").strip()
    try:
        admin = throttled_check(email, lambda: jc().org.check_password(email, request.form.get("password", ""))
                                if email else None)
    except Throttled as refusal:
        flash(refusal.message, "error")
        return render_template("jc_login.html", email=email), refusal.status, {"Retry-After": str(refusal.retry_after)}
    if admin is None:
        flash("The email or password is incorrect.", "error")
        return render_template("jc_login.html", email=email), 401
    if admin.get("role") not in CONSOLE_ROLES:
        return error_page(403, f"Your administrator role ({admin.get('role')}) cannot sign in to this console. "
                               "Only Administrators can.", title="Not allowed")
    sessions.login_user(admin["_id"])
    return redirect(sessions.safe_next(request.args.get("next"), url_for("console.users")))


@bp.post("/logout")
def logout():
    """End the session."""
    sessions.logout_user()
    flash("You have logged out.", "ok")
    return redirect(url_for("console.login"))
