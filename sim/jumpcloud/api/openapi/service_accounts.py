"""OpenAPI paths and schemas of service accounts, built-in roles and the mock's OAuth 2.0 token endpoint.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml): operations
postApiV2ServiceAccounts, getApiV2ServiceAccounts, getApiV2ServiceAccountsByServiceAccountId,
deleteApiV2ServiceAccountsByServiceAccountId, getApiV2Roles; schemas `jumpcloud.service_accounts.*`, `RoleList`.
`/oauth2/token` is RFC 6749 §4.4 (the real product serves it at admin-oauth.id.jumpcloud.com).
"""

from sim.jumpcloud.service_accounts import LIFETIMES


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SA = "jumpcloud.service_accounts."
V2_ERRORS = {"4XX": ok(ref("Error"), "Bad request, unauthorized, forbidden, not found or conflict")}
X_ORG_ID = {"name": "x-org-id", "in": "header", "schema": {"type": "string"}}
ID = [{"name": "service_account_id", "in": "path", "required": True, "schema": {"type": "string"}}]
STATUS = {"type": "string", "enum": ["ACTIVE", "EXPIRED", "EXPIRING"]}
ACTOR = {"type": "object", "properties": {"id": {"type": ["string", "null"]}, "name": {"type": ["string", "null"]},
                                          "type": {"type": "string", "enum": ["ADMIN", "SERVICE_ACCOUNT"]}}}
CONFIG = {"createdAt": {"type": "string"}, "createdBy": ACTOR, "expiresAt": {"type": "string"},
          "lifetime": {"type": "string"}, "objectId": {"type": "string"}, "status": STATUS}
LIFETIME = {"type": "object", "required": ["lifetime"], "properties": {"lifetime": {"type": "string",
                                                                                    "enum": sorted(LIFETIMES)}}}

SCHEMAS = {
    SA + "AuthType": {"type": "string", "enum": ["AUTH_TYPE_UNSPECIFIED", "CLIENT_SECRET", "API_KEY"]},
    SA + "AuthConfig": {"type": "object", "properties": {
        "authType": ref(SA + "AuthType"),
        "clientSecretConfig": {"type": "object", "properties": {**CONFIG, "clientId": {"type": "string"},
                                                                "clientSecret": {"type": "string"}}},
        "apiKeyConfig": {"type": "object", "properties": {**CONFIG, "apiKey": {"type": "string"},
                                                          "apiKeyPrefix": {"type": "string"}}}}},
    SA + "ServiceAccount": {"type": "object", "properties": {
        "authConfigList": {"type": "array", "items": ref(SA + "AuthConfig")}, "authType": ref(SA + "AuthType"),
        "createdAt": {"type": "string"}, "expiresAt": {"type": "string"}, "name": {"type": "string"},
        "objectId": {"type": "string"}, "orgId": {"type": "string"}, "roleId": {"type": "string"},
        "roleName": {"type": "string"}, "status": STATUS}},
    SA + "CreateServiceAccountRequest": {"type": "object", "required": ["name", "roleId", "authConfig"], "properties": {
        "name": {"type": "string", "maxLength": 128}, "roleId": {"type": "string"},
        "authConfig": {"type": "object", "required": ["authType"], "properties": {
            "authType": {"type": "string", "enum": ["CLIENT_SECRET", "API_KEY"]},
            "clientSecretConfig": LIFETIME, "apiKeyConfig": LIFETIME}}}},
    SA + "CreateServiceAccountResponse": {"type": "object", "properties": {"serviceAccount": ref(SA + "ServiceAccount")}},
    SA + "ListServiceAccountsResponse": {"type": "object", "properties": {
        "results": {"type": "array", "items": ref(SA + "ServiceAccount")}, "totalCount": {"type": "integer"}}},
    SA + "DeleteServiceAccountResponse": {"type": "object"},
    "Role": {"title": "Role", "type": "object", "required": ["name", "scopes"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "scopes": {"type": "array", "items": {"type": "string"}},
        "description": {"type": "string"}, "isCustom": {"type": "boolean"}}},
    "RoleList": {"title": "RoleList", "type": "object", "properties": {
        "totalCount": {"type": "integer"}, "results": {"type": "array", "items": ref("Role")}}},
    "OAuthToken": {"type": "object", "required": ["access_token", "token_type", "expires_in"], "properties": {
        "access_token": {"type": "string"}, "token_type": {"type": "string"}, "expires_in": {"type": "integer"},
        "scope": {"type": "string"}}},
    "OAuthError": {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string", "enum": ["invalid_request", "invalid_client", "unsupported_grant_type",
                                             "invalid_scope"]}, "error_description": {"type": "string"}}},
}

PAGE = [{"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10, "maximum": 100}},
        {"name": "skip", "in": "query", "schema": {"type": "integer", "default": 0}}]
PATHS = {
    "/api/v2/service-accounts": {
        "get": {"operationId": "getApiV2ServiceAccounts", "summary": "Fetch all saved service accounts",
                "tags": ["Service Accounts"], "parameters": [
                    *PAGE, {"name": "sort", "in": "query", "schema": {"type": "string", "enum": [
                        "name", "-name", "expiresAt", "-expiresAt"]}},
                    {"name": "search.searchTerm", "in": "query", "schema": {"type": "string"}},
                    {"name": "search.fields", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    X_ORG_ID],
                "responses": {"200": ok(ref(SA + "ListServiceAccountsResponse")), **V2_ERRORS}},
        "post": {"operationId": "postApiV2ServiceAccounts", "summary": "Create a new service account",
                 "tags": ["Service Accounts"], "parameters": [X_ORG_ID],
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": ref(SA + "CreateServiceAccountRequest")}}},
                 "responses": {"201": ok(ref(SA + "CreateServiceAccountResponse"), "Created"), **V2_ERRORS}}},
    "/api/v2/service-accounts/{service_account_id}": {
        "parameters": ID,
        "get": {"operationId": "getApiV2ServiceAccountsByServiceAccountId", "summary": "Fetch a service account by ID",
                "tags": ["Service Accounts"], "parameters": [X_ORG_ID],
                "responses": {"200": ok(ref(SA + "ServiceAccount")), **V2_ERRORS}},
        "delete": {"operationId": "deleteApiV2ServiceAccountsByServiceAccountId", "summary": "Delete a service account",
                   "tags": ["Service Accounts"], "parameters": [X_ORG_ID],
                   "responses": {"200": ok(ref(SA + "DeleteServiceAccountResponse")), **V2_ERRORS}}},
    "/api/v2/roles": {"get": {
        "operationId": "getApiV2Roles", "summary": "List all roles (the built-in ones)", "tags": ["Roles"],
        "parameters": [*PAGE, X_ORG_ID], "responses": {"200": ok(ref("RoleList")), **V2_ERRORS}}},
    "/oauth2/token": {"post": {
        "operationId": "postOauth2Token", "summary": "OAuth 2.0 client credentials for a service account",
        "tags": ["Service Accounts"], "security": [{"clientBasic": []}, {}],
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["grant_type"], "properties": {
                "grant_type": {"type": "string", "const": "client_credentials"},
                "scope": {"type": "string", "const": "api"}, "client_id": {"type": "string"},
                "client_secret": {"type": "string"}}}}}},
        "responses": {"200": ok(ref("OAuthToken")), "400": ok(ref("OAuthError"), "Bad request (RFC 6749 §5.2)"),
                      "401": ok(ref("OAuthError"), "invalid_client")}}},
}
