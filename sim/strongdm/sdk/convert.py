"""Stored users, service accounts, tokens, roles and attachments to and from the `v1` messages the `strongdm` wheel
ships.

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
from strongdm import constants
from strongdm import roles_pb2
from strongdm import tags_pb2

from sim.scim.schemas import ENTERPRISE_URN
from sim.strongdm.sdk.errors import BadRequestError

SUSPENDED = "suspended"
MAX_NAME = 255
# The longest token lifetime accepted (the product's limit is undocumented; this keeps expiry dates in range).
MAX_LIFETIME = dt.timedelta(days=3660)
# Every permission a token may carry: the SDK's own vocabulary (constants.py `Permission`).
PERMISSIONS = frozenset(value for name, value in vars(constants.Permission).items() if not name.startswith("_"))
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


def service_message(service: dict) -> accounts_pb2.Service:
    """A stored service account as `v1.Service`."""
    return accounts_pb2.Service(id=service["id"], name=service["name"], suspended=bool(service.get("suspended")),
                                tags=tags_message(service.get("tags")), created_at=timestamp(service.get("created_at")))


def token_message(key: dict, every_scope: tuple[str, ...]) -> accounts_pb2.Token:
    """A stored API key or admin token as `v1.Token`; a key with every scope lists `every_scope`."""
    message = accounts_pb2.Token(id=key["id"], name=key["name"], account_type=key.get("account_type") or "api",
                                 permissions=every_scope if key.get("scopes") is None else key["scopes"],
                                 tags=tags_message(key.get("tags")), created_at=timestamp(key.get("created_at")))
    if key.get("expires_at"):
        message.deadline.CopyFrom(timestamp(key["expires_at"]))
        message.duration.FromTimedelta(message.deadline.ToDatetime() - message.created_at.ToDatetime())
    return message


def account_message(account: dict, every_scope: tuple[str, ...] = ()) -> accounts_pb2.Account:
    """A stored account as the `v1.Account` oneof (`kind` "service" or "token"; a user has none)."""
    kind = account.get("kind", "user")
    if kind == "service":
        return accounts_pb2.Account(service=service_message(account))
    if kind == "token":
        return accounts_pb2.Account(token=token_message(account, every_scope))
    return accounts_pb2.Account(user=user_message(account))


def role_message(role: dict) -> roles_pb2.Role:
    """A stored role as `v1.Role` (no access rules are simulated: `[]`)."""
    return roles_pb2.Role(id=role["id"], name=role["name"], managed_by=role.get("managed_by") or "",
                          tags=tags_message(role.get("tags")), access_rules=json.dumps(role.get("access_rules", [])))


def attachment_message(attachment: dict) -> account_attachments_pb2.AccountAttachment:
    """A stored attachment as `v1.AccountAttachment`."""
    return account_attachments_pb2.AccountAttachment(id=attachment["id"], account_id=attachment["account_id"],
                                                     role_id=attachment["role_id"])


def account_kind(message: accounts_pb2.Account) -> str:
    """Which account a `v1.Account` holds (user, service or token); BadRequestError for an empty one."""
    kind = message.WhichOneof("account")
    if kind is None:
        raise BadRequestError("account cannot be empty: set a user, a service or a token")
    return kind


def checked_account_name(name: str) -> str:
    """A service's or token's name, stripped; BadRequestError if blank, too long or holding a NUL."""
    name = name.strip()
    if not name:
        raise BadRequestError("name cannot be blank")
    if len(name) > MAX_NAME or "\x00" in name:
        raise BadRequestError(f"name must be at most {MAX_NAME} characters and contain no NUL")
    return name


def service_fields(message: accounts_pb2.Account) -> dict:
    """The writable fields of a `v1.Account` holding a service."""
    service = message.service
    return {"name": checked_account_name(service.name), "suspended": service.suspended,
            "tags": tags_dict(service.tags)}


def token_fields(message: accounts_pb2.Account) -> dict:
    """The writable fields of a `v1.Account` holding a token: name, account_type, permissions, tags, lifetime."""
    token = message.token
    if token.duration.seconds < 0 or token.duration.nanos < 0:
        raise BadRequestError("duration must not be negative")
    if token.duration.seconds > MAX_LIFETIME.total_seconds():
        raise BadRequestError(f"duration must be at most {MAX_LIFETIME.days} days")
    lifetime = token.duration.ToTimedelta() or None
    deadline = None
    if lifetime is None and (token.deadline.seconds or token.deadline.nanos):  # a deadline instead of a duration
        try:
            deadline = token.deadline.ToDatetime(tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (OverflowError, ValueError):
            raise BadRequestError("deadline is out of range") from None
    return {"name": checked_account_name(token.name), "account_type": token.account_type or "api",
            "scopes": list(token.permissions), "tags": tags_dict(token.tags), "lifetime": lifetime,
            "deadline": deadline}


def user_fields(message: accounts_pb2.Account) -> dict:
    """The writable fields of a `v1.Account` that must be a user; raises BadRequestError otherwise."""
    kind = account_kind(message)
    if kind != "user":
        raise BadRequestError(f"expected a user account, not a {kind}")
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
