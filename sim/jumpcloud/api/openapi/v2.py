"""The OpenAPI paths and schemas of the v2 API the mock serves: user groups, members and graph associations.

Names are the console spec's (docs/new/console/index.yaml in TheJumpCloud/jumpcloud-docs-public): `{id}` on
/usergroups/{id}, `{group_id}`, `{user_id}`, `{application_id}`, its operationIds and `GraphConnection`.
"""

from sim.jumpcloud.api.openapi.common import LIMIT_10
from sim.jumpcloud.api.openapi.common import SKIP
from sim.jumpcloud.api.openapi.common import V2_FIELDS
from sim.jumpcloud.api.openapi.common import V2_FILTER
from sim.jumpcloud.api.openapi.common import V2_SORT
from sim.jumpcloud.api.openapi.common import answer
from sim.jumpcloud.api.openapi.common import array_of
from sim.jumpcloud.api.openapi.common import json_body
from sim.jumpcloud.api.openapi.common import operation
from sim.jumpcloud.api.openapi.common import path_param
from sim.jumpcloud.api.openapi.common import query
from sim.jumpcloud.api.openapi.common import ref
from sim.jumpcloud.api.openapi.common import v2_errors
from sim.jumpcloud.api.v2 import APP_TARGETS
from sim.jumpcloud.api.v2 import GROUP_TARGETS
from sim.jumpcloud.api.v2 import USER_TARGETS
from sim.jumpcloud.directory.member_query import METHODS

TAG_GROUPS, TAG_GRAPH = "User Groups", "Graph"
GRAPH_ATTRIBUTES = {"title": "GraphAttributes", "type": ["object", "null"], "additionalProperties": True}
GRAPH_TYPES = ["active_directory", "agent", "agent_group", "application", "command", "g_suite", "idp_routing_policy",
               "ldap_server", "office_365", "policy", "policy_group", "radius_server", "password_manager_item",
               "system", "system_group", "user", "user_group"]

MEMBERSHIP_METHOD = {"type": "string", "enum": list(METHODS)}  # GroupMembershipMethodType

SCHEMAS = {
    "UserGroup": {"title": "UserGroup", "type": "object", "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "type": {"type": "string", "const": "user_group"},
        "description": {"type": "string"}, "email": {"type": "string"},
        "attributes": {"type": ["object", "null"]},
        "membershipMethod": MEMBERSHIP_METHOD, "memberQuery": ref("MemberQuery"),
        "memberQueryExemptions": {"type": "array", "items": {"type": "object", "required": ["type", "id"]}},
        "memberQueryErrorFlags": {"type": "array", "items": {"type": "string"}},
        "memberSuggestionsNotify": {"type": "boolean"},
        "suggestionCounts": {"type": "object", "properties": {k: {"type": "integer"} for k in ("add", "remove", "total")}},
        "organizationObjectId": {"type": ["string", "null"]}}},
    "UserGroupPost": {"title": "UserGroupPost", "type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "maxLength": 256}, "description": {"type": "string"}, "email": {"type": "string"},
        "attributes": {"type": "object"}, "membershipMethod": MEMBERSHIP_METHOD, "memberQuery": ref("MemberQuery"),
        "memberQueryExemptions": {"type": "array", "items": {"type": "object"}},
        "memberSuggestionsNotify": {"type": "boolean"}}},
    "GraphAttributes": GRAPH_ATTRIBUTES,
    "GraphObject": {"title": "GraphObject", "type": "object", "required": ["type", "id"], "properties": {
        "attributes": ref("GraphAttributes"), "id": {"type": "string"}, "type": {"type": "string"}}},
    "GraphConnection": {"title": "GraphConnection", "type": "object", "required": ["to"], "properties": {
        "attributes": ref("GraphAttributes"), "from": ref("GraphObject"), "to": ref("GraphObject")}},
    "GraphObjectWithPaths": {"title": "GraphObjectWithPaths", "type": "object", "required": ["type", "id", "paths"],
                             "properties": {"compiledAttributes": ref("GraphAttributes"), "id": {"type": "string"},
                                            "type": {"type": "string", "enum": GRAPH_TYPES},
                                            "paths": {"type": "array", "items": array_of("GraphConnection")}}},
}


def graph_operation(types: set[str]) -> dict:
    """A graph POST body `{op, type, id}` (op `update` is not simulated)."""
    return json_body({"type": "object", "required": ["op", "type", "id"], "properties": {
        "op": {"type": "string", "enum": ["add", "remove"]}, "type": {"type": "string", "enum": sorted(types)},
        "id": {"type": "string"}, "attributes": ref("GraphAttributes")}})


def targets(allowed: set[str]) -> dict:
    """The required `targets` parameter of an associations listing."""
    return query("targets", {"type": "string", "enum": sorted(allowed)}, required=True,
                 description="The target type; only `application`, `user` and `user_group` associations are modelled (others answer []).")


