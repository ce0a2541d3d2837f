"""JumpCloud user/group -> SCIM 2.0 payloads: the one place the pusher's wire names are built (pure).

Shapes follow the real JumpCloud samples in tests/data (sanitized captures from ShiftControl-io/scim-v2-rust,
`src/test_data/provider_samples/jumpcloud_*.json`): `userName` = email,
`externalId` = the JumpCloud `_id`, one primary work email, `name{givenName,familyName}`,
`title` <- jobTitle, enterprise `department`, one work phone and one work address, `en-US` locale.
"""

import hashlib

from sim.scim.schemas import ENTERPRISE_URN
from sim.scim.schemas import GROUP_URN
from sim.scim.schemas import USER_URN
from sim.store import dumps

LOCALE = "en-US"
ADDRESS_KEYS = ("country", "locality", "postalCode", "region", "streetAddress")
# Test user of the connection test: StrongDM (and AWS) refuse users without both names.
TEST_USER_NAME = {"givenName": "JumpCloud", "familyName": "Test User"}


def _work(items, key: str = "type") -> dict | None:
    """The first `type: work` entry of a JumpCloud list (phoneNumbers, addresses), else None."""
    for item in items or []:
        if isinstance(item, dict) and item.get(key) == "work":
            return item
    return None


def work_phone(user: dict) -> list[dict]:
    """JumpCloud syncs one phone, the work one (AWS's JumpCloud notes); `[]` when unset, as the PUT sample."""
    phone = _work(user.get("phoneNumbers"))
    if not phone or not phone.get("number"):
        return []
    return [{"primary": True, "type": "work", "value": phone["number"]}]


def work_address(user: dict) -> list[dict]:
    """The work address with the sample's keys, `primary: true`; `[]` when unset."""
    address = _work(user.get("addresses"))
    if not address:
        return []
    out = {k: address[k] for k in ADDRESS_KEYS if address.get(k)}
    if not out:
        return []
    return [{**out, "primary": True, "type": "work"}]


LOCALE_ATTRIBUTES = ("locale", "timezone", "preferredLanguage")


def locale_fields(user: dict) -> dict:
    """`locale`, `timezone`, `preferredLanguage` (RFC 7643 §4.1.1) from same-named custom attributes; en-US default.

    Assumed: JumpCloud's connector sends en-US by default; mapping custom attributes onto these is how an admin
    would carry an office's language and zone (JumpCloud "custom attribute mapping" for SCIM connectors).
    """
    custom = {a.get("name"): a.get("value") for a in user.get("attributes") or [] if isinstance(a, dict)}
    out = {"locale": LOCALE, "preferredLanguage": LOCALE}
    out.update({k: custom[k] for k in LOCALE_ATTRIBUTES if isinstance(custom.get(k), str) and custom[k]})
    return out


def user_resource(user: dict, scim_id: str | None = None, *, active: bool = True) -> dict:
    """A JumpCloud systemuser as the SCIM User JumpCloud sends (POST without `id`, PUT with it)."""
    body = {
        "schemas": [USER_URN, ENTERPRISE_URN],
        "userName": user["email"],
        "externalId": user["_id"],
        "active": active,
        "name": {"familyName": user.get("lastname") or "", "givenName": user.get("firstname") or ""},
        "emails": [{"primary": True, "type": "work", "value": user["email"]}],
        "phoneNumbers": work_phone(user),
        "addresses": work_address(user),
        **locale_fields(user),
    }
    # Empty strings are left out rather than sent as "": the samples only carry attributes that are set.
    if user.get("displayname"):
        body["displayName"] = user["displayname"]
    if user.get("jobTitle"):
        body["title"] = user["jobTitle"]
    if user.get("department"):
        body[ENTERPRISE_URN] = {"department": user["department"]}
    if scim_id is not None:
        body["id"] = scim_id
    return body


def test_user_resource(email: str) -> dict:
    """The connection test's user, from the admin's Test User Email."""
    return {
        "schemas": [USER_URN],
        "userName": email,
        "active": True,
        "name": dict(TEST_USER_NAME),
        "emails": [{"primary": True, "type": "work", "value": email}],
        "locale": LOCALE,
        "preferredLanguage": LOCALE,
    }


def deactivated(payload: dict) -> dict:
    """The same resource with `active: false` (a full-PUT deprovision)."""
    return {**payload, "active": False}


def group_resource(name: str) -> dict:
    """POST /Groups body: `name` -> `displayName`; members follow by PATCH (see pusher docs)."""
    return {"schemas": [GROUP_URN], "displayName": name}


def member_operations(add: list[str], remove: list[str]) -> list[dict]:
    """JumpCloud's membership ops: `path: members`, a bare value list, no filter (Paul-E/scim-v2-rust fixtures)."""
    ops = []
    if add:
        ops.append({"op": "add", "path": "members", "value": [{"value": i} for i in add]})
    if remove:
        ops.append({"op": "remove", "path": "members", "value": [{"value": i} for i in remove]})
    return ops


