"""`GET /api/v2/applications/{application_id}`: one application through the v2 API (v2 error bodies).

Source: the unified console spec, operation getApiV2ApplicationsByApplicationId, whose 200 is a bare
`object`; we answer the v1 `application` document, the same object `GET /api/applications/{id}` returns (assumed).
"""

from flask import Blueprint
from flask import jsonify

from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc

bp = Blueprint("jumpcloud_v2_applications", __name__, url_prefix="/api/v2/applications")
bp.before_request(authenticate)


@bp.get("/<app_id>")
def get_application(app_id):
    """One application (400 malformed id, 404 unknown, both in the v2 `Error` shape)."""
    return jsonify(jc().directory.get_app(app_id))
