"""SCIM Users as StrongDM users: validation, representation, create/replace/patch/delete, listing."""

import copy

from sim.scim.errors import BadRequestError
from sim.scim.errors import InvalidValueError
from sim.scim.errors import ScimError
from sim.scim.errors import UniquenessError
from sim.scim.patch.apply import apply_patch
from sim.scim.query import ListQuery
from sim.scim.schemas import ENTERPRISE_URN
from sim.scim.schemas import USER_URN
from sim.strongdm.accounts import Accounts
from sim.strongdm.accounts.sets import MemberSet
from sim.strongdm.admins import is_native_admin
from sim.strongdm.receiver.common import Call
from sim.strongdm.receiver.common import Collection
from sim.strongdm.receiver.common import Profile
from sim.strongdm.receiver.common import check_if_match
from sim.strongdm.receiver.common import copy_json
from sim.strongdm.receiver.common import etag
from sim.strongdm.receiver.common import list_resources
from sim.strongdm.receiver.common import require_object

# Attributes the server computes; what a client sends for them is not stored as given.
SERVER_OWNED = {"id", "meta", "groups", "password", "schemas"}
_TRUTHY = {"true": True, "false": False}


def _coerce_bool(value, name: str, call: Call):
    if isinstance(value, bool):
        return value
    if call.dialect == "azure" and isinstance(value, str) and value.lower() in _TRUTHY:
        return _TRUTHY[value.lower()]
    raise InvalidValueError(f"Attribute '{name}' must be a boolean.")


class NativeAdministratorError(ScimError):
    """SCIM may not delete a native Administrator (assumed 409, see README's "What is simulated")."""

    status = 409


def refuse_native_admin(user: dict, *, deleting: bool = False) -> None:
    """SCIM does not silently take over, change or delete a native Administrator: a 409 saying why.

    A take-over (PUT or PATCH, JumpCloud's answer to a matching userName) is a uniqueness conflict: the
    userName is taken by someone SCIM does not manage. StrongDM documents no such case; assumed.
    """
    if not is_native_admin(user):
        return
    action = "delete it" if deleting else "take it over"
    detail = (f"{user['email']} belongs to a native StrongDM Administrator; SCIM may not {action}. "
              "Change the Administrator's email or permission level in StrongDM first.")
    raise (NativeAdministratorError if deleting else UniquenessError)(detail)


def refuse_other_identity(current: dict, fields: dict, call: Call) -> None:
    """One account per IdP user: an account provisioned for one externalId is not handed to another.

    Otherwise two IdP users whose userNames compare equal would share one account, and suspending one would
    cut the other's access. Entra's default mapping makes externalId the mutable mailNickname, so its path
    may change it. Assumed (StrongDM documents no such check).
    """
    had, wanted = current.get("external_id"), fields.get("external_id")
    if call.dialect == "azure" or not had or not wanted or had == wanted:
        return
    raise UniquenessError(f"{current['email']} is provisioned for externalId {had!r}; it is not taken over for "
                          f"externalId {wanted!r} (one account per identity-provider user).")


def _verb(creating: bool) -> str:
    return "could not create user: cannot create user" if creating else "could not update user: cannot update user"


