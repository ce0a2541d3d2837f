"""The SCIM receiver at /provisioning/{generic,okta,azure}/v2: thin views over ScimUsers and ScimGroups."""

import functools
import json

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import request
from werkzeug.sansio.utils import get_current_url

from sim.inspect.hook import record_response
from sim.scim import query as scim_query
from sim.scim import wire
from sim.scim.errors import InvalidSyntaxError
from sim.scim.errors import MethodNotAllowedError
from sim.scim.errors import NotFoundError
from sim.scim.errors import UnauthorizedError
from sim.strongdm.receiver.common import Call
from sim.strongdm.receiver.common import bearer_token
from sim.strongdm.receiver.common import parse_list_query
from sim.strongdm.receiver.common import require_object

bp = Blueprint("scim", __name__, url_prefix="/provisioning/<any(generic, okta, azure):provider>/v2")

MAX_JSON_DEPTH = 64
KNOWN_ENDPOINTS = {"Users", "Groups", "ServiceProviderConfig", "ResourceTypes", "Schemas"}


def sdm():
    """The StrongDM state object of this app."""
    return current_app.extensions["strongdm"]


@bp.url_value_preprocessor
def pull_provider(endpoint, values):
    g.provider = values.pop("provider", "generic")


@bp.before_request
def authenticate():
    """Every SCIM request needs the org's current bearer token (RFC 6750)."""
    if not sdm().org.check_token(bearer_token(request.headers.get("Authorization", ""))):
        raise UnauthorizedError()


@bp.after_request
def inspect(response):
    """Show what the receiver received and answered in the request inspector (sim.inspect), errors included."""
    inspector = current_app.extensions.get("inspector")
    return response if inspector is None else record_response(inspector.ring, request, response)


