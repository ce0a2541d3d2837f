"""The mock JumpCloud Console: the blueprint its pages hang on, and the helpers they share.

Pages live in `pages.py` (home, login, logout), `directory.py` (Users, User Groups) and `sso.py` (SSO apps,
their tabs, Identity Management and the provisioning view); every change goes through the directory model,
so it writes the outbox row the Identity Management pusher follows.
"""

from flask import current_app
from flask import flash
from flask import g
from flask import render_template
from flask import request

from sim.jumpcloud.directory import query as q
from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.errors import NotFoundError
from sim.web import console_blueprint
from sim.web.console import Console

bp = console_blueprint("console", __name__, template_folder="templates")

# The console is for administrators (seed guide: "You must be an Administrator in JumpCloud").
CONSOLE_ROLES = frozenset({"Administrator", "Administrator with Billing"})
NOT_CONSOLE = ("/api", "/insights", "/_sim", "/oauth2")


def jc():
    """This app's JumpCloud state."""
    return current_app.extensions["jumpcloud"]


def is_console_path(path: str) -> bool:
    """Everything but the JSON APIs and the control endpoints (their errors are not console pages)."""
    return not any(path == p or path.startswith(p + "/") for p in NOT_CONSOLE)


def console_settings() -> Console:
    """How the shared console plumbing sees JumpCloud administrators."""
    def load_user(admin_id: str) -> dict | None:
        try:
            admin = jc().org.admin(admin_id)
        except JumpCloudError:
            return None
        return admin if admin.get("role") in CONSOLE_ROLES else None

    return Console(product="JumpCloud Console", cookie="jumpcloud_console_session",
                   login_endpoint="console.login", logout_endpoint="console.logout",
                   home_endpoint="console.home", load_user=load_user,
                   is_admin=lambda admin: admin.get("role") in CONSOLE_ROLES,
                   refusal="Only JumpCloud administrators can use the console.", theme="jumpcloud")


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
    """The `?q=` search box value, trimmed and bounded; NULs dropped (the directory refuses them in a search)."""
    return request.args.get("q", "").replace("\0", "").strip()[:200] or None


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
