"""The OpenAPI paths and schemas of the v1 API the mock serves: systemusers, their state, search, applications.

Names (paths, `{id}`, operationIds, schema names) are the console spec's (docs/new/console/index.yaml in
TheJumpCloud/jumpcloud-docs-public); the schemas list the fields the mock returns, typed as the spec types them.
"""

from sim.jumpcloud.api.openapi.common import answer
from sim.jumpcloud.api.openapi.common import json_body
from sim.jumpcloud.api.openapi.common import operation
from sim.jumpcloud.api.openapi.common import path_param
from sim.jumpcloud.api.openapi.common import query
from sim.jumpcloud.api.openapi.common import ref
from sim.jumpcloud.directory.shapes import APP_COLORS
from sim.jumpcloud.directory.shapes import MAX_LEN
from sim.jumpcloud.directory.shapes import STATES
from sim.jumpcloud.directory.shapes import USER_BOOLEANS
from sim.jumpcloud.directory.shapes import USER_STRINGS

TAG_USERS, TAG_APPS = "Systemusers", "Applications"
STRING = {"type": "string", "maxLength": MAX_LEN}
NULLABLE_STRING = {"type": ["string", "null"]}
OBJECTS = {"type": "array", "items": {"type": "object"}}
MFA_STATUS = {"type": "string", "enum": ["NOT_ENROLLED", "DISABLED", "PENDING_ACTIVATION", "ENROLLMENT_EXPIRED",
                                         "IN_ENROLLMENT", "PRE_ENROLLMENT", "ENROLLED"]}

USER_PROPERTIES = {
    **{name: STRING for name in sorted(USER_STRINGS - {"password", "manager", "employeeIdentifier"})},
    **{name: {"type": "boolean"} for name in sorted(USER_BOOLEANS)},
    "_id": {"type": "string"}, "manager": {"type": "string", "description": "The manager's systemuser id."},
    "employeeIdentifier": {"type": "string", "maxLength": 256},
    "state": {"type": "string", "enum": list(STATES)},
    "unix_uid": {"type": "integer", "minimum": 1}, "unix_guid": {"type": "integer", "minimum": 1},
    "badLoginAttempts": {"type": "integer", "minimum": 0},
    "account_locked_date": NULLABLE_STRING, "password_date": NULLABLE_STRING,
    "password_expiration_date": NULLABLE_STRING, "created": {"type": "string"}, "organization": {"type": "string"},
    "addresses": OBJECTS, "phoneNumbers": OBJECTS, "relationships": OBJECTS, "ssh_keys": OBJECTS,
    "restrictedFields": OBJECTS,
    "attributes": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "value": {"type": "string", "maxLength": MAX_LEN}}}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "recoveryEmail": {"type": "object", "properties": {"address": {"type": "string"}, "verified": {"type": "boolean"},
                                                       "verifiedAt": {"type": "string"}}},
    "mfa": {"type": "object", "properties": {"configured": {"type": "boolean"}, "exclusion": {"type": "boolean"},
                                             "exclusionUntil": {"type": "string", "format": "date-time"},
                                             "exclusionDays": {"type": "integer", "minimum": 1}}},
    "mfaEnrollment": {"type": "object", "properties": {k: MFA_STATUS for k in (
        "overallStatus", "pushStatus", "totpStatus", "webAuthnStatus")}},
    "delegatedAuthority": {"type": ["object", "null"], "properties": {
        "name": {"type": "string", "const": "ActiveDirectory"}, "id": {"type": "string"}}},
    "admin": {"type": ["object", "null"]},
}
USER_INPUT = {k: v for k, v in USER_PROPERTIES.items() if k not in (
    "_id", "created", "organization", "activated", "password_expired", "totp_enabled", "badLoginAttempts",
    "account_locked_date", "password_date", "password_expiration_date", "mfaEnrollment", "restrictedFields",
    "delegatedAuthority", "admin")}
COLOR = {"type": "string", "enum": list(APP_COLORS)}

SCHEMAS = {
    "systemuserreturn": {"title": "SystemUserReturn", "type": "object", "properties": USER_PROPERTIES},
    "systemuserslist": {"title": "SystemUsersList", "type": "object", "properties": {
        "totalCount": {"type": "integer"}, "results": {"type": "array", "items": ref("systemuserreturn")}}},
    "systemuserputpost": {"title": "SystemUserPost", "type": "object", "required": ["username", "email"],
                          "properties": {**USER_INPUT, "password": {"type": "string"}}},
    "systemuserput": {"title": "SystemUserPut", "type": "object", "properties": {
        **USER_INPUT, "password": {"type": "string"}, "state": {"type": "string", "enum": ["ACTIVATED", "SUSPENDED"]}}},
    "search": {"title": "Search", "type": "object", "properties": {
        "filter": {"type": "object", "description": "{and|or: [{field: value | {$op: value}}]}; ops $eq $ne $in $nin $lt $lte $gt $gte $regex $exists."},
        "searchFilter": {"type": "object", "properties": {
            "searchTerm": {"type": ["string", "array"], "items": {"type": "string"}},
            "fields": {"type": "array", "items": {"type": "string"}}}},
        "fields": {"type": "string"}}},
    "application": {"title": "Application", "type": "object", "required": ["config", "name", "ssoUrl"], "properties": {
        "_id": {"type": "string"}, "name": {"type": "string"}, "displayName": {"type": "string"},
        "displayLabel": {"type": "string"}, "description": {"type": "string"}, "ssoUrl": {"type": "string"},
        "learnMore": {"type": "string"}, "active": {"type": "boolean"}, "beta": {"type": "boolean"},
        "color": COLOR, "logo": {"type": "object", "properties": {"url": {"type": "string"}, "color": COLOR}},
        "config": {"type": "object", "description": "Connector fields: {name: {label, type, value, position, readOnly, required, visible}}."},
        "sso": {"type": "object", "properties": {"type": {"type": "string"}}},
        "databaseAttributes": {"type": "array", "items": {"type": "object"}}, "parentApp": {"type": "string"},
        "aiReady": {"type": "boolean"}, "created": {"type": "string"}, "organization": {"type": "string"}}},
    "applicationslist": {"title": "ApplicationsList", "type": "object", "properties": {
        "name": {"type": "string"}, "totalCount": {"type": "integer"},
        "results": {"type": "array", "items": ref("application")}}},
    "Error": {"title": "Error", "type": "object", "properties": {
        "code": {"type": "integer", "format": "int32"}, "message": {"type": "string"}, "status": {"type": "string"}}},
    "ErrorDetails": {"allOf": [ref("Error"), {"type": "object", "properties": {
        "details": {"type": "array", "items": {"type": "object", "additionalProperties": True}}}}]},
}

