"""Directory Insights API (`POST /insights/directory/v1/events`, `/events/count`, `/events/distinct`,
`/events/interval`): the spec's bodies (docs/new/api/insights/directory/index.yaml in TheJumpCloud/jumpcloud-docs-public)
validated here, answered by `Insights`."""

import datetime as dt
import json
import re
import zoneinfo

from flask import Blueprint
from flask import jsonify

from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.insights import DEFAULT_LIMIT
from sim.jumpcloud.insights import FIELD
from sim.jumpcloud.insights import INTERVAL_SECONDS
from sim.jumpcloud.insights import MAX_VALUE_LENGTH
from sim.jumpcloud.insights import rfc3339
from sim.jumpcloud.insights import search_terms
from sim.scim import wire
from sim.store import iso

bp = Blueprint("jumpcloud_insights", __name__, url_prefix="/insights/directory/v1")
bp.before_request(authenticate)

# `EventServiceTimeQuery.service` items (DI spec enum).
SERVICES = {"alerts", "all", "directory", "ldap", "mdm", "notifications", "object_storage", "password_manager",
            "password_vault", "radius", "reports", "saas_app_management", "software", "sso", "systems",
            "access_management", "asset_management", "workflows", "genai", "aigw", "ai_admin", "generic_di"}
MAX_LIMIT = 10000
MAX_SEARCH_AFTER = 512  # characters of a search_after string; the pair is ~60
MAX_FIELDS = 100
MAX_SKIP = 10**9  # SQLite's OFFSET is a 64-bit integer: beyond it the driver overflows
# Top-level event fields (the DI guide's "Directory Attributes" table, plus the pusher's provisioning details):
# a `fields` list naming none of them is a 400, as documented.
KNOWN_FIELDS = frozenset({
    "id", "correlation", "event_type", "timestamp", "resource", "system_group", "organization", "changes",
    "initiated_by", "association", "client_ip", "useragent", "auth_method", "success", "mfa", "mfa_meta", "geoip",
    "provider", "service", "auth_context", "application", "idm_client_id", "error_message", "message_chain",
    "@version", "system", "target_resource", "username", "provisioning", "error", "message"})
MAX_INTERVAL_VALUE = 100000
OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def parse_scope(body) -> dict:
    """The `EventServiceTimeQuery` part of any DI body plus its `search_term`: `scope`'s arguments (400 on anything odd)."""
    if not isinstance(body, dict):
        raise BadRequestError("request body must be a JSON object")
    if body.get("exact_match") is not None:
        raise BadRequestError("exact_match is not simulated; use search_term")
    if body.get("exclude_provider_activity") is not None and not isinstance(body["exclude_provider_activity"], bool):
        raise BadRequestError("exclude_provider_activity must be a boolean")
    service = body.get("service")
    if service is None:
        raise BadRequestError("service is required")
    if isinstance(service, str):
        service = [service]
    if not isinstance(service, list) or not service or not all(isinstance(s, str) for s in service):
        raise BadRequestError("service must be a list of strings")
    unknown = [s for s in service if s not in SERVICES]
    if unknown:
        raise BadRequestError(f"invalid service: {unknown[0][:40]}")
    if not body.get("start_time"):
        raise BadRequestError("start_time is required")
    start_time = rfc3339(body["start_time"], "start_time")
    end_time = rfc3339(body["end_time"], "end_time") if body.get("end_time") is not None else None
    terms = search_terms(body.get("search_term"))
    q = body.get("q")
    if q is not None:
        if not isinstance(q, str) or len(q) > MAX_VALUE_LENGTH:
            raise BadRequestError(f"q must be a string of at most {MAX_VALUE_LENGTH} characters")
        if q:  # free text: anywhere in the document, case-insensitively
            terms = (f"({terms[0]}) AND instr(lower(doc), lower(?)) > 0", [*terms[1], q])
    return {"service": service, "start_time": start_time, "end_time": end_time, "terms": terms}


def parse_query(body) -> dict:
    """Validate an `/events` body into `Insights.query` keyword arguments (400 on anything odd)."""
    params = parse_scope(body)
    limit = body.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        limit = DEFAULT_LIMIT  # "any nonsensical values for the limit field will cause the system to return the default row count"
    search_after = cursor(body.get("search_after"))
    sort = body.get("sort", "ASC")
    # "Nonsensical/missing sort directives cause the system to default to ascending order, silently."
    sort = sort.upper() if isinstance(sort, str) and sort.upper() in ("ASC", "DESC") else "ASC"
    skip = body.get("skip", 0)
    if isinstance(skip, bool) or not isinstance(skip, int) or not 0 <= skip <= MAX_SKIP:
        raise BadRequestError(f"skip must be an integer from 0 to {MAX_SKIP}")
    fields = body.get("fields")
    if fields is not None and (not isinstance(fields, list) or not 1 <= len(fields) <= MAX_FIELDS
                               or not all(isinstance(f, str) and FIELD.match(f) for f in fields)):
        raise BadRequestError(f"fields must be a list of 1 to {MAX_FIELDS} dotted event field names")
    if fields is not None and not any(f.split(".")[0] in KNOWN_FIELDS for f in fields):
        # "If you specify an empty list or a list containing no known fields, the system will respond with a 400"
        raise BadRequestError("fields names no known event field")
    return {**params, "limit": limit, "search_after": search_after, "sort": sort, "skip": skip, "fields": fields}


