"""Directory Insights API (`POST /insights/directory/v1/events`): the event log with its paging headers."""

import json

from flask import Blueprint
from flask import jsonify

from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.insights import parse_query

bp = Blueprint("jumpcloud_insights", __name__, url_prefix="/insights/directory/v1")
bp.before_request(authenticate)


@bp.post("/events")
def list_events():
    """Events by (timestamp, id); `X-Search_after` carries the cursor for the next request's `search_after`."""
    params = parse_query(json_body())
    events = jc().insights.query(**params)
    response = jsonify(events)
    response.headers["X-Result-Count"] = str(len(events))
    response.headers["X-Limit"] = str(params["limit"])
    if events:
        response.headers["X-Search_after"] = json.dumps([events[-1]["timestamp"], events[-1]["id"]])
    return response
