"""OpenAPI paths and schemas of bulk user jobs and scheduled user state changes.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), tag "Bulk Job
Requests": postApiV2BulkUsers, patchApiV2BulkUsers, getApiV2BulkUsersByJobIdResults, postApiV2BulkUserstates,
getApiV2BulkUserstates, deleteApiV2BulkUserstatesById; schemas `job-id`, `job-workresult`,
`bulk-scheduled-statechange-create`, `scheduled-userstate-result`.
"""

from sim.jumpcloud.bulk import CREATION_SOURCES
from sim.jumpcloud.bulk import MAX_ITEMS


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


V2_ERRORS = {"4XX": ok(ref("Error"), "Bad request, unauthorized, forbidden or not found")}
X_ORG_ID = {"name": "x-org-id", "in": "header", "schema": {"type": "string"}}
PAGE = [{"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10, "maximum": 100}},
        {"name": "skip", "in": "query", "schema": {"type": "integer", "default": 0}}]
SUPPRESS = {"name": "suppressEmail", "in": "query", "schema": {"type": "boolean"}}
NULLABLE = {"type": ["string", "null"]}

SCHEMAS = {
    "job-id": {"title": "Job ID", "type": "object", "properties": {"jobId": {"type": "string"}}},
    "job-workresult": {"title": "Job WorkResult", "type": "object", "properties": {
        "createdAt": NULLABLE, "id": NULLABLE, "meta": {"type": "object"}, "persistedFields": {"type": ["object", "null"]},
        "status": {"type": ["string", "null"], "enum": ["finished", "failed", None]}, "statusMsg": NULLABLE,
        "updatedAt": NULLABLE}},
    "bulk-user-create": {"title": "Bulk User Create", "type": "object", "properties": {
        "email": {"type": "string"}, "firstname": {"type": "string"}, "lastname": {"type": "string"},
        "username": {"type": "string"}, "attributes": {"type": "array", "items": {"type": "object"}}}},
    "bulk-user-update": {"title": "Bulk User Update", "type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"}, "email": {"type": "string"}, "firstname": {"type": "string"},
        "lastname": {"type": "string"}, "username": {"type": "string"}, "organization": {"type": "string"},
        "attributes": {"type": "array", "items": {"type": "object"}}}},
    "bulk-scheduled-statechange-create": {"type": "object", "required": ["user_ids", "state", "start_date"],
                                          "properties": {
        "user_ids": {"type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": {"type": "string"}},
        "state": {"type": "string", "enum": ["ACTIVATED", "SUSPENDED"]},
        "start_date": {"type": "string", "format": "date-time"}, "send_activation_emails": {"type": "boolean"},
        "activation_email_override": {"type": "string"}}},
    "scheduled-userstate-result": {"type": "object", "properties": {
        "scheduledJobId": {"type": "string"}, "scheduledDate": {"type": "string"}, "state": {"type": "string"},
        "systemUserId": {"type": "string"}}},
}


def users_body(item: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": ref(item)}}}}


PATHS = {
    "/api/v2/bulk/users": {
        "post": {"operationId": "postApiV2BulkUsers", "summary": "Bulk Users Create", "tags": ["Bulk Job Requests"],
                 "parameters": [SUPPRESS, X_ORG_ID, {"name": "creation-source", "in": "header", "schema": {
                     "type": "string", "enum": list(CREATION_SOURCES), "default": "jumpcloud:bulk"}}],
                 "requestBody": users_body("bulk-user-create"),
                 "responses": {"201": ok(ref("job-id"), "Created"), **V2_ERRORS}},
        "patch": {"operationId": "patchApiV2BulkUsers", "summary": "Bulk Users Update", "tags": ["Bulk Job Requests"],
                  "parameters": [SUPPRESS, X_ORG_ID], "requestBody": users_body("bulk-user-update"),
                  "responses": {"201": ok(ref("job-id"), "Created"), **V2_ERRORS}}},
    "/api/v2/bulk/users/{job_id}/results": {
        "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {"operationId": "getApiV2BulkUsersByJobIdResults", "summary": "List Bulk Users Results",
                "tags": ["Bulk Job Requests"], "parameters": [*PAGE, X_ORG_ID],
                "responses": {"200": ok({"type": "array", "items": ref("job-workresult")}), **V2_ERRORS}}},
    "/api/v2/bulk/userstates": {
        "get": {"operationId": "getApiV2BulkUserstates", "summary": "List Scheduled Userstate Change Jobs",
                "tags": ["Bulk Job Requests"], "parameters": [
                    *PAGE, {"name": "userid", "in": "query", "schema": {"type": "string"}}, X_ORG_ID],
                "responses": {"200": ok({"type": "array", "items": ref("scheduled-userstate-result")}), **V2_ERRORS}},
        "post": {"operationId": "postApiV2BulkUserstates", "summary": "Create Scheduled Userstate Job",
                 "tags": ["Bulk Job Requests"], "parameters": [X_ORG_ID],
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": ref("bulk-scheduled-statechange-create")}}},
                 "responses": {"201": ok({"type": "array", "items": ref("scheduled-userstate-result")}, "Created"),
                               **V2_ERRORS}}},
    "/api/v2/bulk/userstates/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "delete": {"operationId": "deleteApiV2BulkUserstatesById", "summary": "Delete Scheduled Userstate Job",
                   "tags": ["Bulk Job Requests"], "parameters": [X_ORG_ID],
                   "responses": {"204": {"description": "No Content"}, **V2_ERRORS}}},
}
