"""Signed console sessions: the per-install secret, the signed-in user (`g.user`), login and logout.

The session cookie is Flask's signed cookie ("Sessions", Flask documentation); it holds the user id and
the CSRF token (sim.web.csrf), nothing else.
"""

import secrets
from urllib.parse import urlsplit

from flask import g
from flask import session

from sim.store import Store
from sim.web.console import console

SECRET_META_KEY = "web.session_secret"
USER_KEY = "uid"
CSRF_FIELD = "csrf_token"  # the session key of the CSRF token, and the form field that must echo it


def install_secret(store: Store) -> str:
    """The per-install session secret: made once, kept in the store's meta table."""
    secret = store.get_meta(SECRET_META_KEY)
    if not secret:
        secret = secrets.token_hex(32)
        store.set_meta(SECRET_META_KEY, secret)
    return secret


def load_user() -> None:
    """`before_request` of the console blueprints: `g.user` is the signed-in user, or None."""
    g.user = None
    user_id = session.get(USER_KEY)
    if user_id:
        g.user = console().load_user(user_id)
        if g.user is None:  # deleted, suspended or demoted since login: the session ends
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
    """Start a fresh session (new CSRF token too, so a planted session is useless)."""
    session.clear()
    session[USER_KEY] = user_id
    new_csrf_token()


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
