"""The OpenAPI paths and schemas of Directory Insights as the mock serves it (`/insights/directory/v1/events…`).

Names and bodies are the DI spec's (docs/new/api/insights/directory/index.yaml in TheJumpCloud/jumpcloud-docs-public):
`EventQuery`, `EventDistinctQuery`, `EventIntervalQuery`, `EventCount`, `ErrorMessage`.
"""

from sim.jumpcloud.api.insights import SERVICES
from sim.jumpcloud.api.openapi.common import X_ORG_ID
from sim.jumpcloud.api.openapi.common import answer
from sim.jumpcloud.api.openapi.common import json_body
from sim.jumpcloud.api.openapi.common import ref
from sim.jumpcloud.insights import INTERVAL_SECONDS

TAG = "Directory Insights"
TERMS = {"type": ["array", "object"], "items": {"type": "object"},
         "description": "Terms `{field: value | [values]}` or `{field, operator, value}`; operators eq ne contains "
                        "startsWith endsWith in not_in lt gt lte gte before after."}

SCHEMAS = {
    "ErrorMessage": {"type": "object", "properties": {"message": {"type": "string"}}},
    "EventCount": {"type": "object", "properties": {"count": {"type": "integer", "format": "int64"}}},
    "SearchTerm": {"type": "object", "properties": {"and": TERMS, "or": TERMS, "not": TERMS}},
    "EventServiceTimeQuery": {"type": "object", "required": ["service", "start_time"], "properties": {
        "service": {"type": "array", "items": {"type": "string", "enum": sorted(SERVICES)}},
        "start_time": {"type": "string", "format": "date-time"}, "end_time": {"type": "string", "format": "date-time"}}},
    "EventQuery": {"allOf": [ref("EventServiceTimeQuery"), {"type": "object", "properties": {
        "exclude_provider_activity": {"type": "boolean"},
        "fields": {"type": "array", "minItems": 1, "items": {"type": "string"}, "description": "Dotted event fields to keep."},
        "limit": {"type": "integer", "format": "int64", "default": 1000,
                  "description": "1 to 10000; a nonsensical value gets the default, as documented."},
        "q": {"type": "string", "description": "Free text matched anywhere in the event, ignoring case."},
        "search_after": {"type": "array", "description": "X-Search_after of the previous page: [epoch millis, id]."},
        "search_term": ref("SearchTerm"), "skip": {"type": "integer", "format": "int64", "minimum": 0},
        "sort": {"type": "string", "description": "ASC or DESC, any case; anything else is ASC, as documented."}}}]},
    "EventDistinctQuery": {"allOf": [ref("EventServiceTimeQuery"), {"type": "object", "required": ["field"], "properties": {
        "exclude_provider_activity": {"type": "boolean"}, "field": {"type": "string"}, "q": {"type": "string"},
        "search_term": ref("SearchTerm")}}]},
    "EventIntervalQuery": {"allOf": [ref("EventServiceTimeQuery"), {"type": "object", "required": ["interval_unit"], "properties": {
        "exclude_provider_activity": {"type": "boolean"},
        "interval_unit": {"type": "string", "enum": list(INTERVAL_SECONDS)}, "interval_value": {"type": "string"},
        "q": {"type": "string"}, "search_term": ref("SearchTerm"), "timezone": {"type": "string"}}}]},
}
ERRORS = {"4XX": answer("Bad query or unauthorized", ref("ErrorMessage")),
          "5XX": answer("Server error", ref("ErrorMessage"))}
HEADERS = {name: {"schema": {"type": "string"}, "description": text} for name, text in (
    ("X-Result-Count", "Number of events in the answer."), ("X-Limit", "The query's limit."),
    ("X-Sort", "ASC or DESC."), ("X-Search_after", "The `search_after` value for the next page (JSON)."))}


def post(operation_id: str, summary: str, body: str, ok: dict) -> dict:
    """A DI query operation: a required JSON body, its 200 answer and the `ErrorMessage` errors."""
    return {"post": {"operationId": operation_id, "summary": summary, "tags": [TAG], "parameters": [X_ORG_ID],
                     "requestBody": json_body(ref(body)),
                     "responses": {"200": ok, **ERRORS}}}


PATHS = {
    "/insights/directory/v1/events": post(
        "postInsightsDirectoryV1Events", "Query Events", "EventQuery",
        answer("The events, oldest first unless sort is DESC", {"type": "array", "items": {
            "type": "object", "additionalProperties": True}}, HEADERS)),
    "/insights/directory/v1/events/count": post(
        "postInsightsDirectoryV1EventsCount", "Count Events", "EventQuery", answer("OK", ref("EventCount"))),
    "/insights/directory/v1/events/distinct": post(
        "postInsightsDirectoryV1EventsDistinct", "Query event distinct field values", "EventDistinctQuery",
        answer("OK", {"type": "object", "properties": {
            "buckets": {"type": "array", "items": {"type": "object", "properties": {
                "doc_count": {"type": "integer"}, "key": {"type": "string"}}}},
            "doc_count_error_upper_bound": {"type": "integer"}, "sum_other_doc_count": {"type": "integer"}}})),
    "/insights/directory/v1/events/interval": post(
        "postInsightsDirectoryV1EventsInterval", "Query event counts bucketed by a time interval", "EventIntervalQuery",
        answer("OK", {"type": "object", "properties": {"buckets": {"type": "array", "items": {"type": "object", "properties": {
            "doc_count": {"type": "integer"}, "key": {"type": "integer"}, "key_as_string": {"type": "string"}}}}}})),
}
