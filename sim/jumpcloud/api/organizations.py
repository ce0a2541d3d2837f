"""`GET /api/organizations` and `/api/organizations/{id}`: the org a key belongs to (scripts read its id first).

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), operations
getApiOrganizations (`organizationslist`) and getApiOrganizationsById (`organization`; 401/403 are its errors).
"""

from flask import Blueprint
from flask import jsonify
from flask import request

from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.shapes import OBJECT_ID
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ForbiddenError

bp = Blueprint("jumpcloud_organizations", __name__, url_prefix="/api/organizations")
bp.before_request(authenticate)

LIST_FIELDS = ("_id", "displayName", "logoUrl")  # what `organizationslist` items carry


@bp.get("", strict_slashes=False)
def list_organizations():
    """`{totalCount, results: [{_id, displayName, logoUrl}]}`: a key sees its own organisation only."""
    skip = q.parse_int(request.args, "skip", 0)
    limit = q.parse_int(request.args, "limit", 10, maximum=100, clamp=True)
    record = jc().org.record()
    item = {key: record[key] for key in LIST_FIELDS}
    fields, exclude = q.parse_fields(request.args.get("fields"), v2=False)
    results = [q.project(item, fields, exclude, "_id")][skip:skip + limit] if limit else []
    return jsonify({"totalCount": 1, "results": results})


@bp.get("/<org_id>")
def get_organization(org_id):
    """This organisation; any other id is 403 (the spec's answer for an org the key cannot see)."""
    if not OBJECT_ID.match(org_id):
        raise BadRequestError("Malformed ID")
    state = jc()
    if org_id != state.org.id:
        raise ForbiddenError("Forbidden: the key cannot read this organization")
    fields, exclude = q.parse_fields(request.args.get("fields"), v2=False)
    return jsonify(q.project(state.org.record(), fields, exclude, "_id"))
