"""Security headers on console pages: a nonce-based Content-Security-Policy, no framing, no sniffing.

Per OWASP's "HTTP Security Response Headers Cheat Sheet" and CSP Level 3 (W3C), `script-src 'nonce-…'`.
"""

import secrets

from flask import Response
from flask import g


def csp_nonce() -> str:
    """A per-response nonce for the few inline scripts (the copy button)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def security_headers(response: Response) -> Response:
    """`after_request` of the console blueprints (and every console error page): headers on HTML responses."""
    if response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'nonce-{csp_nonce()}'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
