"""Stored users, roles and attachments to and from the `v1` messages the `strongdm` wheel ships.

The SDK reads a user's suspension from `suspendedRO` and its level from `permission_levelRW`
(strongdm/plumbing.py `convert_user_to_porcelain`); both old and new fields are filled so either reads
right. A suspended user shows permission level "suspended", which is also how the SDK suspends one
(strongdm-sdk-python-examples 2_managing_accounts/suspend_account.py).
"""

import datetime as dt
import json

from google.protobuf.timestamp_pb2 import Timestamp
from strongdm import account_attachments_pb2
from strongdm import accounts_pb2
from strongdm import roles_pb2
from strongdm import tags_pb2

from sim.scim.schemas import ENTERPRISE_URN
from sim.strongdm.sdk.errors import BadRequestError

SUSPENDED = "suspended"
# Levels an API caller may give a user (constants.py PermissionLevel, less token/relay kinds).
SETTABLE_LEVELS = ("admin", "database-admin", "database-operator", "multi-team-leader", "user", "auditor",
                   SUSPENDED)


def tags_message(tags: dict | None) -> tags_pb2.Tags:
    """A `v1.Tags` from a name → value dict (sorted, so reads are stable)."""
    message = tags_pb2.Tags()
    for name in sorted(tags or {}):
        message.pairs.add(name=name, value=str(tags[name]))
    return message


def tags_dict(message: tags_pb2.Tags) -> dict:
    """A name → value dict from `v1.Tags`."""
    return {pair.name: pair.value for pair in message.pairs}


def timestamp(iso_text: str | None) -> Timestamp:
    """A protobuf Timestamp from the store's ISO 8601 text (empty when unknown)."""
    stamp = Timestamp()
    if iso_text:
        stamp.FromDatetime(dt.datetime.fromisoformat(iso_text.replace("Z", "+00:00")).astimezone(dt.UTC)
                           .replace(tzinfo=None))
    return stamp


def user_message(user: dict) -> accounts_pb2.User:
    """A stored user as `v1.User`."""
    scim = user.get("scim") or {}
    enterprise = scim.get(ENTERPRISE_URN) if isinstance(scim.get(ENTERPRISE_URN), dict) else {}
    level = SUSPENDED if user.get("suspended") else (user.get("permission_level") or "user")
    return accounts_pb2.User(
        id=user["id"], email=user["email"], first_name=user.get("first_name") or "",
        last_name=user.get("last_name") or "", suspended=bool(user.get("suspended")),
        suspendedRO=bool(user.get("suspended")), permission_level=level, permission_levelRW=level,
        managed_by=user.get("managed_by") or "", external_id=user.get("external_id") or "",
        SCIM=json.dumps(scim, sort_keys=True) if scim else "", tags=tags_message(user.get("tags")),
        manager_id=user.get("manager_id") or "", resolved_manager_id=user.get("manager_id") or "",
        employee_number=str(user.get("employee_number") or enterprise.get("employeeNumber") or ""),
        created_at=timestamp(user.get("created_at")),
    )


def account_message(user: dict) -> accounts_pb2.Account:
    """A stored user as the `v1.Account` oneof."""
    return accounts_pb2.Account(user=user_message(user))


def role_message(role: dict) -> roles_pb2.Role:
    """A stored role as `v1.Role` (no access rules are simulated: `[]`)."""
    return roles_pb2.Role(id=role["id"], name=role["name"], managed_by=role.get("managed_by") or "",
                          tags=tags_message(role.get("tags")), access_rules=json.dumps(role.get("access_rules", [])))


def attachment_message(attachment: dict) -> account_attachments_pb2.AccountAttachment:
    """A stored attachment as `v1.AccountAttachment`."""
    return account_attachments_pb2.AccountAttachment(id=attachment["id"], account_id=attachment["account_id"],
                                                     role_id=attachment["role_id"])


def user_fields(message: accounts_pb2.Account) -> dict:
    """The writable fields of a `v1.Account` that must be a user; raises BadRequestError otherwise."""
    kind = message.WhichOneof("account")
    if kind != "user":
        raise BadRequestError(f"only user accounts can be managed here, not {kind or 'an empty account'}")
    user = message.user
    email = user.email.strip()
    if not email:
        raise BadRequestError("email cannot be blank")
    for label, value in (("first name", user.first_name), ("last name", user.last_name)):
        if not value.strip():
            raise BadRequestError(f"{label} cannot be blank")
    if len(email) > 255 or "\x00" in email + user.first_name + user.last_name:
        raise BadRequestError("email and names must be at most 255 characters and contain no NUL")
    # The SDK sends permission_levelRW; older callers may fill the plain field.
    level = user.permission_levelRW or user.permission_level or "user"
    if level not in SETTABLE_LEVELS:
        raise BadRequestError(f"invalid permission level {level!r}")
    fields = {"email": email, "first_name": user.first_name.strip(), "last_name": user.last_name.strip(),
              "tags": tags_dict(user.tags), "external_id": user.external_id or None,
              "manager_id": user.manager_id or None, "employee_number": user.employee_number or None}
    if level == SUSPENDED:
        fields["suspended"] = True
    else:
        fields.update(suspended=False, permission_level=level)
    return fields
