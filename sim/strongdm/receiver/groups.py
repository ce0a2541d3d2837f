"""SCIM Groups as StrongDM roles (legacy orgs: members are account attachments) or StrongDM Groups (orgs made on or
after 2 October 2025: members are account groups; StrongDM docs "changelog/groups-migration")."""

import copy

from sim.scim.errors import BadRequestError
from sim.scim.errors import InvalidValueError
from sim.scim.errors import NotFoundError
from sim.scim.filter import parse as scim_filter
from sim.scim.patch.apply import apply_patch
from sim.scim.query import ListQuery
from sim.scim.schemas import GROUP_URN
from sim.scim.schemas import PATCH_OP_URN
from sim.strongdm.accounts import Accounts
from sim.strongdm.accounts.sets import MemberSet
from sim.strongdm.receiver.common import Call
from sim.strongdm.receiver.common import Collection
from sim.strongdm.receiver.common import Profile
from sim.strongdm.receiver.common import check_if_match
from sim.strongdm.receiver.common import copy_json
from sim.strongdm.receiver.common import etag
from sim.strongdm.receiver.common import list_resources
from sim.strongdm.receiver.common import member_labels
from sim.strongdm.receiver.common import member_values
from sim.strongdm.receiver.common import require_object

SERVER_OWNED = {"id", "meta", "members", "schemas"}
_MEMBER_FILTER_PREFIX = "members[value eq "


def _name(body: dict, creating: bool) -> str:
    name = body.get("displayName")
    if name is not None and not isinstance(name, str):
        raise InvalidValueError("Attribute 'displayName' must be a string.")
    if not name or not name.strip():
        if creating:
            raise BadRequestError("could not create role: cannot create role: invalid operation: name cannot be empty")
        raise BadRequestError("could not update role name: cannot update role: invalid operation: name cannot be empty")
    if len(name) > 255 or "\x00" in name:
        raise InvalidValueError("displayName must be at most 255 characters and contain no NUL.")
    return name.strip()


def _external_id(body: dict):
    external_id = body.get("externalId")
    if external_id is not None and not isinstance(external_id, str):
        raise InvalidValueError("Attribute 'externalId' must be a string.")
    return external_id


def _member(user: dict, display: str | None, kind: str | None, ref_base: str) -> dict:
    """A member as returned: the display the client sent, else the user's email (what scimsdk sees)."""
    member = {"value": user["id"], "display": display or user["email"], "$ref": f"{ref_base}Users/{user['id']}"}
    if kind:
        member["type"] = kind
    return member


