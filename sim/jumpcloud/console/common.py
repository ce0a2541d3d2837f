"""The mock JumpCloud Console: login, and the blueprint the Users, User Groups and SSO pages hang on.

Pages live in `console_directory.py` (Users, User Groups) and `console_sso.py` (SSO apps, their tabs,
Identity Management and the provisioning view); every change goes through the directory model, so
it writes the outbox row the Identity Management pusher follows.
"""

import logging

from flask import Blueprint
from flask import Flask
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.exceptions import HTTPException

from sim.web import console as web
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.errors import NotFoundError

log = logging.getLogger(__name__)

bp = Blueprint("console", __name__, template_folder="templates")

# The console is for administrators (seed guide: "You must be an Administrator in JumpCloud").
CONSOLE_ROLES = frozenset({"Administrator", "Administrator with Billing"})
NOT_CONSOLE = ("/api", "/insights", "/_sim")


def jc():
    """This app's JumpCloud state."""
    return current_app.extensions["jumpcloud"]


def is_console_path(path: str) -> bool:
    """Everything but the JSON APIs and the control endpoints."""
    return not any(path == p or path.startswith(p + "/") for p in NOT_CONSOLE)


def console_settings() -> web.Console:
    """How the shared console plumbing sees JumpCloud administrators."""
    def load_user(admin_id: str) -> dict | None:
        try:
            admin = jc().org.admin(admin_id)
        except JumpCloudError:
            return None
        return admin if admin.get("role") in CONSOLE_ROLES else None

    return web.Console(product="JumpCloud Console", cookie="jumpcloud_console_session",
                       login_endpoint="console.login", logout_endpoint="console.logout",
                       home_endpoint="console.home", load_user=load_user,
                       is_admin=lambda admin: admin.get("role") in CONSOLE_ROLES,
                       refusal="Only JumpCloud administrators can use the console.",
                       is_console_path=is_console_path, theme="jumpcloud")


def install(app: Flask) -> None:
    """Register the console on a JumpCloud app (after its API blueprints)."""
    from sim.jumpcloud.api import common as api
    from sim.jumpcloud.console import directory as console_directory
    from sim.jumpcloud.console import sso as console_sso

    web.init_console(app, app.extensions["jumpcloud"].store, console_settings())
    app.register_blueprint(bp)

    # Code-specific handlers run before the API's catch-all handler; they keep API paths JSON.
    def http_error(error: HTTPException):
        if is_console_path(request.path):
            return web.http_error_page(error)
        return api.handle_error(error)

    for code in (400, 404, 405, 413):
        app.register_error_handler(code, http_error)


@bp.errorhandler(JumpCloudError)
def directory_error(error: JumpCloudError):
    """A refused directory change the view did not expect, as a message page."""
    return web.error_page(error.status, error.message)


@bp.errorhandler(Exception)
def unexpected(error: Exception):
    """Anything else: logged, and a message page without details."""
    if isinstance(error, HTTPException):
        return web.http_error_page(error)
    log.exception("console error on %s %s", request.method, request.path)
    return web.internal_error_page()


def actor() -> dict:
    """The signed-in administrator, for Directory Insights' `initiated_by`."""
    return g.user


def list_query(offset: int, size: int, search: str | None, space: q.Space, order: list) -> q.Query:
    """A directory query for one console page."""
    query = q.Query(limit=size, skip=offset, order=order)
    if search:
        query.add(q.search_clause(space, search, None))
    return query


def search_arg() -> str | None:
    """The `?q=` search box value, trimmed and bounded."""
    return request.args.get("q", "").strip()[:200] or None


def or_404(fn, *args):
    """Call a directory getter; unknown or malformed ids become the console's 404 page."""
    try:
        return fn(*args)
    except JumpCloudError as error:
        raise NotFoundError(error.message) from None


def refused(error: JumpCloudError, template: str, **context):
    """Show a refused form again with the directory's reason (400, or the error's own 4xx)."""
    flash(error.message, "error")
    return render_template(template, **context), error.status if 400 <= error.status < 500 else 400


# -- session ----------------------------------------------------------------------------------------------


@bp.get("/")
def home():
    """Users for a signed-in administrator, the login form otherwise."""
    return redirect(url_for("console.users" if g.user else "console.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Administrator sign-in; other admin roles are refused."""
    if request.method == "GET":
        return render_template("jc_login.html", email="")
    email = request.form.get("email", "").strip()
    admin = jc().org.check_password(email, request.form.get("password", "")) if email else None
    if admin is None:
        flash("The email or password is incorrect.", "error")
        return render_template("jc_login.html", email=email), 401
    if admin.get("role") not in CONSOLE_ROLES:
        return web.error_page(403, f"Your administrator role ({admin.get('role')}) cannot sign in to this console. "
                                   "Only Administrators can.", title="Not allowed")
    web.login_user(admin["_id"])
    return redirect(web.safe_next(request.args.get("next"), url_for("console.users")))


@bp.post("/logout")
def logout():
    """End the session."""
    web.logout_user()
    flash("You have logged out.", "ok")
    return redirect(url_for("console.login"))