def op(operation_id: str, summary: str, tag: str, responses: dict, **kw) -> dict:
    """An operation of the v2 API (its `Error` answers)."""
    return operation(operation_id, summary, tag, responses, errors=v2_errors, **kw)


GROUP = ref("UserGroup")
CONNECTIONS = answer("OK", array_of("GraphConnection"))
WITH_PATHS = answer("OK", array_of("GraphObjectWithPaths"))
NO_CONTENT = {"204": answer("No Content")}
PAGE = [LIMIT_10, SKIP]

PATHS = {
    "/api/v2/usergroups": {
        "get": op("getApiV2Usergroups", "List all user groups", TAG_GROUPS, {"200": answer("OK", array_of("UserGroup"))},
                  parameters=[V2_FIELDS, V2_FILTER, LIMIT_10, SKIP, V2_SORT]),
        "post": op("postApiV2Usergroups", "Create a new user group (STATIC)", TAG_GROUPS,
                   {"201": answer("Created", GROUP)}, body=json_body(ref("UserGroupPost"))),
    },
    "/api/v2/usergroups/{id}": {
        "parameters": [path_param("id", "ObjectID of the User Group.")],
        "get": op("getApiV2UsergroupsById", "View an individual user group's details", TAG_GROUPS,
                  {"200": answer("OK", GROUP)}),
        "put": op("putApiV2UsergroupsById", "Update a user group (a full replace)", TAG_GROUPS,
                  {"200": answer("OK", GROUP)}, body=json_body(ref("UserGroupPost"))),
        "delete": op("deleteApiV2UsergroupsById", "Delete a user group", TAG_GROUPS,
                     {"200": answer("OK: the deleted group", GROUP)}),
    },
    "/api/v2/usergroups/{group_id}/members": {
        "parameters": [path_param("group_id")],
        "get": op("getApiV2UsergroupsByGroupIdMembers", "List the members of a user group", TAG_GRAPH,
                  {"200": CONNECTIONS}, parameters=PAGE),
        "post": op("postApiV2UsergroupsByGroupIdMembers", "Manage the members of a user group", TAG_GRAPH,
                   NO_CONTENT, body=graph_operation({"user"})),
    },
    "/api/v2/usergroups/{group_id}/membership": {
        "parameters": [path_param("group_id")],
        "get": op("getApiV2UsergroupsByGroupIdMembership", "List the user group's membership", TAG_GRAPH,
                  {"200": WITH_PATHS}, parameters=PAGE),
    },
    "/api/v2/usergroups/{group_id}/associations": {
        "parameters": [path_param("group_id")],
        "get": op("getApiV2UsergroupsByGroupIdAssociations", "List the associations of a user group", TAG_GRAPH,
                  {"200": CONNECTIONS}, parameters=[targets(GROUP_TARGETS), *PAGE]),
        "post": op("postApiV2UsergroupsByGroupIdAssociations", "Manage the associations of a user group", TAG_GRAPH,
                   NO_CONTENT, body=graph_operation({"application"})),
    },
    "/api/v2/users/{user_id}/memberof": {
        "parameters": [path_param("user_id")],
        "get": op("getApiV2UsersByUserIdMemberof", "List the parent groups of a user", TAG_GRAPH,
                  {"200": WITH_PATHS}, parameters=PAGE),
    },
    "/api/v2/users/{user_id}/associations": {
        "parameters": [path_param("user_id")],
        "get": op("getApiV2UsersByUserIdAssociations", "List the associations of a user", TAG_GRAPH,
                  {"200": CONNECTIONS}, parameters=[targets(USER_TARGETS), *PAGE]),
        "post": op("postApiV2UsersByUserIdAssociations", "Manage the associations of a user", TAG_GRAPH,
                   NO_CONTENT, body=graph_operation({"application"})),
    },
    "/api/v2/applications/{application_id}/associations": {
        "parameters": [path_param("application_id")],
        "get": op("getApiV2ApplicationsByApplicationIdAssociations", "List the associations of an application",
                  TAG_GRAPH, {"200": CONNECTIONS}, parameters=[targets(APP_TARGETS), *PAGE]),
        "post": op("postApiV2ApplicationsByApplicationIdAssociations", "Manage the associations of an application",
                   TAG_GRAPH, NO_CONTENT, body=graph_operation(APP_TARGETS)),
    },
    "/api/v2/applications/{application_id}/users": {
        "parameters": [path_param("application_id")],
        "get": op("getApiV2ApplicationsByApplicationIdUsers", "List the users bound to an application", TAG_GRAPH,
                  {"200": WITH_PATHS}, parameters=PAGE),
    },
    "/api/v2/applications/{application_id}/usergroups": {
        "parameters": [path_param("application_id")],
        "get": op("getApiV2ApplicationsByApplicationIdUsergroups", "List the user groups bound to an application",
                  TAG_GRAPH, {"200": WITH_PATHS}, parameters=PAGE),
    },
}