def user_fields(body: dict, call: Call, *, creating: bool) -> dict:
    """Turn a SCIM User body into StrongDM user fields (email from userName, names, suspension, raw SCIM)."""
    body = require_object(body)
    schemas = body.get("schemas")
    if schemas is not None and (not isinstance(schemas, list) or not all(isinstance(s, str) for s in schemas)):
        raise InvalidValueError("schemas must be a list of schema URNs.")
    user_name = body.get("userName")
    if user_name is not None and not isinstance(user_name, str):
        raise InvalidValueError("Attribute 'userName' must be a string.")
    if not user_name or not user_name.strip():
        raise BadRequestError(f"{_verb(creating)}: invalid operation: email cannot be blank")
    if len(user_name) > 255 or "\x00" in user_name:
        raise InvalidValueError("userName must be at most 255 characters and contain no NUL.")
    name = body.get("name")
    if name is not None and not isinstance(name, dict):
        raise InvalidValueError("Attribute 'name' must be an object.")
    name = name or {}
    given, family = name.get("givenName"), name.get("familyName")
    for label, value in (("first name", given), ("last name", family)):
        if value is not None and not isinstance(value, str):
            raise InvalidValueError(f"Attribute 'name' has a {label} that is not a string.")
        if not value or not value.strip():
            raise BadRequestError(f"{_verb(creating)}: invalid operation: {label} cannot be blank")
    active = _coerce_bool(body["active"], "active", call) if body.get("active") is not None else True
    external_id = body.get("externalId")
    if external_id is not None and not isinstance(external_id, str):
        raise InvalidValueError("Attribute 'externalId' must be a string.")
    raw = {k: copy.deepcopy(v) for k, v in body.items() if k not in SERVER_OWNED}
    raw["active"] = active
    return {
        "email": user_name.strip(),
        "first_name": given.strip(),
        "last_name": family.strip(),
        "suspended": not active,
        "external_id": external_id,
        "scim": raw,
    }


def patched_raw(raw: dict, before: dict, after: dict) -> dict:
    """The stored SCIM payload with only what the PATCH changed, so computed attributes do not leak in."""
    raw = copy.deepcopy(raw)
    for key in set(before) | set(after):
        if key in SERVER_OWNED or before.get(key) == after.get(key):
            continue
        if key in after:
            raw[key] = copy.deepcopy(after[key])
        else:
            raw.pop(key, None)
    return raw


