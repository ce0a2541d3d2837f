"""JumpCloud REST API v1 (`/api`): systemusers, their state, search, and SSO applications. Thin views."""

from flask import Blueprint
from flask import jsonify
from flask import request

from sim.jumpcloud.api.common import actor
from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.schema import APP_SPACE
from sim.jumpcloud.directory.schema import USER_SPACE
from sim.jumpcloud.directory.shapes import application_wire
from sim.jumpcloud.directory.shapes import clean_app_input
from sim.jumpcloud.directory.shapes import clean_user_input
from sim.jumpcloud.directory.shapes import require_object
from sim.jumpcloud.directory.shapes import systemuser_wire
from sim.jumpcloud.errors import BadRequestError

bp = Blueprint("jumpcloud_v1", __name__, url_prefix="/api")
bp.before_request(authenticate)


@bp.get("/systemusers", strict_slashes=False)
def list_systemusers():
    """List users: `{totalCount, results}` with limit/skip/sort/fields/filter/search."""
    total, results = jc().directory.list_users(q.v1_query(USER_SPACE, request.args))
    return jsonify({"totalCount": total, "results": [systemuser_wire(u) for u in results]})


@bp.post("/systemusers", strict_slashes=False)
def create_systemuser():
    """Create a user (200 with the user; duplicate username/email is 400 "User already exists")."""
    user = jc().directory.create_user(clean_user_input(json_body(), create=True), actor=actor())
    return jsonify(systemuser_wire(user))


@bp.get("/systemusers/<user_id>")
def get_systemuser(user_id):
    """One user, optionally projected with `fields`."""
    fields, exclude = q.parse_fields(request.args.get("fields"), v2=False)
    return jsonify(systemuser_wire(q.project(jc().directory.get_user(user_id), fields, exclude, "_id")))


@bp.put("/systemusers/<user_id>")
def update_systemuser(user_id):
    """Merge the sent fields into a user."""
    fields = clean_user_input(json_body(), create=False)
    return jsonify(systemuser_wire(jc().directory.update_user(user_id, fields, actor=actor())))


@bp.delete("/systemusers/<user_id>")
def delete_systemuser(user_id):
    """Delete a user and return it; `cascade_manager=null` clears `manager` on its reports first."""
    cascade = request.args.get("cascade_manager")
    if cascade not in (None, "null"):
        raise BadRequestError("cascade_manager must be null")
    return jsonify(systemuser_wire(jc().directory.delete_user(user_id, cascade_manager=cascade == "null", actor=actor())))


@bp.post("/systemusers/<user_id>/state/activate")
def activate_systemuser(user_id):
    """STAGED (or SUSPENDED) to ACTIVATED; the optional body is `{"email": bool|string}`."""
    body = json_body(required=False)
    require_object(body)
    return jsonify(systemuser_wire(jc().directory.set_user_state(user_id, "ACTIVATED", actor=actor())))


@bp.post("/systemusers/<user_id>/state/suspend")
def suspend_systemuser(user_id):
    """Suspend a user (empty body)."""
    return jsonify(systemuser_wire(jc().directory.set_user_state(user_id, "SUSPENDED", actor=actor())))


@bp.post("/search/systemusers", strict_slashes=False)
def search_systemusers():
    """Search with a body `{filter:{and|or:[…]}, searchFilter:{searchTerm, fields}, fields}`; paging in the query."""
    body = require_object(json_body(required=False))
    args = dict(request.args.items())
    for key in ("limit", "skip", "sort"):
        if key in body:
            args[key] = str(body[key])
    if isinstance(body.get("fields"), str | list):
        args["fields"] = body["fields"] if isinstance(body["fields"], str) else " ".join(map(str, body["fields"]))
    query = q.v1_query(USER_SPACE, args)
    if "filter" in body:
        query.add(q.body_filter(USER_SPACE, body["filter"]))
    search = body.get("searchFilter")
    if search is not None:
        query.add(_search_filter(search))
    total, results = jc().directory.list_users(query)
    return jsonify({"totalCount": total, "results": [systemuser_wire(u) for u in results]})


def _search_filter(search) -> tuple[str, list]:
    """`searchFilter: {searchTerm: str | [str], fields: [str]}`: any term in any field."""
    if not isinstance(search, dict):
        raise BadRequestError("searchFilter must be an object")
    terms = search.get("searchTerm")
    terms = [terms] if isinstance(terms, str) else terms
    fields = search.get("fields")
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise BadRequestError("searchFilter.searchTerm must be a string or a list of strings")
    if fields is not None and (not isinstance(fields, list) or not all(isinstance(f, str) for f in fields)):
        raise BadRequestError("searchFilter.fields must be a list of strings")
    clauses = [q.search_clause(USER_SPACE, t, fields or None) for t in terms if t]
    if not clauses:
        return "1", []
    return " OR ".join(f"({s})" for s, _ in clauses), [p for _, ps in clauses for p in ps]


@bp.get("/applications", strict_slashes=False)
def list_applications():
    """List SSO applications: `{name, totalCount, results}` (default sort by name)."""
    total, results = jc().directory.list_apps(q.v1_query(APP_SPACE, request.args))
    return jsonify({"name": "applications", "totalCount": total, "results": [application_wire(a) for a in results]})


@bp.post("/applications", strict_slashes=False)
def create_application():
    """Create an application (`name`, `ssoUrl`, `config` required); a catalog name fills in defaults."""
    fields = clean_app_input(json_body(), create=True)
    return jsonify(application_wire(jc().directory.create_app(fields, actor=actor())))


@bp.get("/applications/<app_id>")
def get_application(app_id):
    """One application."""
    return jsonify(application_wire(jc().directory.get_app(app_id)))


@bp.put("/applications/<app_id>")
def update_application(app_id):
    """Merge the sent fields into an application."""
    fields = clean_app_input(json_body(), create=False)
    return jsonify(application_wire(jc().directory.update_app(app_id, fields, actor=actor())))


@bp.delete("/applications/<app_id>")
def delete_application(app_id):
    """Delete an application and its bindings; returns it."""
    return jsonify(application_wire(jc().directory.delete_app(app_id, actor=actor())))
