"""Bulk job requests: `/api/v2/bulk/users` (POST create, PATCH update, results) and `/api/v2/bulk/userstates`.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), tag
"Bulk Job Requests"; the rules live in sim/jumpcloud/bulk.py.
"""

from flask import Blueprint
from flask import jsonify
from flask import request

from sim.jumpcloud.api.common import actor
from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.api.common import no_content
from sim.jumpcloud.directory import query as q

bp = Blueprint("jumpcloud_v2_bulk", __name__, url_prefix="/api/v2/bulk")
bp.before_request(authenticate)


def page() -> tuple[int, int]:
    """(skip, limit): limit default 10, at most 100 (the v2 traits)."""
    return q.parse_int(request.args, "skip", 0), q.parse_int(request.args, "limit", 10, maximum=100)


@bp.post("/users")
def create_users():
    """Create users: 201 `{"jobId": …}`; `creation-source` picks the default state (see bulk.py)."""
    job = jc().bulk.run_users(json_body(), update=False, creation_source=request.headers.get("creation-source"),
                              actor=actor())
    return jsonify({"jobId": job}), 201


@bp.patch("/users")
def update_users():
    """Update users by `id`: 201 `{"jobId": …}`."""
    return jsonify({"jobId": jc().bulk.run_users(json_body(), update=True, actor=actor())}), 201


@bp.get("/users/<job_id>/results")
def user_results(job_id):
    """One `job-workresult` per user of the job, in request order."""
    skip, limit = page()
    return jsonify(jc().bulk.results(job_id, skip=skip, limit=limit))


@bp.post("/userstates")
def schedule_states():
    """Schedule a suspension or activation: 201 with a `scheduled-userstate-result` per user."""
    return jsonify(jc().bulk.schedule(json_body())), 201


@bp.get("/userstates")
def list_states():
    """Pending scheduled changes, soonest first; `userid` narrows them to one user."""
    skip, limit = page()
    return jsonify(jc().bulk.pending(user_id=request.args.get("userid"), skip=skip, limit=limit))


@bp.delete("/userstates/<job_id>")
def cancel_states(job_id):
    """Cancel a scheduled job: 204 (404 when nothing of it is pending)."""
    jc().bulk.cancel(job_id)
    return no_content()