class ScimUsers:
    """The /Users endpoints over StrongDM accounts."""

    def __init__(self, accounts: Accounts, profile: Profile, sets: MemberSet | None = None):
        self.accounts = accounts
        self.profile = profile
        self.sets = sets or accounts.role_set  # what `groups` lists: roles, or groups in the groups org model

    def to_scim(self, user: dict, call: Call, groups: list[dict] | None = None) -> dict:
        """A StrongDM user as a SCIM User, in StrongDM's documented shape plus the stored attributes.

        `groups` are the user's sets when the caller has them already (a page read at once)."""
        raw = copy_json(user.get("scim") or {})
        resource = {k: v for k, v in raw.items() if k not in SERVER_OWNED}
        given, family = user["first_name"], user["last_name"]
        name = dict(raw.get("name") or {}) if isinstance(raw.get("name"), dict) else {}
        # formatted is "<given> <family>" as StrongDM documents, unless the client sent its own.
        name.update({"givenName": given, "familyName": family,
                     "formatted": name.get("formatted") or f"{given} {family}"})
        schemas = [USER_URN] + ([ENTERPRISE_URN] if isinstance(raw.get(ENTERPRISE_URN), dict) else [])
        location = f"Users/{user['id']}"
        meta = {"resourceType": "User", "location": location}
        if self.profile.rfc:
            meta.update({"location": f"{call.base_url}/{location}", "created": user["created_at"],
                         "lastModified": user["updated_at"], "version": etag(user)})
            ref_base = f"{call.base_url}/"
        else:
            # StrongDM computes these three whatever the client sent.
            resource.update({"displayName": f"{given} {family}", "emails": [{"primary": True, "value": user["email"]}],
                             "userType": "user"})
            ref_base = ""
        resource.update({
            "schemas": schemas,
            "id": user["id"],
            "userName": user["email"],
            "name": name,
            "groups": [{"value": r["id"], "display": r["name"], "$ref": f"{ref_base}Groups/{r['id']}"}
                       for r in (self.sets.sets_of(user["id"]) if groups is None else groups)],
            "active": not user["suspended"],
            "meta": meta,
        })
        if user.get("external_id") is not None:
            resource["externalId"] = user["external_id"]
        return resource

    def get(self, user_id: str, call: Call) -> dict:
        """GET /Users/{id}."""
        return self.to_scim(self.accounts.get_user(user_id), call)

    def create(self, body: dict, call: Call) -> dict:
        """POST /Users: a new StrongDM user managed by the provider (201)."""
        fields = user_fields(body, call, creating=True)
        fields["managed_by"] = call.provider
        try:
            user = self.accounts.create_user(fields, actor=call.actor)
        except UniquenessError:
            taken = self.accounts.find_user_by_email(fields["email"])
            if taken is not None:
                refuse_native_admin(taken)
            raise
        return self.to_scim(user, call)

    def replace(self, user_id: str, body: dict, call: Call) -> dict:
        """PUT /Users/{id}: replace the user's attributes (an `id` in the body is ignored)."""
        with self.accounts.store.write():  # read, If-Match check and write as one: no lost update
            return self._replace(user_id, body, call)

    def _replace(self, user_id: str, body: dict, call: Call) -> dict:
        current = self.accounts.get_user(user_id)
        check_if_match(current, call, self.profile)
        refuse_native_admin(current)
        fields = user_fields(body, call, creating=False)
        refuse_other_identity(current, fields, call)
        updated = {**current, **fields, "managed_by": call.provider}
        return self.to_scim(self.accounts.update_user(updated, actor=call.actor), call)

    def patch(self, user_id: str, body: dict, call: Call) -> dict | None:
        """PATCH /Users/{id}: apply the PatchOp; None when nothing changed (StrongDM answers 204)."""
        with self.accounts.store.write():  # read, If-Match check and write as one: no lost update
            return self._patch(user_id, body, call)

    def _patch(self, user_id: str, body: dict, call: Call) -> dict | None:
        current = self.accounts.get_user(user_id)
        check_if_match(current, call, self.profile)
        refuse_native_admin(current)
        before = self.to_scim(current, call)
        after = apply_patch(before, require_object(body), "User", dialect=call.dialect)
        fields = user_fields(after, call, creating=False)
        refuse_other_identity(current, fields, call)
        fields["scim"] = patched_raw(current.get("scim") or {}, before, after)
        fields["scim"]["active"] = not fields["suspended"]
        if not self.profile.rfc:
            # Computed in StrongDM: a patched displayName or emails do not stick (see README).
            for key in ("displayName", "emails", "userType"):
                fields["scim"].pop(key, None)
        updated = {**current, **fields, "managed_by": call.provider}
        comparable = ("email", "first_name", "last_name", "suspended", "external_id", "scim")
        if all(updated.get(k) == current.get(k) for k in comparable) and current.get("managed_by") == call.provider:
            return None
        return self.to_scim(self.accounts.update_user(updated, actor=call.actor), call)

    def delete(self, user_id: str, call: Call) -> None:
        """DELETE /Users/{id}: hard delete by default, or suspend when so configured."""
        with self.accounts.store.write():  # read, If-Match check and write as one: no lost update
            return self._delete(user_id, call)

    def _delete(self, user_id: str, call: Call) -> None:
        current = self.accounts.get_user(user_id)
        check_if_match(current, call, self.profile)
        refuse_native_admin(current, deleting=True)
        if self.profile.delete_mode == "suspend":
            if not current["suspended"]:
                self.accounts.update_user({**current, "suspended": True}, actor=call.actor)
            return
        self.accounts.delete_user(user_id, actor=call.actor)

    def page_to_scim(self, page: list[dict], call: Call) -> list[dict]:
        """SCIM Users for a page of users, all their groups read in one query (no query per user)."""
        groups = self.sets.sets_of_many([user["id"] for user in page])
        return [self.to_scim(user, call, groups[user["id"]]) for user in page]

    def list(self, query: ListQuery, call: Call) -> dict:
        """GET /Users and POST /Users/.search."""
        accounts = self.accounts
        return list_resources(Collection("User", "username", accounts.count_users, accounts.list_users,
                                         accounts.find_user_by_email, accounts.all_users,
                                         lambda page: self.page_to_scim(page, call)), query, self.profile)
