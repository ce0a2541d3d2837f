"""SCIM 2.0 request messages a client sends: PatchOp bodies and `eq` filters (RFC 7644), pure functions over dicts."""

import json

from sim.scim.schemas import PATCH_OP_URN


def patch_body(operations: list[dict]) -> dict:
    """A PatchOp message (RFC 7644 §3.5.2)."""
    return {"schemas": [PATCH_OP_URN], "Operations": operations}


def eq_filter(attribute: str, value: str) -> str:
    """`<attribute> eq "<value>"` with the value as a JSON string literal (RFC 7644 §3.4.2.2 compValue)."""
    return f"{attribute} eq {json.dumps(value, ensure_ascii=False)}"


def user_filter(user_name: str) -> str:
    """`userName eq "<email>"`, the lookup before a user is created (RFC 7644 §3.4.2.2)."""
    return eq_filter("userName", user_name)


def group_filter(name: str) -> str:
    """`displayName eq "<name>"`, the take-over lookup for groups (RFC 7644 §3.4.2.2)."""
    return eq_filter("displayName", name)