class ScimGroups:
    """The /Groups endpoints over one kind of StrongDM set: roles (`roles` org model) or groups (`groups`)."""

    def __init__(self, accounts: Accounts, profile: Profile, sets: MemberSet | None = None):
        self.accounts = accounts
        self.profile = profile
        self.sets = sets or accounts.role_set

    def to_scim(self, role: dict, call: Call, members: list | None = None) -> dict:
        """A role as a SCIM Group; member `display` is the user's email (as scimsdk's smoke test sees).

        `members` are the (user, display, type) rows when the caller has them already."""
        resource = {k: v for k, v in copy_json(role.get("scim") or {}).items() if k not in SERVER_OWNED}
        location = f"Groups/{role['id']}"
        meta = {"resourceType": "Group", "location": location}
        if self.profile.rfc:
            meta.update({"location": f"{call.base_url}/{location}", "created": role["created_at"],
                         "lastModified": role["updated_at"], "version": etag(role)})
        resource.update({
            "schemas": [GROUP_URN],
            "id": role["id"],
            "displayName": role["name"],
            "members": [_member(u, display, kind, f"{call.base_url}/" if self.profile.rfc else "")
                        for u, display, kind in (self.sets.members(role["id"]) if members is None else members)],
            "meta": meta,
        })
        if role.get("external_id") is not None:
            resource["externalId"] = role["external_id"]
        return resource

    def get(self, role_id: str, call: Call) -> dict:
        """GET /Groups/{id}."""
        return self.to_scim(self.sets.get(role_id), call)

    def create(self, body: dict, call: Call) -> dict:
        """POST /Groups: a role; well-formed but unknown member ids are ignored, as StrongDM does."""
        body = require_object(body)
        name = _name(body, creating=True)
        member_ids = member_values(body.get("members"))
        raw = {k: copy.deepcopy(v) for k, v in body.items() if k not in SERVER_OWNED}
        role = {"name": name, "managed_by": call.provider, "external_id": _external_id(body), "scim": raw}
        role = self.sets.create(role, member_ids, labels=member_labels(body.get("members")), actor=call.actor)
        return self.get(role["id"], call)

    def _known(self, member_ids: list[str]) -> list[str]:
        """The ids, if every one names a user (one query); else the first unknown one's 404."""
        found = self.accounts.users_by_ids(member_ids)
        for member_id in member_ids:
            if member_id not in found:
                raise NotFoundError.for_id(member_id)
        return member_ids

    def replace(self, role_id: str, body: dict, call: Call) -> dict:
        """PUT /Groups/{id}: new name and the full member list; unknown member ids are a 404."""
        with self.accounts.store.write():  # read, If-Match check and write as one: no lost update
            return self._replace(role_id, body, call)

    def _replace(self, role_id: str, body: dict, call: Call) -> dict:
        current = self.sets.get(role_id)
        check_if_match(current, call, self.profile)
        body = require_object(body)
        name = _name(body, creating=False)
        member_ids = self._known(member_values(body.get("members")))
        raw = {k: copy.deepcopy(v) for k, v in body.items() if k not in SERVER_OWNED}
        role = {**current, "name": name, "managed_by": call.provider, "external_id": _external_id(body), "scim": raw}
        self.sets.update(role, member_ids, labels=member_labels(body.get("members")), actor=call.actor)
        return self.get(role_id, call)

    def patch(self, role_id: str, body: dict, call: Call) -> dict | None:
        """PATCH /Groups/{id}: StrongDM's four shapes, JumpCloud's and the RFC's; None when nothing changed."""
        with self.accounts.store.write():  # read, If-Match check and write as one: no lost update
            return self._patch(role_id, body, call)

    def _patch(self, role_id: str, body: dict, call: Call) -> dict | None:
        current = self.sets.get(role_id)
        check_if_match(current, call, self.profile)
        body = require_object(body)
        fast = self._membership_only(body, call)
        if fast is not None:
            added, removed = fast
            added, labels = added
            # patch() holds the write transaction: all operations of one PATCH, or none
            changed = self.sets.add_members(role_id, self._known(added), actor=call.actor) if added else []
            relabelled = self.sets.set_member_labels(role_id, labels) if labels else 0
            changed += self.sets.remove_members(role_id, removed, actor=call.actor) if removed else []
            changed += ["relabelled"] * relabelled
            return self.get(role_id, call) if changed else None
        before = self.to_scim(current, call)
        after = apply_patch(before, body, "Group", dialect=call.dialect)
        name = _name(after, creating=False)
        wanted = member_values(after.get("members"))
        old_ids = [m["value"] for m in before["members"]]
        had = set(old_ids)
        self._known([m for m in wanted if m not in had])
        raw = {k: v for k, v in after.items() if k not in SERVER_OWNED}
        role = {**current, "name": name, "managed_by": call.provider, "external_id": _external_id(after), "scim": raw}
        same_members = set(wanted) == had
        labels = member_labels(after.get("members"))
        old_labels = member_labels(before.get("members"))
        if same_members and role == current and labels == old_labels:
            return None
        self.sets.update(role, None if same_members else wanted, labels=labels, actor=call.actor)
        return self.get(role_id, call)

    def _membership_only(self, body: dict, call: Call):
        """Fast path for pure member add/remove operations, so a 10,000-member role costs no full rewrite."""
        if not isinstance(body.get("schemas"), list) or PATCH_OP_URN not in body["schemas"]:
            return None
        ops = body.get("Operations")
        if not isinstance(ops, list) or not ops:
            return None
        added, removed, labels = [], [], {}
        for op in ops:
            if not isinstance(op, dict) or not isinstance(op.get("op"), str) or not isinstance(op.get("path"), str):
                return None
            kind = op["op"] if call.dialect == "generic" else op["op"].lower()
            path = op["path"].strip()
            if kind == "add" and path == "members" and "value" in op:
                added += member_values(op["value"])
                labels.update(member_labels(op["value"]))
            elif kind == "remove" and path == "members" and isinstance(op.get("value"), list | dict):
                removed += member_values(op["value"])  # JumpCloud's remove-with-value-list
            elif kind == "remove" and path.startswith(_MEMBER_FILTER_PREFIX) and path.endswith("]"):
                try:
                    node = scim_filter.parse(path[len("members["):-1])
                except Exception:
                    return None
                equality = scim_filter.simple_equality(node)
                if not equality or equality[0] != "value" or not isinstance(equality[1], str):
                    return None
                removed += member_values([{"value": equality[1]}])
            else:
                return None
        if set(added) & set(removed):
            return None  # order matters; let the general engine apply the ops one by one
        return (added, labels), removed

    def delete(self, role_id: str, call: Call) -> None:
        """DELETE /Groups/{id}: the role and its attachments go."""
        with self.accounts.store.write():  # read, If-Match check and write as one: no lost update
            return self._delete(role_id, call)

    def _delete(self, role_id: str, call: Call) -> None:
        check_if_match(self.sets.get(role_id), call, self.profile)
        self.sets.delete(role_id, actor=call.actor)

    def page_to_scim(self, page: list[dict], call: Call) -> list[dict]:
        """SCIM Groups for a page of sets, all their members read at once (no query per set)."""
        members = self.sets.members_of_many([item["id"] for item in page])
        return [self.to_scim(item, call, members[item["id"]]) for item in page]

    def list(self, query: ListQuery, call: Call) -> dict:
        """GET /Groups and POST /Groups/.search."""
        sets = self.sets
        return list_resources(Collection("Group", "displayname", sets.count, sets.page, sets.find_by_name, sets.every,
                                         lambda page: self.page_to_scim(page, call)), query, self.profile)
