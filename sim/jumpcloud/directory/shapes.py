"""Wire shapes of systemusers, user groups and applications, and validation of client input (pure, no I/O).

Unknown input fields are ignored and read-only ones (`_id`, `created`, `organization`, `activated`, …)
are dropped, as a schema-validating API would; wrong types and over-long strings are a 400.
"""

import re

from sim.jumpcloud.directory.member_query import clean_membership
from sim.jumpcloud.errors import BadRequestError

STATES = ("STAGED", "ACTIVATED", "SUSPENDED")
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LEN = 1024  # "Max lengths are mostly 1024" (v1 spec, systemuserput)

USER_STRINGS = frozenset({
    "username", "email", "firstname", "middlename", "lastname", "displayname", "department", "jobTitle",
    "employeeIdentifier", "employeeType", "company", "costCenter", "location", "description",
    "alternateEmail", "managedAppleId", "public_key", "external_dn", "external_source_type",
    "creationSource", "manager", "password",
})
USER_BOOLEANS = frozenset({
    "account_locked", "password_never_expires", "enable_user_portal_multifactor", "sudo",
    "passwordless_sudo", "allow_public_key", "enable_managed_uid", "samba_service_user",
    "ldap_binding_user", "externally_managed", "suspended", "activated", "password_expired", "totp_enabled",
    "disableDeviceMaxLoginAttempts",
})
USER_INTEGERS = frozenset({"unix_uid", "unix_guid", "badLoginAttempts"})
USER_LISTS = frozenset({"phoneNumbers", "addresses", "attributes", "relationships", "tags", "ssh_keys"})
USER_OBJECTS = frozenset({"recoveryEmail", "mfa"})
# Accepted on create/update by the real API; everything else the server owns.
USER_WRITABLE = (USER_STRINGS | USER_BOOLEANS | USER_INTEGERS | USER_LISTS | USER_OBJECTS | {"state"}) - {
    "activated", "password_expired", "totp_enabled", "badLoginAttempts",
}
NULLABLE = frozenset({"manager", "employeeIdentifier", "alternateEmail", "recoveryEmail"})
# `systemuserreturn` types these as string, object or integer (no null): an unset one is left out of the answer.
UNSET_OMITTED = frozenset({"manager", "employeeIdentifier", "alternateEmail", "recoveryEmail", "unix_uid", "unix_guid"})
# The spec's one `delegatedAuthority.name`; any other authority is `null`.
DELEGATED_AUTHORITY = "ActiveDirectory"
# `application.color` and `logo.color`: the enum of the console spec's `application` schema.
APP_COLORS = ("", "#202D38", "#005466", "#3E8696", "#006CAC", "#0617AC", "#7C6ADA", "#D5779D", "#9E2F00", "#FFB000",
              "#58C469", "#57C49F", "#FF6C03")


def user_defaults() -> dict:
    """Every `systemuserreturn` field with the value a new user gets (v1 spec)."""
    return {
        "_id": None, "username": None, "email": None,
        "firstname": "", "middlename": "", "lastname": "", "displayname": "",
        "state": "ACTIVATED", "activated": True, "suspended": False,
        "account_locked": False, "account_locked_date": None, "badLoginAttempts": 0,
        "disableDeviceMaxLoginAttempts": False,
        "password_expired": False, "password_expiration_date": None, "password_never_expires": False,
        "password_date": None,
        "department": "", "jobTitle": "", "employeeIdentifier": None, "employeeType": "", "company": "",
        "costCenter": "", "location": "", "description": "", "manager": None,
        "alternateEmail": None, "recoveryEmail": None, "managedAppleId": "",
        "phoneNumbers": [], "addresses": [], "attributes": [], "relationships": [], "tags": [],
        "mfa": {"configured": False, "exclusion": False, "exclusionDays": 0},
        "mfaEnrollment": {"overallStatus": "NOT_ENROLLED", "pushStatus": "NOT_ENROLLED",
                          "totpStatus": "NOT_ENROLLED", "webAuthnStatus": "NOT_ENROLLED"},
        "totp_enabled": False, "enable_user_portal_multifactor": False,
        "sudo": False, "passwordless_sudo": False, "allow_public_key": True, "public_key": "", "ssh_keys": [],
        "unix_uid": None, "unix_guid": None, "enable_managed_uid": False, "samba_service_user": False,
        "ldap_binding_user": False, "external_dn": "", "external_source_type": "", "externally_managed": False,
        "creationSource": "jumpcloud:api", "created": None, "organization": None,
        "restrictedFields": [], "delegatedAuthority": None, "admin": None,
    }


