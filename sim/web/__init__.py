"""What both consoles share: sessions, CSRF, guards, pager, error pages; templates/ and static/.

Each app makes its console blueprint with `console_blueprint(...)` (the session, CSRF and header hooks run on
it alone, so API and SCIM requests never pass through them) and calls `init_console(app, store, Console(...))`
once. Views then use `guards`, `pager`, `sessions.login_user`/`logout_user` and `error_pages`. Templates extend
`console_base.html`, which shows a banner while fault injection (sim.faults.middleware) is active.
"""

from flask import Blueprint
from flask import Flask

from sim.store import Store
from sim.web.console import Console
from sim.web.console import console
from sim.web.console import console_faults
from sim.web.csrf import check_csrf
from sim.web.csrf import csrf_field
from sim.web.csrf import csrf_token
from sim.web.headers import csp_nonce
from sim.web.headers import security_headers
from sim.web.sandbox import add_reset_route
from sim.web.sandbox import can_reset
from sim.web.sandbox import reset_url
from sim.web.sessions import SessionRegistry
from sim.web.sessions import install_secret
from sim.web.sessions import load_user
from sim.web.throttle import LoginThrottle

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/_console/static")


def console_blueprint(name: str, import_name: str, **options) -> Blueprint:
    """A console's blueprint: its requests load `g.user`, check the CSRF token and get the security headers."""
    blueprint = Blueprint(name, import_name, **options)
    blueprint.before_request(load_user)
    blueprint.before_request(check_csrf)
    blueprint.after_request(security_headers)
    add_reset_route(blueprint)
    return blueprint


def init_console(app: Flask, store: Store, settings: Console) -> None:
    """Give `app` its session secret, cookie and session registry, the sign-in throttle, the shared templates and
    static files, and the template helpers."""
    app.secret_key = install_secret(store)
    app.config.update(SESSION_COOKIE_NAME=settings.cookie, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax")
    app.extensions["console"] = settings
    app.extensions["web_sessions"] = SessionRegistry(store)
    app.extensions["login_throttle"] = LoginThrottle()
    app.register_blueprint(bp)
    app.jinja_env.globals.update(csrf_field=csrf_field, csrf_token=csrf_token, csp_nonce=csp_nonce,
                                 console=console, console_faults=console_faults, can_reset=can_reset,
                                 reset_url=reset_url)
