"""Signed console sessions: the per-install secret, the signed-in user (`g.user`), login and logout.

The session cookie is Flask's signed cookie ("Sessions", Flask documentation); it holds the user id, a
session id and the CSRF token (sim.web.csrf), nothing else. The session id must be live in the
`web_sessions` table (this module owns it): logout deletes it, so a cookie captured before logout is dead
(OWASP "Session Management Cheat Sheet", "Manual Session Expiration").
"""

import datetime as dt
import secrets
from urllib.parse import urlsplit

from flask import current_app
from flask import g
from flask import session

from sim.store import Store
from sim.web.console import console

SECRET_META_KEY = "web.session_secret"
USER_KEY = "uid"
SESSION_KEY = "sid"
SESSION_LIFETIME = dt.timedelta(days=31)  # Flask's PERMANENT_SESSION_LIFETIME: older rows are dropped at logins
SESSIONS_DDL = """
CREATE TABLE IF NOT EXISTS web_sessions (
    sid TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created TEXT NOT NULL
);
"""
CSRF_FIELD = "csrf_token"  # the session key of the CSRF token, and the form field that must echo it


def install_secret(store: Store) -> str:
    """The per-install session secret: made once, kept in the store's meta table."""
    secret = store.get_meta(SECRET_META_KEY)
    if not secret:
        secret = secrets.token_hex(32)
        store.set_meta(SECRET_META_KEY, secret)
    return secret


class SessionRegistry:
    """The live console sessions of one app: opened at login, deleted at logout."""

    def __init__(self, store: Store):
        self.store = store
        store.schema(SESSIONS_DDL)

    def open(self, user_id: str) -> str:
        """A new session id for `user_id` (and drop the sessions past their lifetime)."""
        sid = secrets.token_urlsafe(32)
        now = self.store.clock.now()
        with self.store.write() as db:
            db.execute("DELETE FROM web_sessions WHERE created < ?", (iso_of(now - SESSION_LIFETIME),))
            db.execute("INSERT INTO web_sessions(sid, user_id, created) VALUES (?, ?, ?)", (sid, user_id, iso_of(now)))
        return sid

    def is_live(self, sid, user_id) -> bool:
        """True when `sid` is an open session of `user_id`."""
        if not isinstance(sid, str) or not isinstance(user_id, str):
            return False
        row = self.store.read().execute("SELECT user_id, created FROM web_sessions WHERE sid = ?", (sid,)).fetchone()
        if row is None or row["user_id"] != user_id:
            return False
        return row["created"] >= iso_of(self.store.clock.now() - SESSION_LIFETIME)

    def revoke(self, sid) -> None:
        """End one session (logout)."""
        if isinstance(sid, str):
            with self.store.write() as db:
                db.execute("DELETE FROM web_sessions WHERE sid = ?", (sid,))


def name_cookie_for_port(app, port: int) -> str:
    """Name the app's session cookie after its port: cookies ignore ports (RFC 6265 §8.5), so two sandboxes on
    one host would otherwise overwrite each other's session in one browser. Returns the name."""
    name = f"{app.extensions['console'].cookie}_{port}"
    app.config["SESSION_COOKIE_NAME"] = name
    return name


def iso_of(t: dt.datetime) -> str:
    """A sortable UTC timestamp for the sessions table."""
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def registry() -> SessionRegistry:
    """The running app's session registry (made by sim.web.init_console)."""
    return current_app.extensions["web_sessions"]


def load_user() -> None:
    """`before_request` of the console blueprints: `g.user` is the signed-in user, or None."""
    g.user = None
    user_id = session.get(USER_KEY)
    if user_id:
        if not registry().is_live(session.get(SESSION_KEY), user_id):  # logged out, or a forged or stale cookie
            session.clear()
            return
        g.user = console().load_user(user_id)
        if g.user is None:  # deleted, suspended or demoted since login: the session ends
            registry().revoke(session.get(SESSION_KEY))
            session.clear()


def ensure_user() -> None:
    """Load `g.user` for a page drawn outside a console view (a 404 at an unknown address)."""
    if "user" not in g:
        load_user()


def new_csrf_token() -> str:
    """Store a fresh CSRF token in the session and return it."""
    token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def login_user(user_id: str) -> None:
    """Start a fresh session (new session id and CSRF token, so a planted session is useless)."""
    registry().revoke(session.get(SESSION_KEY))
    session.clear()
    session[USER_KEY] = user_id
    session[SESSION_KEY] = registry().open(user_id)
    new_csrf_token()


def logout_user() -> None:
    """End the session, server-side too: the cookie stops working even if someone kept a copy."""
    registry().revoke(session.get(SESSION_KEY))
    session.clear()


def safe_next(target: str | None, default: str) -> str:
    """Follow `next` only to a path on this site (no scheme, no host, no `//`)."""
    if not target:
        return default
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):  # CR/LF would split the Location header (a 500)
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