def systemuser_wire(doc: dict) -> dict:
    """A stored user as `systemuserreturn` answers it (console spec, TheJumpCloud/jumpcloud-docs-public
    docs/new/console/index.yaml): unset non-nullable fields left out, `mfa.exclusionDays` only when at least 1,
    `delegatedAuthority` null unless it is ActiveDirectory."""
    out = {k: v for k, v in doc.items() if not (v is None and k in UNSET_OMITTED)}
    authority = out.get("delegatedAuthority")
    if isinstance(authority, dict) and authority.get("name") != DELEGATED_AUTHORITY:
        out["delegatedAuthority"] = None
    mfa = out.get("mfa")
    if isinstance(mfa, dict) and not (isinstance(mfa.get("exclusionDays"), int) and mfa["exclusionDays"] >= 1):
        out["mfa"] = {k: v for k, v in mfa.items() if k != "exclusionDays"}
    return out


def state_flags(state: str, previous: dict | None = None) -> dict:
    """`activated`/`suspended` consistent with `state` (a suspended user keeps its activation)."""
    if state == "STAGED":
        return {"state": state, "activated": False, "suspended": False}
    if state == "ACTIVATED":
        return {"state": state, "activated": True, "suspended": False}
    return {"state": state, "suspended": True, "activated": bool((previous or {}).get("activated", True))}


def require_object(body) -> dict:
    """The request body must be a JSON object."""
    if not isinstance(body, dict):
        raise BadRequestError("request body must be a JSON object")
    return body


def _check_string(name: str, value, limit: int = MAX_LEN) -> None:
    if not isinstance(value, str):
        raise BadRequestError(f"{name} must be a string", details=[{"field": name}])
    if len(value) > limit:
        raise BadRequestError(f"{name} must be at most {limit} characters", details=[{"field": name}])
    if any(ord(c) < 32 for c in value):
        raise BadRequestError(f"{name} must not contain control characters", details=[{"field": name}])


def _check_items(name: str, value) -> list:
    if not isinstance(value, list):
        raise BadRequestError(f"{name} must be an array", details=[{"field": name}])
    if name == "tags":
        for item in value:
            _check_string(name, item)
        return list(value)
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise BadRequestError(f"{name} items must be objects", details=[{"field": name}])
        for key, v in item.items():
            if v is not None and not isinstance(v, str | bool | int | float):
                raise BadRequestError(f"{name}.{key} must be a scalar", details=[{"field": name}])
            if isinstance(v, str):
                _check_string(f"{name}.{key}", v)
        out.append(dict(item))
    return out


def clean_user_input(body, *, create: bool) -> dict:
    """Validate a systemuser POST/PUT body into the writable fields it sets (400 on bad input)."""
    body = require_object(body)
    out = {}
    for name, value in body.items():
        if name not in USER_WRITABLE:
            continue  # unknown or server-owned: ignored, never stored
        if value is None and name in NULLABLE:
            out[name] = None
        elif name == "state":
            allowed = STATES if create else ("ACTIVATED", "SUSPENDED")  # PUT's enum has no STAGED
            if value not in allowed:
                raise BadRequestError(f"state must be one of {', '.join(allowed)}", details=[{"field": "state"}])
            out[name] = value
        elif name in USER_STRINGS:
            _check_string(name, value, 256 if name == "employeeIdentifier" else MAX_LEN)
            out[name] = value
        elif name in USER_BOOLEANS:
            if not isinstance(value, bool):
                raise BadRequestError(f"{name} must be a boolean", details=[{"field": name}])
            out[name] = value
        elif name in USER_INTEGERS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise BadRequestError(f"{name} must be a non-negative integer", details=[{"field": name}])
            out[name] = value
        elif name in USER_LISTS:
            out[name] = _check_items(name, value)
        elif name in USER_OBJECTS:
            if not isinstance(value, dict):
                raise BadRequestError(f"{name} must be an object", details=[{"field": name}])
            out[name] = dict(value)
    for name in ("username", "email"):
        if create and not out.get(name):
            raise BadRequestError(f"{name} is required", details=[{"field": name}])
        if name in out and not out[name]:
            raise BadRequestError(f"{name} must not be empty", details=[{"field": name}])
    if "username" in out and re.search(r"\s", out["username"]):
        raise BadRequestError("username must not contain whitespace", details=[{"field": "username"}])
    if "email" in out and not EMAIL.match(out["email"]):
        raise BadRequestError("email must be a valid email address", details=[{"field": "email"}])
    if out.get("manager") is not None and not OBJECT_ID.match(out["manager"]):
        raise BadRequestError("manager must be a systemuser id", details=[{"field": "manager"}])
    if out.get("employeeIdentifier") == "":
        out["employeeIdentifier"] = None
    return out