def cursor(search_after) -> list | None:
    """`search_after` as the `[timestamp, id]` pair `Insights.query` takes, from the documented `[epoch millis, id]`
    (X-Search_after, as a list or its JSON text) or an ISO timestamp in place of the millis."""
    if search_after is None:
        return None
    if isinstance(search_after, str):  # clients may echo the X-Search_after header verbatim
        # A pair is short: a long string is refused before parsing, as deep nesting would exhaust the JSON decoder.
        if len(search_after) > MAX_SEARCH_AFTER:
            raise BadRequestError("search_after must be the [timestamp, id] pair from X-Search_after")
        try:
            search_after = wire.loads(search_after)
        except (ValueError, RecursionError):
            raise BadRequestError("search_after must be a list") from None
    if not isinstance(search_after, list) or len(search_after) != 2 or not isinstance(search_after[1], str):
        raise BadRequestError("search_after must be the [timestamp, id] pair from X-Search_after")
    stamp = search_after[0]
    if isinstance(stamp, int) and not isinstance(stamp, bool):
        try:
            return [iso(dt.datetime.fromtimestamp(stamp / 1000, dt.UTC)), search_after[1]]
        except (OverflowError, ValueError, OSError):
            raise BadRequestError("search_after's timestamp is out of range") from None
    if isinstance(stamp, str):
        return [rfc3339(stamp, "search_after's timestamp"), search_after[1]]
    raise BadRequestError("search_after must be the [timestamp, id] pair from X-Search_after")


def search_after_header(events: list[dict], previous: list | None) -> str:
    """X-Search_after: `[epoch millis, id]` of the last event, sent even on the last page (the DI guide)."""
    last = next((e for e in reversed(events) if "timestamp" in e and "id" in e), None)
    if last is None:
        if previous is None:
            return "[]"
        last = {"timestamp": previous[0], "id": previous[1]}
    moment = dt.datetime.fromisoformat(last["timestamp"].replace("Z", "+00:00"))
    return json.dumps([int(moment.timestamp() * 1000), last["id"]])


def parse_distinct(body) -> dict:
    """Validate an `EventDistinctQuery` body into `Insights.distinct` keyword arguments."""
    params = parse_scope(body)
    field = body.get("field")
    if not isinstance(field, str) or not FIELD.match(field):
        raise BadRequestError("field is required: a dotted event field name")
    return {**params, "field": field}


def parse_interval(body) -> dict:
    """Validate an `EventIntervalQuery` body into `Insights.interval` keyword arguments."""
    params = parse_scope(body)
    unit = body.get("interval_unit")
    if not isinstance(unit, str) or unit not in INTERVAL_SECONDS:
        raise BadRequestError("interval_unit is required: one of s, m, h, d, w")
    value = body.get("interval_value", "1")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.isdigit() or not 1 <= int(value) <= MAX_INTERVAL_VALUE:
        raise BadRequestError(f"interval_value must be a whole number from 1 to {MAX_INTERVAL_VALUE}")
    return {**params, "interval_unit": unit, "interval_value": int(value), "timezone": time_zone(body.get("timezone"))}


def time_zone(name):
    """An IANA zone name or a `±HH:MM` offset as a tzinfo (UTC when absent)."""
    if name is None or name == "":
        return dt.UTC
    if not isinstance(name, str) or len(name) > 64:
        raise BadRequestError("timezone must be an IANA time zone name or an offset like -07:00")
    offset = OFFSET.match(name)
    if offset:
        sign, hours, minutes = offset.groups()
        if int(hours) > 23 or int(minutes) > 59:
            raise BadRequestError("timezone offset is out of range")
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
        return dt.timezone(-delta if sign == "-" else delta)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise BadRequestError(f"unknown timezone: {name[:64]}") from None


@bp.post("/events")
def list_events():
    """Events by (timestamp, id); `X-Search_after` carries the cursor for the next request's `search_after`."""
    params = parse_query(json_body())
    events = jc().insights.query(**params)
    response = jsonify(events)
    response.headers["X-Result-Count"] = str(len(events))
    response.headers["X-Limit"] = str(params["limit"])
    response.headers["X-Sort"] = params["sort"]
    response.headers["X-Search_after"] = search_after_header(events, params["search_after"])
    return response


@bp.post("/events/count")
def count_events():
    """`{"count": N}`: how many events an `EventQuery` matches."""
    params = parse_query(json_body())
    return jsonify({"count": jc().insights.count(**scope_of(params))})


@bp.post("/events/distinct")
def distinct_events():
    """The values of one field with their counts: `{buckets: [{key, doc_count}], …}`."""
    return jsonify(jc().insights.distinct(**parse_distinct(json_body())))


@bp.post("/events/interval")
def interval_events():
    """Event counts per time bucket: `{buckets: [{key, key_as_string, doc_count}]}`."""
    return jsonify(jc().insights.interval(**parse_interval(json_body())))


def scope_of(params: dict) -> dict:
    """The service, time range and search terms of parsed query parameters (what `count` needs)."""
    return {k: params[k] for k in ("service", "start_time", "end_time", "terms")}