def rename_operations(name: str) -> list[dict]:
    """A group rename: `replace displayName` (renames are supported, how is undocumented: "Group Management")."""
    # "Group Management Considerations" of JumpCloud's connector articles: https://jumpcloud.com/wp-json/wp/v2/support/85119
    return [{"op": "replace", "path": "displayName", "value": name}]


def active_operations(active: bool) -> list[dict]:
    """Per-attribute PATCH of `active` with a scalar boolean, as the Paul-E fixture shows."""
    return [{"op": "replace", "path": "active", "value": active}]


def _flatten(payload: dict) -> dict:
    """Attribute paths of a user payload: sub-attributes of `name` and the extension get their own path."""
    out = {}
    for key, value in payload.items():
        if key in ("id", "schemas"):
            continue
        if key == "name" and isinstance(value, dict):
            out.update({f"name.{k}": v for k, v in value.items()})
        elif key == ENTERPRISE_URN and isinstance(value, dict):
            # RFC 7644 §3.10: an extension attribute's path is "<schema URN>:<attribute>".
            out.update({f"{ENTERPRISE_URN}:{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def user_operations(before: dict | None, after: dict) -> list[dict]:
    """One PATCH op per changed attribute path (`replace` or `remove`), JumpCloud's per-attribute mode."""
    old = _flatten(before or {})
    new = _flatten(after)
    ops = []
    for path in sorted(set(old) | set(new)):
        if path not in new:
            ops.append({"op": "remove", "path": path})
        elif old.get(path) != new[path] or path not in old:
            ops.append({"op": "replace", "path": path, "value": new[path]})
    return ops


def payload_hash(payload: dict) -> str:
    """A stable digest of what was sent (the SP's `id` excluded), to skip pushes that change nothing."""
    body = {k: v for k, v in payload.items() if k != "id"}
    return hashlib.sha256(dumps(body).encode("utf-8", "surrogatepass")).hexdigest()


def import_user(resource: dict) -> dict:
    """A service provider's SCIM User as the spec's `importUser` (the reverse of the push mapping above).

    `username` is the local part of `userName` when it is an email (JumpCloud usernames take no `@` in the
    Console's import preview: assumed), `email` the primary email, else `userName`; `alternateEmail` the next
    email, `attributes` the locale, timezone and preferredLanguage the push sends.
    """
    name = resource.get("name") if isinstance(resource.get("name"), dict) else {}
    emails = [e for e in resource.get("emails") or [] if isinstance(e, dict) and isinstance(e.get("value"), str)]
    primary = next((e["value"] for e in emails if e.get("primary")), emails[0]["value"] if emails else None)
    user_name = resource.get("userName") if isinstance(resource.get("userName"), str) else ""
    enterprise = resource.get(ENTERPRISE_URN) if isinstance(resource.get(ENTERPRISE_URN), dict) else {}
    out = {"id": resource.get("id") if isinstance(resource.get("id"), str) else "",
           "email": (primary or user_name).lower(), "username": user_name.split("@")[0] if user_name else "",
           "firstname": name.get("givenName") or "", "lastname": name.get("familyName") or "",
           "middlename": name.get("middleName") or "", "displayname": resource.get("displayName") or "",
           "jobTitle": resource.get("title") or "", "department": enterprise.get("department") or "",
           "costCenter": enterprise.get("costCenter") or "", "company": enterprise.get("organization") or "",
           "employeeIdentifier": enterprise.get("employeeNumber") or "", "employeeType": resource.get("userType") or ""}
    out = {k: v if isinstance(v, str) else "" for k, v in out.items()}
    # The SCIM User has no manager JumpCloud could resolve, nor a location: both stay empty (assumed).
    secondary = [e["value"] for e in emails if e["value"] != primary]
    out.update(manager="", location="", alternateEmail=secondary[0] if secondary else "",
               addresses=import_items(resource.get("addresses"), IMPORT_ADDRESS),
               phoneNumbers=import_items(resource.get("phoneNumbers"), ("type", "value")),
               attributes=[{"name": k, "value": resource[k]} for k in LOCALE_ATTRIBUTES
                           if isinstance(resource.get(k), str) and resource[k]])
    return out


IMPORT_ADDRESS = ("type", "streetAddress", "locality", "region", "postalCode", "country")  # importUserAddress


def import_items(items, keys: tuple) -> list[dict]:
    """SCIM multi-valued attributes (RFC 7643 §2.4) as the spec's importUser lists: `keys`, strings only."""
    if not isinstance(items, list):
        return []
    return [{k: item[k] if isinstance(item.get(k), str) else "" for k in keys} for item in items[:20]
            if isinstance(item, dict)]
