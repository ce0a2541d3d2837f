"""What one app tells the shared console plumbing: its product name, cookie, endpoints and users."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask import g

from sim.faults.middleware import active_faults


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
    theme: str = "default"                          # CSS class on <body>


def console() -> Console:
    """The running app's console description."""
    return current_app.extensions["console"]


def console_faults() -> list[dict]:
    """The fault rules in force, for the banner signed-in users see on every page.

    Visitors who are not signed in see none: GET /_sim/faults needs the app's credential too.
    """
    return active_faults(current_app) if g.get("user") is not None else []