GROUP_WRITABLE = ("name", "description", "email", "attributes", "membershipMethod", "memberQuery",
                  "memberQueryExemptions", "memberSuggestionsNotify")


def group_defaults() -> dict:
    """A v2 `UserGroup` with every field at its default (STATIC membership)."""
    return {
        "id": None, "name": None, "type": "user_group", "description": "", "email": "",
        "attributes": None, "membershipMethod": "STATIC", "memberQuery": None, "memberQueryExemptions": [],
        # Queries are checked when written, so none is ever in error (the spec's flags name broken ones).
        "memberQueryErrorFlags": [],
        "memberSuggestionsNotify": False, "suggestionCounts": {"add": 0, "remove": 0, "total": 0},
        "organizationObjectId": None,
    }


def clean_group_input(body) -> dict:
    """Validate a user group POST/PUT body (`name` required on both: PUT is a full replace)."""
    body = require_object(body)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BadRequestError("name is required", details=[{"field": "name"}])
    out = {}
    for key in GROUP_WRITABLE:
        if key not in body or body[key] is None:
            continue
        value = body[key]
        if key in ("name", "description", "email"):
            _check_string(key, value, 256 if key == "name" else MAX_LEN)
        elif key == "attributes" and not isinstance(value, dict):
            raise BadRequestError("attributes must be an object", details=[{"field": key}])
        elif key in ("membershipMethod", "memberQuery", "memberQueryExemptions"):
            continue  # checked together below (a dynamic method needs its query)
        elif key == "memberSuggestionsNotify" and not isinstance(value, bool):
            raise BadRequestError("memberSuggestionsNotify must be a boolean", details=[{"field": key}])
        out[key] = value
    out.update(clean_membership(body, object_id=OBJECT_ID))
    out["name"] = name.strip()
    return out


APP_WRITABLE = ("name", "displayName", "displayLabel", "description", "ssoUrl", "learnMore", "config",
                "active", "beta", "color", "logo", "sso", "databaseAttributes")


def app_defaults() -> dict:
    """A v1 `application` with every field at its default."""
    return {
        "_id": None, "name": None, "displayName": "", "displayLabel": "", "description": "", "ssoUrl": "",
        "learnMore": "", "config": {}, "active": True, "beta": False, "color": "", "logo": {"url": "", "color": ""},
        "sso": {"type": "saml"}, "databaseAttributes": [], "aiReady": False,
        "created": None, "organization": None,
    }


def application_wire(doc: dict) -> dict:
    """A stored application as the console spec's `application` answers it: `parentApp` (a string) only when
    set, and colors from the spec's enum (an app stored before the enum was enforced answers "")."""
    out = {k: v for k, v in doc.items() if not (k == "parentApp" and v is None)}
    if out.get("color") not in APP_COLORS:
        out["color"] = ""
    logo = out.get("logo")
    if isinstance(logo, dict) and logo.get("color") not in APP_COLORS:
        out["logo"] = {**logo, "color": ""}
    return out


def clean_app_input(body, *, create: bool) -> dict:
    """Validate an application POST/PUT body (create requires `name`, `ssoUrl`, `config`)."""
    body = require_object(body)
    out = {}
    for key in APP_WRITABLE:
        if key not in body:
            continue
        value = body[key]
        if key in ("config", "logo", "sso"):
            if not isinstance(value, dict):
                raise BadRequestError(f"{key} must be an object", details=[{"field": key}])
            if key == "logo" and value.get("color", "") not in APP_COLORS:
                raise BadRequestError("logo.color must be one of the application colors", details=[{"field": key}])
        elif key in ("active", "beta"):
            if not isinstance(value, bool):
                raise BadRequestError(f"{key} must be a boolean", details=[{"field": key}])
        elif key == "databaseAttributes":
            if not isinstance(value, list):
                raise BadRequestError(f"{key} must be an array", details=[{"field": key}])
        elif key == "color":
            if value not in APP_COLORS:
                raise BadRequestError(f"color must be one of: {', '.join(repr(c) for c in APP_COLORS)}",
                                      details=[{"field": key}])
        else:
            _check_string(key, value)
        out[key] = value
    if create:
        for key in ("name", "ssoUrl", "config"):
            if key not in out or out[key] in ("", None):
                raise BadRequestError(f"{key} is required", details=[{"field": key}])
    if "name" in out and not out["name"]:
        raise BadRequestError("name must not be empty", details=[{"field": "name"}])
    return out
