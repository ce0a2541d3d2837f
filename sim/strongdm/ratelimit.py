"""Who is calling, for StrongDM's rate limits (sim.faults.ratelimit): the SCIM token or a signed-in user.

StrongDM counts "per user, API key or admin token" ("Rate Limits",
https://www.strongdm.com/docs/get-started/security/rate-limits/). The credential is read exactly as the
receiver and the Admin UI accept it, so `bearer`, `BEARER` and extra spaces are one token, and a request no
part of the app would accept is nobody's (it is not counted).
"""

from flask import Flask
from flask import session

from sim.strongdm.org import hash_token
from sim.strongdm.receiver.common import bearer_token
from sim.web.sessions import USER_KEY


def caller_of(app: Flask, state):
    """`identify(environ)` for the rate limiter: a key per authenticated caller, None for anyone else."""
    def identify(environ) -> str | None:
        token = bearer_token(environ.get("HTTP_AUTHORIZATION", ""))
        if token is not None and state.org.check_token(token):
            return "token:" + hash_token(token)
        if app.config["SESSION_COOKIE_NAME"] not in environ.get("HTTP_COOKIE", ""):
            return None
        with app.request_context(environ):  # decodes and checks the signed session cookie, reads no body
            user_id = session.get(USER_KEY)
        user = state.accounts.find_user(user_id) if isinstance(user_id, str) else None
        return None if user is None or user.get("suspended") else "user:" + user_id

    return identify
