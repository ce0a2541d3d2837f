"""JumpCloud REST API v2 (`/api/v2`): user groups, members, graph associations. Bare arrays, `id`, 204 on graph POSTs."""

from flask import Blueprint
from flask import jsonify
from flask import request

from sim.jumpcloud.api.common import actor
from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.api.common import no_content
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.bindings import connection
from sim.jumpcloud.directory.schema import GROUP_SPACE
from sim.jumpcloud.directory.schema import check_id
from sim.jumpcloud.directory.shapes import clean_group_input
from sim.jumpcloud.directory.shapes import require_object
from sim.jumpcloud.errors import BadRequestError

bp = Blueprint("jumpcloud_v2", __name__, url_prefix="/api/v2")
bp.before_request(authenticate)

# Graph target types JumpCloud accepts on `targets` (JumpCloud API 2.0, "Graph" associations endpoints,
# https://docs.jumpcloud.com/api/2.0/index.html); the ones we do not model answer [].
GROUP_TARGETS = {"active_directory", "application", "command", "g_suite", "ldap_server", "office_365",
                 "policy", "policy_group", "radius_server", "system", "system_group"}
USER_TARGETS = GROUP_TARGETS - {"policy", "policy_group"} | {"user_group"}
APP_TARGETS = {"user", "user_group"}


def page() -> tuple[int, int]:
    """(skip, limit) for graph listings: limit default 10, at most 100 (v2 spec)."""
    return q.parse_int(request.args, "skip", 0), q.parse_int(request.args, "limit", 10, maximum=100)


def targets(allowed: set[str]) -> str:
    """The required `targets` parameter of an associations endpoint."""
    target = request.args.get("targets")
    if not target:
        raise BadRequestError("targets is required")
    if target not in allowed:
        raise BadRequestError(f"invalid targets: {target[:40]}")
    return target


def graph_op(allowed_types: set[str]) -> tuple[str, str, str]:
    """A graph POST body `{op, type, id}` validated into (op, type, id)."""
    body = require_object(json_body())
    op, kind, object_id = body.get("op"), body.get("type"), body.get("id")
    if op not in ("add", "remove"):
        # `update` (attributes on a connection) is not simulated.
        raise BadRequestError("op must be add or remove")
    if kind not in allowed_types:
        raise BadRequestError(f"type must be one of: {', '.join(sorted(allowed_types))}")
    return op, kind, check_id(object_id, kind)


def with_paths(object_id: str, object_type: str) -> dict:
    """A `GraphObjectWithPaths` for a direct (one-hop) relation."""
    return {"id": object_id, "type": object_type, "paths": [[connection(object_id, object_type)]],
            "compiledAttributes": None}


@bp.get("/usergroups", strict_slashes=False)
def list_usergroups():
    """A bare array of groups: limit (≤100), skip, sort, fields, filter (`field:op:value`, repeatable)."""
    return jsonify(jc().directory.list_groups(q.v2_query(GROUP_SPACE, request.args)))


@bp.post("/usergroups", strict_slashes=False)
def create_usergroup():
    """Create a group: 201 with the UserGroup."""
    return jsonify(jc().directory.create_group(clean_group_input(json_body()), actor=actor())), 201


@bp.get("/usergroups/<group_id>", strict_slashes=False)
def get_usergroup(group_id):
    """One group."""
    return jsonify(jc().directory.get_group(group_id))


@bp.put("/usergroups/<group_id>", strict_slashes=False)
def replace_usergroup(group_id):
    """Full update: `name` required, omitted fields cleared."""
    return jsonify(jc().directory.replace_group(group_id, clean_group_input(json_body()), actor=actor()))


@bp.delete("/usergroups/<group_id>", strict_slashes=False)
def delete_usergroup(group_id):
    """Delete a group: 200 with the group as it was."""
    return jsonify(jc().directory.delete_group(group_id, actor=actor()))


@bp.get("/usergroups/<group_id>/members", strict_slashes=False)
def list_usergroup_members(group_id):
    """Direct members as GraphConnections."""
    skip, limit = page()
    ids = jc().directory.group_member_ids(group_id, skip=skip, limit=limit)
    return jsonify([connection(uid, "user") for uid in ids])


