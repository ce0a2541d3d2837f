"""CSRF protection of console forms: the synchronizer token pattern (OWASP "Cross-Site Request Forgery
Prevention Cheat Sheet"); every form echoes the token kept in the signed session cookie."""

import hmac

from flask import request
from flask import session
from markupsafe import Markup
from markupsafe import escape

from sim.web.error_pages import error_page
from sim.web.sessions import CSRF_FIELD
from sim.web.sessions import new_csrf_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    return session.get(CSRF_FIELD) or new_csrf_token()


def csrf_field() -> Markup:
    """The hidden input every console form carries."""
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token())}">')


def check_csrf():
    """`before_request` of the console blueprints: refuse a form post whose token does not match the session's."""
    if request.method in SAFE_METHODS:
        return None
    sent = request.form.get(CSRF_FIELD, "")
    expected = session.get(CSRF_FIELD, "")
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        return error_page(400, "This form could not be accepted: its security token (CSRF) is missing or out of "
                               "date. Go back, reload the page and try again.", title="Form expired")
    return None
