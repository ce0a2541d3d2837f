"""Console message pages: how every console error is shown, with a status code and never a stack trace."""

from flask import make_response
from flask import render_template
from werkzeug.exceptions import HTTPException

from sim.web.headers import security_headers
from sim.web.sessions import ensure_user

TITLES = {400: "Bad request", 403: "Not allowed", 404: "Not found", 405: "Not allowed here", 409: "Conflict",
          413: "Too large", 500: "Something went wrong"}
HTTP_MESSAGES = {404: "There is no page at this address.",
                 405: "This page does not accept that kind of request.",
                 413: "The form sent more data than this console accepts."}


def error_page(status: int, message: str, *, title: str | None = None):
    """A message page with a status code (the header shows who is signed in, as on every console page)."""
    ensure_user()
    page = render_template("console_message.html", title=title or TITLES.get(status, "Error"), message=message,
                           status=status)
    return security_headers(make_response(page, status))


def http_error_page(error: HTTPException):
    """Werkzeug's HTTP errors as console message pages."""
    return error_page(error.code or 500, HTTP_MESSAGES.get(error.code, error.description or "Request refused."))


def internal_error_page():
    """The page for an unexpected error (the details go to the server log only)."""
    return error_page(500, "The console hit an unexpected error. The details are in the server log.")
