"""OpenAPI paths and schemas of `/api/organizations` and `GET /api/v2/applications/{application_id}`.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml): operations
getApiOrganizations, getApiOrganizationsById, getApiV2ApplicationsByApplicationId; schemas `organizationslist`,
`organization`. Self-contained (plain dicts) so it needs nothing else of this package.
"""

V1_ERRORS = {"4XX": {"description": "Bad request, unauthorized, forbidden or not found",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetails"}}}}}
V2_ERRORS = {"4XX": {"description": "Bad request, unauthorized, forbidden or not found",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
X_ORG_ID = {"name": "x-org-id", "in": "header", "schema": {"type": "string"}}
FIELDS = {"name": "fields", "in": "query", "schema": {"type": "string"}, "description": "Space-separated fields."}


def ok(schema: dict) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


SCHEMAS = {
    "organizationslist": {"title": "OrganizationList", "type": "object", "properties": {
        "results": {"type": "array", "items": {"type": "object", "properties": {
            "_id": {"type": "string"}, "displayName": {"type": "string"}, "logoUrl": {"type": ["string", "null"]}}}},
        "totalCount": {"type": "integer"}}},
    "organization": {"title": "Organization", "type": "object", "properties": {
        "_id": {"type": "string"}, "created": {"type": ["string", "null"]}, "displayName": {"type": "string"},
        "logoUrl": {"type": ["string", "null"]}, "provider": {"type": ["string", "null"]},
        "accessRestriction": {"type": "string"}, "hasCreditCard": {"type": "boolean"},
        "hasStripeCustomerId": {"type": "boolean"}, "settings": {"type": "object"}}},
}

PATHS = {
    "/api/organizations": {"get": {
        "operationId": "getApiOrganizations", "summary": "Get Organization Details", "tags": ["Organizations"],
        "parameters": [FIELDS, {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
                       {"name": "skip", "in": "query", "schema": {"type": "integer", "default": 0}}, X_ORG_ID],
        "responses": {"200": ok({"$ref": "#/components/schemas/organizationslist"}), **V1_ERRORS}}},
    "/api/organizations/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {"operationId": "getApiOrganizationsById", "summary": "Get an Organization", "tags": ["Organizations"],
                "parameters": [FIELDS, X_ORG_ID],
                "responses": {"200": ok({"$ref": "#/components/schemas/organization"}), **V1_ERRORS}}},
    "/api/v2/applications/{application_id}": {
        "parameters": [{"name": "application_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {"operationId": "getApiV2ApplicationsByApplicationId", "summary": "Get an Application",
                "tags": ["Applications"], "parameters": [X_ORG_ID],
                "responses": {"200": ok({"type": "object"}), **V2_ERRORS}}},
}
