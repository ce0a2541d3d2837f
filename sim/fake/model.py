"""Typed views of a generated directory: the fields most callers want as Python attributes, the wire shape by `to_dict()`.

`SystemUser.to_dict()` is the JumpCloud API v1 `systemuserreturn` document and `UserGroup.to_dict()` the
v2 `UserGroup` (JumpCloud API v1/v2 specs, docs/api/1.0 and 2.0 index.yaml), so both drop into JSON as is.
"""

import copy
from dataclasses import dataclass
from dataclasses import field


@dataclass(frozen=True)
class SystemUser:
    """One systemuser: snake_case attributes for the common fields, the whole wire document in `to_dict()`."""

    id: str
    username: str
    email: str
    firstname: str
    middlename: str
    lastname: str
    displayname: str
    state: str  # ACTIVATED, STAGED or SUSPENDED
    department: str
    job_title: str
    employee_identifier: str
    employee_type: str
    location: str
    manager_id: str | None
    created: str  # ISO 8601 with milliseconds, UTC
    mfa_configured: bool
    attributes: dict[str, str]  # custom attributes by name: locale, timezone, preferredLanguage, startDate, badgeId
    phone_numbers: tuple[str, ...]
    ssh_key_names: tuple[str, ...]
    doc: dict = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, doc: dict) -> "SystemUser":
        """The typed view of a v1 systemuser document."""
        return cls(
            id=doc["_id"], username=doc["username"], email=doc["email"], firstname=doc.get("firstname") or "",
            middlename=doc.get("middlename") or "", lastname=doc.get("lastname") or "",
            displayname=doc.get("displayname") or "", state=doc["state"], department=doc.get("department") or "",
            job_title=doc.get("jobTitle") or "", employee_identifier=doc.get("employeeIdentifier") or "",
            employee_type=doc.get("employeeType") or "", location=doc.get("location") or "",
            manager_id=doc.get("manager"), created=doc["created"],
            mfa_configured=bool((doc.get("mfa") or {}).get("configured")),
            attributes={a["name"]: a["value"] for a in doc.get("attributes") or []},
            phone_numbers=tuple(p["number"] for p in doc.get("phoneNumbers") or []),
            ssh_key_names=tuple(k.get("name", "") for k in doc.get("ssh_keys") or []),
            doc=doc,
        )

    def to_dict(self) -> dict:
        """The JumpCloud v1 wire document (a copy: changing it changes nothing here)."""
        return copy.deepcopy(self.doc)


@dataclass(frozen=True)
class UserGroup:
    """One static user group and its members' ids; `to_dict()` is the v2 `UserGroup` (members are separate there)."""

    id: str
    name: str
    description: str
    email: str
    member_ids: tuple[str, ...]
    doc: dict = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, doc: dict, member_ids) -> "UserGroup":
        """The typed view of a v2 user group document and its members."""
        return cls(id=doc["id"], name=doc["name"], description=doc.get("description") or "",
                   email=doc.get("email") or "", member_ids=tuple(member_ids), doc=doc)

    def to_dict(self) -> dict:
        """The JumpCloud v2 wire document (a copy)."""
        return copy.deepcopy(self.doc)
