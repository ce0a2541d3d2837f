"""Console plumbing shared by both web UIs: signed sessions, CSRF, login guards, flash, paging, error pages.

Each app calls `init_console(app, Console(...))` once; views then use `login_required`, `admin_required`,
`page_args`/`Page`, `login_user`/`logout_user` and `error_page`. Templates extend `console_base.html`, which
shows a banner while fault injection (sim.faults.middleware) is active.
"""

import functools
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlsplit

from flask import Blueprint
from flask import Flask
from flask import current_app
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from markupsafe import Markup
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from sim.faults.middleware import active_faults
from sim.store import Store

SECRET_META_KEY = "web.session_secret"
CSRF_FIELD = "csrf_token"
MAX_PAGE = 1_000_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/_console/static")


@dataclass
class Console:
    """What one app tells the shared plumbing about its users and its pages."""

    product: str                                    # shown in the header and the <title>
    cookie: str                                     # session cookie name (both apps share 127.0.0.1)
    login_endpoint: str                             # where `login_required` sends anonymous visitors
    logout_endpoint: str                            # the header's "Log out" form posts here
    home_endpoint: str                              # the brand link
    load_user: Callable[[str], dict | None]         # session user id -> user dict, or None if gone
    is_admin: Callable[[dict], bool]                # what `admin_required` checks
    refusal: str = "Your account does not have permission to open this page."
    is_console_path: Callable[[str], bool] = field(default=lambda path: True)
    theme: str = "default"                          # CSS class on <body>


def console() -> Console:
    """The running app's console description."""
    return current_app.extensions["console"]


def install_secret(store: Store) -> str:
    """The per-install session secret: made once, kept in the store's meta table."""
    secret = store.get_meta(SECRET_META_KEY)
    if not secret:
        secret = secrets.token_hex(32)
        store.set_meta(SECRET_META_KEY, secret)
    return secret


def init_console(app: Flask, store: Store, settings: Console) -> None:
    """Wire sessions, CSRF, the current user, security headers and error pages into `app`."""
    app.secret_key = install_secret(store)
    app.config.update(SESSION_COOKIE_NAME=settings.cookie, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax")
    app.extensions["console"] = settings
    app.register_blueprint(bp)
    app.before_request(_load_user)
    app.before_request(_check_csrf)
    app.after_request(_security_headers)
    app.jinja_env.globals.update(csrf_field=csrf_field, csrf_token=csrf_token, csp_nonce=csp_nonce,
                                 console=console, console_faults=console_faults)


# -- sessions and the current user ------------------------------------------------------------------------


def _load_user():
    g.user = None
    if not console().is_console_path(request.path):
        return None
    user_id = session.get("uid")
    if user_id:
        g.user = console().load_user(user_id)
        if g.user is None:  # deleted, suspended or demoted since login: the session ends
            session.clear()
    return None


def login_user(user_id: str) -> None:
    """Start a fresh session (new CSRF token too, so a planted session is useless)."""
    session.clear()
    session["uid"] = user_id
    session[CSRF_FIELD] = secrets.token_urlsafe(32)


def logout_user() -> None:
    """End the session."""
    session.clear()


def safe_next(target: str | None, default: str) -> str:
    """Follow `next` only to a path on this site (no scheme, no host, no `//`)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def login_required(view):
    """Send anonymous visitors to the login page, remembering where they were going."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            target = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for(console().login_endpoint, next=target))
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    """Like `login_required`, and a refusal page (403) for signed-in users who are not administrators."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is not None and not console().is_admin(g.user):
            return error_page(403, console().refusal, title="Not allowed")
        return view(*args, **kwargs)
    return login_required(wrapped)


# -- CSRF -----------------------------------------------------------------------------------------------


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get(CSRF_FIELD)
    if not token:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def csrf_field() -> Markup:
    """The hidden input every console form carries."""
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token())}">')


def _check_csrf():
    # Synchronizer token pattern: a form must echo the token stored in the signed session cookie.
    if request.method in SAFE_METHODS or not console().is_console_path(request.path):
        return None
    if request.routing_exception is not None:  # no such page or method: let the 404/405 speak
        return None
    sent = request.form.get(CSRF_FIELD, "")
    expected = session.get(CSRF_FIELD, "")
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        return error_page(400, "This form could not be accepted: its security token (CSRF) is missing or out of "
                               "date. Go back, reload the page and try again.", title="Form expired")
    return None


def csp_nonce() -> str:
    """A per-response nonce for the few inline scripts (the copy button)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _security_headers(response):
    if console().is_console_path(request.path) and response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'nonce-{csp_nonce()}'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def console_faults() -> list[dict]:
    """The fault rules in force, for the banner signed-in users see on every page.

    Visitors who are not signed in see none: GET /_sim/faults needs the app's credential too.
    """
    return active_faults(current_app) if g.get("user") is not None else []


# -- messages and errors ----------------------------------------------------------------------------------


def error_page(status: int, message: str, *, title: str | None = None):
    """A message page with a status code: how every console error is shown (never a stack trace)."""
    titles = {400: "Bad request", 403: "Not allowed", 404: "Not found", 405: "Not allowed here",
              409: "Conflict", 413: "Too large", 500: "Something went wrong"}
    page = render_template("console_message.html", title=title or titles.get(status, "Error"), message=message,
                           status=status)
    return page, status


def http_error_page(error: HTTPException):
    """Werkzeug's HTTP errors as console message pages."""
    messages = {404: "There is no page at this address.",
                405: "This page does not accept that kind of request.",
                413: "The form sent more data than this console accepts."}
    return error_page(error.code or 500, messages.get(error.code, error.description or "Request refused."))


def internal_error_page():
    """The page for an unexpected error (the details go to the server log only)."""
    return error_page(500, "The console hit an unexpected error. The details are in the server log.")


# -- paging ---------------------------------------------------------------------------------------------


def page_args(default_size: int = 50, max_size: int = 200) -> tuple[int, int, int]:
    """(page number, page size, offset) from `?page=&size=`; bad values fall back to the defaults."""
    def number(name: str, default: int, top: int) -> int:
        raw = request.args.get(name, "")
        # isascii: "²".isdigit() is True but int("²") fails.
        return min(int(raw), top) if raw.isascii() and raw.isdigit() and int(raw) >= 1 else default
    page = number("page", 1, MAX_PAGE)
    size = number("size", default_size, max_size)
    return page, size, (page - 1) * size


@dataclass
class Page:
    """One page of a long list, with what the pager needs (counts come from SQL, never from a full load)."""

    items: list
    number: int
    size: int
    total: int | None  # None: not counted (a log too big to count per view); `more` says if a next page exists
    more: bool = False

    @property
    def pages(self) -> int | None:
        """How many pages there are (at least one, so "page 1 of 1" reads right when empty)."""
        return None if self.total is None else max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """1-based index of the first item shown (0 when none)."""
        return 0 if not self.items else (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        """1-based index of the last item shown."""
        return 0 if not self.items else self.first + len(self.items) - 1

    @property
    def has_prev(self) -> bool:
        """True when a previous page exists."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """True when a next page exists."""
        return self.more if self.total is None else self.number < self.pages

    def url(self, number: int) -> str:
        """This page's URL with another page number, keeping the other query arguments."""
        args = {**request.args.to_dict(), **(request.view_args or {}), "page": number}
        return url_for(request.endpoint, **args)
