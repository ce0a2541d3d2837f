"""View decorators of the consoles: sign-in required, administrators only."""

import functools

from flask import g
from flask import redirect
from flask import request
from flask import url_for

from sim.web.console import console
from sim.web.error_pages import error_page


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
