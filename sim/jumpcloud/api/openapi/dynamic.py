"""OpenAPI paths and schemas of a user group's membership suggestions (DYNAMIC_REVIEW_REQUIRED groups).

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml): operations
getApiV2UsergroupsByGroupIdSuggestions, postApiV2UsergroupsByGroupIdSuggestions; schemas `MemberSuggestion`,
`MemberSuggestionsPostResult`, `MemberQuery` (which v2.py's `UserGroup` and `UserGroupPost` name, with every
`GroupMembershipMethodType`; ours: the v1 FilterQuery).
"""

V2_ERRORS = {"4XX": {"description": "Bad request, unauthorized, forbidden or not found",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
X_ORG_ID = {"name": "x-org-id", "in": "header", "schema": {"type": "string"}}


def ok(schema: dict) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


SCHEMAS = {
    "MemberSuggestion": {"type": "object", "required": ["op", "object"], "properties": {
        "op": {"type": "string", "enum": ["add", "remove"]},
        "object": {"type": "object", "required": ["id", "type"], "properties": {
            "id": {"type": "string"}, "type": {"type": "string", "const": "user"}}}}},
    "MemberSuggestionsPostResult": {"type": "object", "properties": {
        "suggestions_found": {"type": "array", "items": {"type": "string"}},
        "suggestions_not_found": {"type": "array", "items": {"type": "string"}}}},
    "MemberQuery": {"title": "MemberQuery", "type": ["object", "null"], "properties": {
        "queryType": {"type": "string", "enum": ["Filter", "FilterQuery"]},
        "filters": {"type": "array", "minItems": 1, "maxItems": 20, "items": {
            "type": "object", "required": ["field", "operator"], "properties": {
                "field": {"type": "string"},
                "operator": {"type": "string", "enum": ["eq", "ne", "gt", "ge", "lt", "le", "in", "search"]},
                "value": {}}}}}},
}

PATHS = {
    "/api/v2/usergroups/{group_id}/suggestions": {
        "parameters": [{"name": "group_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {"operationId": "getApiV2UsergroupsByGroupIdSuggestions", "summary": "List Suggestions for a User Group",
                "tags": ["User Groups"], "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10, "maximum": 100}},
                    {"name": "skip", "in": "query", "schema": {"type": "integer", "default": 0}}, X_ORG_ID],
                "responses": {"200": ok({"type": "array", "items": {"$ref": "#/components/schemas/MemberSuggestion"}}),
                              **V2_ERRORS}},
        "post": {"operationId": "postApiV2UsergroupsByGroupIdSuggestions", "summary": "Apply Suggestions for a User Group",
                 "tags": ["User Groups"], "parameters": [X_ORG_ID],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "required": ["user_ids"], "properties": {
                         "user_ids": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"type": "string"}}}}}}},
                 "responses": {"200": ok({"$ref": "#/components/schemas/MemberSuggestionsPostResult"}), **V2_ERRORS}}},
}
