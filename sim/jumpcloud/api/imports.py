"""Import users from an application's SCIM service provider: the preview, the job and its results.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), tags
"Applications" and "SCIM Import"; the rules live in sim/jumpcloud/imports.py.
"""

from flask import Blueprint
from flask import jsonify
from flask import request

from sim.jumpcloud.api.common import actor
from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.directory import query as q

bp = Blueprint("jumpcloud_v2_imports", __name__, url_prefix="/api/v2/applications")
bp.before_request(authenticate)


@bp.get("/<app_id>/import/users")
def preview_import(app_id):
    """`importUsersResponse`: what the provider's /Users holds (filter, sort, sortOrder, isCount, limit, skip)."""
    return jsonify(jc().imports.preview(app_id, request.args))


@bp.post("/<app_id>/import/jobs")
def create_import_job(app_id):
    """Run an import job (`ImportUsersRequest`): 200 `{"jobId": …}`."""
    return jsonify({"jobId": jc().imports.run(app_id, json_body(required=False), actor=actor())})


@bp.get("/import/<job_id>/detailedresults")
def import_results(job_id):
    """One `job-workresult` per provider user: created, updated, skipped or failed (`meta.operation`)."""
    skip, limit = q.parse_int(request.args, "skip", 0), q.parse_int(request.args, "limit", 10, maximum=100)
    return jsonify(jc().bulk.results(job_id, skip=skip, limit=limit, kinds=("import",)))
