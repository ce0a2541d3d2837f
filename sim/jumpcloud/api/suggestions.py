"""`/api/v2/usergroups/{group_id}/suggestions`: the membership changes a DYNAMIC_REVIEW_REQUIRED group proposes.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), operations
getApiV2UsergroupsByGroupIdSuggestions (a bare array of `MemberSuggestion`, limit/skip) and
postApiV2UsergroupsByGroupIdSuggestions (body `{"user_ids": [...]}`, answer `MemberSuggestionsPostResult`).
"""

from flask import Blueprint
from flask import jsonify
from flask import request

from sim.jumpcloud.api.common import actor
from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.shapes import require_object

bp = Blueprint("jumpcloud_v2_suggestions", __name__, url_prefix="/api/v2/usergroups")
bp.before_request(authenticate)


@bp.get("/<group_id>/suggestions")
def list_suggestions(group_id):
    """Pending suggestions: [{op: add|remove, object: {id, type: user}}], limit (≤100) and skip."""
    skip = q.parse_int(request.args, "skip", 0)
    limit = q.parse_int(request.args, "limit", 10, maximum=100)
    return jsonify(jc().directory.group_suggestions(group_id, skip=skip, limit=limit))


@bp.post("/<group_id>/suggestions")
def apply_suggestions(group_id):
    """Apply the suggestions for `user_ids`: {suggestions_found, suggestions_not_found}."""
    body = require_object(json_body())
    return jsonify(jc().directory.apply_suggestions(group_id, body.get("user_ids"), actor=actor()))