@bp.post("/usergroups/<group_id>/members", strict_slashes=False)
def change_usergroup_members(group_id):
    """Add or remove one user: 204."""
    check_id(group_id, "user group")
    op, _, user_id = graph_op({"user"})
    jc().directory.change_membership(group_id, op, user_id, actor=actor())
    return no_content()


@bp.get("/usergroups/<group_id>/membership", strict_slashes=False)
def list_usergroup_membership(group_id):
    """Transitive members as GraphObjectWithPaths (STATIC groups: the direct members)."""
    skip, limit = page()
    ids = jc().directory.group_member_ids(group_id, skip=skip, limit=limit)
    return jsonify([with_paths(uid, "user") for uid in ids])


@bp.get("/usergroups/<group_id>/associations", strict_slashes=False)
def list_usergroup_associations(group_id):
    """Associations of one target type (`targets` required); only applications are modelled."""
    target = targets(GROUP_TARGETS)
    skip, limit = page()
    directory = jc().directory
    directory.get_group(group_id)
    ids = directory.group_app_ids(group_id, skip=skip, limit=limit) if target == "application" else []
    return jsonify([connection(app_id, "application") for app_id in ids])


@bp.post("/usergroups/<group_id>/associations", strict_slashes=False)
def change_usergroup_associations(group_id):
    """Bind or unbind the group to an application: 204."""
    check_id(group_id, "user group")
    op, _, app_id = graph_op({"application"})
    jc().directory.bind_group_ids(group_id, op, app_id, actor=actor())
    return no_content()


@bp.get("/users/<user_id>/memberof", strict_slashes=False)
def list_user_memberof(user_id):
    """Groups the user belongs to, as GraphObjectWithPaths."""
    skip, limit = page()
    ids = jc().directory.user_group_ids(user_id, skip=skip, limit=limit)
    return jsonify([with_paths(gid, "user_group") for gid in ids])


@bp.get("/users/<user_id>/associations", strict_slashes=False)
def list_user_associations(user_id):
    """Direct associations of a user (`targets` required); only applications are modelled."""
    target = targets(USER_TARGETS)
    skip, limit = page()
    directory = jc().directory
    directory.get_user(user_id)
    ids = directory.user_app_ids(user_id, skip=skip, limit=limit) if target == "application" else []
    return jsonify([connection(app_id, "application") for app_id in ids])


@bp.post("/users/<user_id>/associations", strict_slashes=False)
def change_user_associations(user_id):
    """Bind or unbind the user directly to an application: 204."""
    check_id(user_id, "systemuser")
    op, _, app_id = graph_op({"application"})
    jc().directory.get_user(user_id)
    jc().directory.change_binding(app_id, op, "user", user_id, actor=actor())
    return no_content()


@bp.get("/applications/<app_id>/associations", strict_slashes=False)
def list_application_associations(app_id):
    """Users or groups bound directly to the app (`targets=user|user_group`)."""
    target = targets(APP_TARGETS)
    skip, limit = page()
    ids = jc().directory.bound_ids(app_id, target, skip=skip, limit=limit)
    return jsonify([connection(object_id, target) for object_id in ids])


@bp.post("/applications/<app_id>/associations", strict_slashes=False)
def change_application_associations(app_id):
    """Bind or unbind a user or user group: 204 with no body."""
    check_id(app_id, "application")
    op, kind, object_id = graph_op(APP_TARGETS)
    jc().directory.change_binding(app_id, op, kind, object_id, actor=actor())
    return no_content()


@bp.get("/applications/<app_id>/users", strict_slashes=False)
def list_application_users(app_id):
    """Users bound directly or through a bound group, as GraphObjectWithPaths."""
    skip, limit = page()
    return jsonify(jc().directory.app_user_paths(app_id, skip=skip, limit=limit))


@bp.get("/applications/<app_id>/usergroups", strict_slashes=False)
def list_application_usergroups(app_id):
    """Groups bound to the app, as GraphObjectWithPaths."""
    skip, limit = page()
    ids = jc().directory.bound_ids(app_id, "user_group", skip=skip, limit=limit)
    return jsonify([with_paths(gid, "user_group") for gid in ids])
