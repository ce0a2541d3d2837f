"""Resources and helpers for the sim.scim.patch.apply tests: a User, a Group and PatchOp request builders."""

import json

from sim.scim.patch.apply import apply_patch
from sim.scim.schemas import ENTERPRISE_URN
from sim.scim.schemas import GROUP_URN
from sim.scim.schemas import PATCH_OP_URN
from sim.scim.schemas import USER_URN
from tests.paths import DATA

MEMBER_ID = "2819c223-7f76-453a-919d-413861904646"  # the id RFC 7644 §3.5.2 uses

USER = {
    "schemas": [USER_URN, ENTERPRISE_URN],
    "id": "a-01ba754f6171667f",
    "userName": "jane@example.test",
    "name": {"givenName": "Jane", "familyName": "Doe", "middleName": "Q"},
    "displayName": "Jane Doe",
    "active": True,
    "emails": [
        {"value": "jane@example.test", "type": "work", "primary": True, "display": "Work"},
        {"value": "jane@home.test", "type": "home"},
    ],
    "addresses": [{"type": "work", "streetAddress": "1 Main St", "locality": "Boulder"}],
    "groups": [{"value": "r-1", "display": "Eng"}],
    ENTERPRISE_URN: {"department": "Sales", "manager": {"value": "a-02", "displayName": "Boss"}},
    "meta": {"resourceType": "User", "location": "Users/a-01ba754f6171667f"},
}
GROUP = {
    "schemas": [GROUP_URN],
    "id": "r-027230536171b51d",
    "displayName": "Engineering",
    "members": [{"value": "a-1", "display": "one@example.test"}, {"value": MEMBER_ID, "display": "Babs Jensen"}],
    "meta": {"resourceType": "Group", "location": "Groups/r-027230536171b51d"},
}


def body(*operations) -> dict:
    return {"schemas": [PATCH_OP_URN], "Operations": list(operations)}


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def patched(resource: dict, *operations, resource_type: str = "User", dialect: str = "generic") -> dict:
    return apply_patch(resource, body(*operations), resource_type, dialect=dialect)


def emails_of(resource: dict) -> dict:
    return {e["type"]: e for e in resource.get("emails", [])}


EXT = ENTERPRISE_URN
