"""`POST /oauth2/token`: OAuth 2.0 client credentials for service accounts (RFC 6749 §4.4).

The real product serves this at `https://admin-oauth.id.jumpcloud.com/oauth2/token` ("Service Account for
APIs", https://jumpcloud.com/support/service-account-for-apis); the mock serves it on its own origin. Client
authentication is HTTP Basic or the body's client_id/client_secret (§2.3.1); errors are §5.2 bodies.
"""

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request

bp = Blueprint("jumpcloud_oauth", __name__, url_prefix="/oauth2")

SCOPES = {"api"}  # the one scope JumpCloud's admin API tokens carry


def oauth_error(error: str, description: str, status: int = 400):
    """An RFC 6749 §5.2 error; invalid_client is 401 with a Basic challenge."""
    response = jsonify({"error": error, "error_description": description})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="jumpcloud"'
    return response


@bp.post("/token")
def token():
    """Exchange a service account's client id and secret for a one-hour Bearer token."""
    form = request.form
    grant = form.get("grant_type")
    if not grant:
        return oauth_error("invalid_request", "grant_type is required")
    if grant != "client_credentials":
        return oauth_error("unsupported_grant_type", "only client_credentials is supported")
    requested = set((form.get("scope") or "api").split())
    if not requested <= SCOPES:
        return oauth_error("invalid_scope", "the only scope is api")
    basic = request.authorization
    if basic is not None and basic.type == "basic":
        client_id, secret = basic.username or "", basic.password or ""
    else:
        client_id, secret = form.get("client_id") or "", form.get("client_secret") or ""
    if not client_id or not secret:
        return oauth_error("invalid_client", "client authentication failed", 401)
    issued = current_app.extensions["jumpcloud"].service_accounts.issue_token(client_id, secret)
    if issued is None:
        return oauth_error("invalid_client", "client authentication failed", 401)
    response = jsonify(issued)
    response.headers["Cache-Control"] = "no-store"  # §5.1
    response.headers["Pragma"] = "no-cache"
    return response
