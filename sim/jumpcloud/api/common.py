"""HTTP plumbing shared by the JumpCloud API blueprints: x-api-key auth, JSON bodies, JumpCloud's error bodies."""

import json
import re
from http import HTTPStatus

from flask import current_app
from flask import g
from flask import jsonify
from flask import redirect
from flask import request
from werkzeug.exceptions import HTTPException

from sim.jumpcloud.directory.shapes import OBJECT_ID
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ForbiddenError
from sim.jumpcloud.errors import InternalError
from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.errors import MethodNotAllowedError
from sim.jumpcloud.errors import NotFoundError
from sim.jumpcloud.errors import PayloadTooLargeError
from sim.jumpcloud.errors import UnauthorizedError
from sim.jumpcloud.org import can
from sim.scim import wire

API_PREFIXES = ("/api", "/insights")
FAULT_PATHS = ("/api/*", "/insights/*")  # what a fault rule without a path applies to
FAULT_CODES = {429: "tooManyRequests", 500: "internalError", 502: "badGateway", 503: "serviceUnavailable",
               504: "gatewayTimeout"}
READ_POSTS = re.compile(r"^/(api/search/|insights/)")
APP_PATHS = re.compile(r"^/api/(applications|v2/applications|v2/usergroups/[^/]+/associations|v2/users/[^/]+/associations)")


def jc():
    """The app's JumpCloud state (`app.extensions["jumpcloud"]`)."""
    return current_app.extensions["jumpcloud"]


def is_api_path(path: str) -> bool:
    """True for paths served by the JSON APIs (their errors are JSON)."""
    return any(path == p or path.startswith(p + "/") for p in API_PREFIXES)


def required_permission(method: str, path: str) -> str:
    """What the caller's role must allow: reads (GET, searches, DI queries) or user/app writes."""
    if method in ("GET", "HEAD", "OPTIONS") or READ_POSTS.match(path):
        return "read"
    return "write_apps" if APP_PATHS.match(path) else "write_users"


def authenticate():
    """`before_request` for the API blueprints: check `x-org-id`, the `x-api-key` and the key's role."""
    state = jc()
    key = request.headers.get("x-api-key")
    token = bearer_token(request.headers.get("Authorization"))
    if not key and not token:
        # A third-party client measured 302 -> /login for a request without x-api-key (2026-08-18); the
        # JumpCloud API 1.0 docs ("API Key", https://docs.jumpcloud.com/api/1.0/index.html) say nothing, so 401.
        if current_app.config.get("JUMPCLOUD_MISSING_KEY") == "redirect":
            return redirect("/login", code=302)
        raise UnauthorizedError()
    # A service account's Bearer token (or jcs_ key) works wherever an administrator's x-api-key does.
    if key:
        admin = state.org.authenticate(key) or state.service_accounts.authenticate_key(key)
    else:
        admin = state.service_accounts.authenticate_token(token)
    if admin is None:
        raise UnauthorizedError()
    org_id = request.headers.get("x-org-id")
    if org_id:
        # JumpCloud API 1.0, "Multi-Tenant Portal Headers" (https://docs.jumpcloud.com/api/1.0/index.html):
        # 400 "Malformed ID", 404 "Organization ID Not Found".
        if not OBJECT_ID.match(org_id):
            raise BadRequestError("Malformed ID")
        if org_id != state.org.id:
            raise NotFoundError("Organization ID Not Found")
    if not can(admin, required_permission(request.method, request.path)):
        raise ForbiddenError(f"Forbidden: the {admin.get('role')} role cannot do this")
    g.jumpcloud_admin = admin


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header (RFC 6750 §2.1), else None."""
    scheme, _, value = (header or "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


def actor() -> dict | None:
    """The administrator behind this request's API key, with the client address (for DI events)."""
    admin = g.get("jumpcloud_admin")
    return {**admin, "client_ip": request.remote_addr} if admin else None


def json_body(*, required: bool = True):
    """The request body parsed as JSON (any content type; clients differ). Empty is {} unless required."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise BadRequestError("request body is required")
        return {}
    try:
        data = wire.loads(raw.decode("utf-8"))
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # a lone surrogate (\ud800) cannot be stored
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequestError("request body is not valid JSON") from None
    if too_deep(data, MAX_JSON_DEPTH):
        raise BadRequestError(f"request body is nested deeper than {MAX_JSON_DEPTH} levels")
    return data


MAX_JSON_DEPTH = 64


def too_deep(data, limit: int) -> bool:
    """True if lists and objects nest deeper than `limit` (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


def no_content():
    """A 204 with no body, as the v2 graph POSTs answer."""
    return current_app.response_class(status=204)


def api_flavour(path: str) -> str:
    """Which error shape a path gets: `v1` ErrorDetails, the v2 `Error`, or Directory Insights' `ErrorMessage`."""
    if path == "/insights" or path.startswith("/insights/"):
        return "insights"
    return "v1" if path.startswith("/api") and not path.startswith("/api/v2") else "v2"


HTTP_ERRORS = {404: NotFoundError, 405: MethodNotAllowedError, 413: PayloadTooLargeError}


def from_http(exc: HTTPException) -> JumpCloudError:
    """Translate werkzeug's routing and body-size errors into JumpCloud errors."""
    if exc.code in HTTP_ERRORS:
        return HTTP_ERRORS[exc.code]()
    if exc.code and exc.code < 500:
        return BadRequestError(exc.description)
    return InternalError()


def error_response(error: JumpCloudError):
    """`error` as JSON in the shape its path gets (v1 `ErrorDetails` or v2 `Error`), with its status and headers."""
    response = jsonify(error_body(error, request.path))
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def error_body(error: JumpCloudError, path: str) -> dict:
    """The v1 `ErrorDetails` body under /api, the v2 `Error` under /api/v2, and under /insights the DI spec's
    `ErrorMessage` (`{"message"}`, docs/new/api/insights/directory/index.yaml in TheJumpCloud/jumpcloud-docs-public)."""
    flavour = api_flavour(path)
    if flavour == "insights":
        return {"message": error.message}
    return error.v1_body() if flavour == "v1" else error.v2_body()


def fault_response(status: int, path: str) -> tuple[bytes, str, dict]:
    """An injected fault as JumpCloud answers it: the v1 or v2 error shape the error boundary renders."""
    if status == 401:
        error = UnauthorizedError()
    else:
        error = JumpCloudError(HTTPStatus(status).phrase)
        error.status = status
        error.code = FAULT_CODES.get(status, "error")
    return json.dumps(error_body(error, path)).encode(), "application/json", {}