def _depth_ok(text: str) -> bool:
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return True  # cannot nest deeper than it has brackets: skip the character-by-character scan
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def body() -> dict:
    """The JSON body, whatever the Content-Type says.

    StrongDM's own client sends no Content-Type at all, so the real receiver evidently ignores it; we parse
    JSON whatever the header (curl's default form type included) and let invalid JSON be the 400.
    """
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidSyntaxError("The request body is not valid UTF-8.") from None
    if not text.strip():
        raise InvalidSyntaxError("The request body is empty; a JSON object is required.")
    if not _depth_ok(text):
        raise InvalidSyntaxError(f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.")
    try:
        data = wire.loads(text)
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # a lone surrogate (\ud800) cannot be stored
        return data
    except (ValueError, RecursionError) as exc:
        raise InvalidSyntaxError(f"The request body is not valid JSON: {exc}"[:300]) from None


@functools.lru_cache(maxsize=64)
def _url_root(scheme: str, host: str, root_path: str) -> str:
    # What `request.url_root` computes (IRI conversion and all), once per host rather than per request.
    return get_current_url(scheme, host, root_path)


def call() -> Call:
    """Who is calling and through which provider path."""
    base = _url_root(request.scheme, request.host, request.root_path).rstrip("/") + f"/provisioning/{g.provider}/v2"
    return Call(provider=g.provider, base_url=base, if_match=request.headers.get("If-Match"),
                actor=None)


def scim_response(payload: dict | None, status: int = 200, headers: dict | None = None) -> Response:
    """Serialise a SCIM payload with the profile's content type and, in the rfc profile, its ETag."""
    headers = dict(headers or {})
    if payload is not None and sdm().profile.rfc and isinstance(payload.get("meta"), dict):
        if payload["meta"].get("version"):
            headers["ETag"] = payload["meta"]["version"]
    # StrongDM's documented bodies list keys alphabetically; the rfc profile keeps insertion order.
    text = "" if payload is None else json.dumps(payload, ensure_ascii=False, sort_keys=not sdm().profile.rfc)
    return Response(text, status=status, headers=headers, mimetype=sdm().content_type)


def _not_modified(payload: dict) -> bool:
    """If-None-Match is honoured in the rfc profile only (StrongDM documents no ETags)."""
    wanted = request.headers.get("If-None-Match")
    return sdm().profile.rfc and scim_query.not_modified(payload["meta"].get("version"), wanted)


def projected(resource: dict, resource_type: str) -> dict:
    """Apply `attributes` / `excludedAttributes` to a single resource (RFC 7644 §3.4.2.5)."""
    return scim_query.projected(resource, parse_list_query(request.args, sdm().profile), resource_type)


# -- Users ------------------------------------------------------------------------------------------

@bp.get("/Users")
def list_users():
    """List users, with StrongDM's documented `userName eq` filter (RFC 7644 §3.4.2)."""
    return scim_response(sdm().users.list(parse_list_query(request.args, sdm().profile), call()))


@bp.post("/Users/.search")
def search_users():
    """Query users with a SearchRequest body (RFC 7644 §3.4.3), under the profile's filter rules."""
    return scim_response(sdm().users.list(parse_list_query(require_object(body()), sdm().profile), call()))


@bp.post("/Users")
def create_user():
    """Create a user (RFC 7644 §3.3): 201 with the user."""
    user = sdm().users.create(body(), call())
    return scim_response(user, 201, {"Location": call().base_url + f"/Users/{user['id']}"})


@bp.get("/Users/<user_id>")
def get_user(user_id):
    """Get a user (RFC 7644 §3.4.1)."""
    user = sdm().users.get(user_id, call())
    return scim_response(None, 304) if _not_modified(user) else scim_response(projected(user, "User"))


@bp.put("/Users/<user_id>")
def replace_user(user_id):
    """Replace a user (RFC 7644 §3.5.1)."""
    return scim_response(sdm().users.replace(user_id, body(), call()))


@bp.patch("/Users/<user_id>")
def patch_user(user_id):
    """Modify a user (RFC 7644 §3.5.2): 200 with the user, 204 when nothing changed."""
    user = sdm().users.patch(user_id, body(), call())
    return scim_response(None, 204) if user is None else scim_response(user)


@bp.delete("/Users/<user_id>")
def delete_user(user_id):
    """Delete a user (RFC 7644 §3.6): 204."""
    sdm().users.delete(user_id, call())
    return scim_response(None, 204)


# -- Groups -----------------------------------------------------------------------------------------

@bp.get("/Groups")
def list_groups():
    """List roles as groups, with StrongDM's documented `displayName eq` filter."""
    return scim_response(sdm().groups.list(parse_list_query(request.args, sdm().profile), call()))


@bp.post("/Groups/.search")
def search_groups():
    """Query groups with a SearchRequest body, under the profile's filter rules."""
    return scim_response(sdm().groups.list(parse_list_query(require_object(body()), sdm().profile), call()))


@bp.post("/Groups")
def create_group():
    """Create a role from a group: 201 with the group."""
    group = sdm().groups.create(body(), call())
    return scim_response(group, 201, {"Location": call().base_url + f"/Groups/{group['id']}"})


@bp.get("/Groups/<role_id>")
def get_group(role_id):
    """Get a role as a group."""
    group = sdm().groups.get(role_id, call())
    return scim_response(None, 304) if _not_modified(group) else scim_response(projected(group, "Group"))


@bp.put("/Groups/<role_id>")
def replace_group(role_id):
    """Replace a role's name and members: 200 with the group (what StrongDM's own client expects)."""
    return scim_response(sdm().groups.replace(role_id, body(), call()))


@bp.patch("/Groups/<role_id>")
def patch_group(role_id):
    """Modify a role: 200 with the group, 204 when nothing changed."""
    group = sdm().groups.patch(role_id, body(), call())
    return scim_response(None, 204) if group is None else scim_response(group)


@bp.delete("/Groups/<role_id>")
def delete_group(role_id):
    """Delete a role: 204."""
    sdm().groups.delete(role_id, call())
    return scim_response(None, 204)


@bp.post("/.search")
def search_all():
    """Search Users and Groups at once (RFC 7644 §3.4.3), under the profile's filter rules."""
    return scim_response(sdm().search_all(parse_list_query(require_object(body()), sdm().profile), call()))


# -- Discovery (RFC 7644 §4) --------------------------------------------------------------------------

@bp.get("/ServiceProviderConfig")
def service_provider_config():
    """What this receiver supports, honestly (differs by profile)."""
    return scim_response(sdm().discovery.service_provider_config(call().base_url))


@bp.get("/ResourceTypes")
def resource_types():
    """User (with the enterprise extension) and Group."""
    return scim_response(sdm().discovery.resource_types(call().base_url))


@bp.get("/ResourceTypes/<name>")
def resource_type(name):
    """One resource type."""
    return scim_response(sdm().discovery.resource_type(call().base_url, name))


@bp.get("/Schemas")
def schemas_list():
    """The schemas this receiver serves."""
    return scim_response(sdm().discovery.schemas(call().base_url))


@bp.get("/Schemas/<path:urn>")
def schema(urn):
    """One schema by URN."""
    return scim_response(sdm().discovery.schema(call().base_url, urn))


@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(anything):
    """Any other path under the SCIM root is a SCIM 404 (a known endpoint with the wrong method is a 405)."""
    if anything.split("/")[0] in KNOWN_ENDPOINTS:
        raise MethodNotAllowedError()
    raise NotFoundError(f"Resource {anything[:200]} not found.")

