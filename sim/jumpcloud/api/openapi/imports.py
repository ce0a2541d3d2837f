"""OpenAPI paths and schemas of importing users from an application's SCIM service provider.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml):
getApiV2ApplicationsByApplicationIdImportUsers (`importUsersResponse`), postApiV2ApplicationsByApplicationIdImportJobs
(`ImportUsersRequest` -> `job-id`); `/api/v2/applications/import/{job_id}/detailedresults` has no operation in the
spec: ours answers `job-workresult`s (see bulk.py in this package).
"""


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: dict) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


V2_ERRORS = {"4XX": ok(ref("Error")) | {"description": "Bad request, unauthorized or not found (no active IdM)"},
             "502": ok(ref("Error")) | {"description": "The service provider failed"}}
X_ORG_ID = {"name": "x-org-id", "in": "header", "schema": {"type": "string"}}
APP = [{"name": "application_id", "in": "path", "required": True, "schema": {"type": "string"}}]
TEXT = {"type": "string"}

SCHEMAS = {
    "importUser": {"title": "Import User", "type": "object", "properties": {
        k: TEXT for k in ("id", "email", "username", "firstname", "lastname", "middlename", "displayname", "department",
                          "jobTitle", "costCenter", "employeeType", "employeeIdentifier", "company")}},
    "importUsersResponse": {"title": "Import Users Response", "type": "object", "properties": {
        "total_count": {"type": "number"}, "session_id": TEXT, "users": {"type": "array", "items": ref("importUser")},
        "cursor": TEXT}},
    "ImportOperation": {"title": "ImportOperation", "type": "string", "enum": ["users.create", "users.update"]},
    "ImportUsersRequest": {"title": "ImportUsersRequest", "type": "object", "properties": {
        "queryString": {"type": "string", "default": ""}, "allowUserReactivation": {"type": "boolean", "default": True},
        "operations": {"type": "array", "items": ref("ImportOperation"), "default": ["users.create", "users.update"]}}},
}

PATHS = {
    "/api/v2/applications/{application_id}/import/users": {
        "parameters": APP,
        "get": {"operationId": "getApiV2ApplicationsByApplicationIdImportUsers", "tags": ["Applications", "SCIM Import"],
                "summary": "Get a list of users to import from an Application IdM service provider",
                "parameters": [
                    {"name": "filter", "in": "query", "schema": {"type": "string", "default": ""}},
                    {"name": "query", "in": "query", "schema": {"type": "string", "default": ""}},
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["", "firstname", "lastname",
                                                                                          "email"]}},
                    {"name": "sortOrder", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
                    {"name": "isCount", "in": "query", "schema": {"type": "boolean", "default": False}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10, "maximum": 100}},
                    {"name": "skip", "in": "query", "schema": {"type": "integer", "default": 0}}, X_ORG_ID],
                "responses": {"200": ok(ref("importUsersResponse")), **V2_ERRORS}}},
    "/api/v2/applications/{application_id}/import/jobs": {
        "parameters": APP,
        "post": {"operationId": "postApiV2ApplicationsByApplicationIdImportJobs", "summary": "Create an import job",
                 "tags": ["Applications"], "parameters": [X_ORG_ID],
                 "requestBody": {"content": {"application/json": {"schema": ref("ImportUsersRequest")}}},
                 "responses": {"200": ok(ref("job-id")), **V2_ERRORS}}},
    "/api/v2/applications/import/{job_id}/detailedresults": {
        "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {"operationId": "getApiV2ApplicationsImportByJobIdDetailedresults", "summary": "An import job's results",
                "tags": ["Applications"], "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10, "maximum": 100}},
                    {"name": "skip", "in": "query", "schema": {"type": "integer", "default": 0}}, X_ORG_ID],
                "responses": {"200": ok({"type": "array", "items": ref("job-workresult")}), **V2_ERRORS}}},
}