V1_FILTER = query("filter", {"type": "string"},
                  "`field:$op:value` (ops $eq $ne $in $nin $lt $lte $gt $gte $sw $ew $co $nco; `field:op:value` "
                  "accepted too); `filter[0]`… AND, `filter[or][0]`… OR.")
V1_LIST = [query("limit", {"type": "integer", "default": 10}, "At most 100 (larger values are clamped)."),
           query("skip", {"type": "integer", "default": 0, "minimum": 0}),
           query("sort", {"type": "string"}, "Space- or comma-separated fields, `-` prefix for descending."),
           query("fields", {"type": "string"}, "Space- or comma-separated fields to return."), V1_FILTER]
USER = ref("systemuserreturn")
APP = ref("application")
ID = path_param("id")

PATHS = {
    "/api/systemusers": {
        "get": operation("getApiSystemusers", "List all system users", TAG_USERS,
                         {"200": answer("OK", ref("systemuserslist"))},
                         parameters=[*V1_LIST, query("search", {"type": "string"},
                                                     "Text matched against username, email, firstname, lastname, displayname.")]),
        "post": operation("postApiSystemusers", "Create a system user", TAG_USERS,
                          {"200": answer("User added successfully", USER)},
                          body=json_body(ref("systemuserputpost"))),
    },
    "/api/systemusers/{id}": {
        "parameters": [ID],
        "get": operation("getApiSystemusersById", "List a system user", TAG_USERS, {"200": answer("OK", USER)},
                         parameters=[query("fields", {"type": "string"})]),
        "put": operation("putApiSystemusersById", "Update a system user (the sent fields are merged)", TAG_USERS,
                         {"200": answer("OK", USER)}, body=json_body(ref("systemuserput"))),
        "delete": operation("deleteApiSystemusersById", "Delete a system user", TAG_USERS,
                            {"200": answer("OK: the deleted user", USER)},
                            parameters=[query("cascade_manager", {"type": "string", "enum": ["null"]},
                                              "`null` clears `manager` on the user's direct reports (else 409).")]),
    },
    "/api/systemusers/{id}/state/activate": {
        "post": operation("postApiSystemusersByIdStateActivate", "Activate a system user", TAG_USERS,
                          {"200": answer("OK: the user (the spec types this answer as a string)", USER)},
                          parameters=[ID], body=json_body({"type": "object", "properties": {
                              "email": {"type": ["boolean", "string"]}}}, required=False)),
    },
    "/api/systemusers/{id}/state/suspend": {
        "post": operation("postApiSystemusersByIdStateSuspend", "Suspend a system user", TAG_USERS,
                          {"200": answer("OK: the user (the spec documents no body)", USER)}, parameters=[ID]),
    },
    "/api/search/systemusers": {
        "post": operation("postApiSearchSystemusers", "Search system users", TAG_USERS,
                          {"200": answer("OK", ref("systemuserslist"))},
                          parameters=[query("limit", {"type": "integer", "default": 10}),
                                      query("skip", {"type": "integer", "default": 0, "minimum": 0}),
                                      query("fields", {"type": "string"}), V1_FILTER],
                          body=json_body(ref("search"), required=False)),
    },
    "/api/applications": {
        "get": operation("getApiApplications", "List applications", TAG_APPS,
                         {"200": answer("OK", ref("applicationslist"))}, parameters=V1_LIST),
        "post": operation("postApiApplications", "Create an application (a catalog name fills in its defaults)",
                          TAG_APPS, {"200": answer("OK", APP)}, body=json_body(APP)),
    },
    "/api/applications/{id}": {
        "parameters": [ID],
        "get": operation("getApiApplicationsById", "Get an application", TAG_APPS, {"200": answer("OK", APP)}),
        "put": operation("putApiApplicationsById", "Update an application (the sent fields are merged)", TAG_APPS,
                         {"200": answer("OK", APP)}, body=json_body({"type": "object", "properties": SCHEMAS[
                             "application"]["properties"]})),
        "delete": operation("deleteApiApplicationsById", "Delete an application", TAG_APPS,
                            {"200": answer("OK: the deleted application", APP)}),
    },
}
