"""Attribute tables of the SCIM core schemas (RFC 7643 §4, §8.7.1) as small frozen dataclasses."""

from dataclasses import dataclass
from dataclasses import field


@dataclass(frozen=True)
class Attribute:
    """One attribute definition with the RFC 7643 §7 characteristics."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    returned: str = "default"
    uniqueness: str = "none"
    description: str = ""
    sub_attributes: tuple["Attribute", ...] = ()
    canonical_values: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()
    _subs_by_lower: dict = field(default=None, init=False, compare=False, repr=False, hash=False)

    def __post_init__(self):
        # Frozen, so the lookup table is set once through object.__setattr__.
        object.__setattr__(self, "_subs_by_lower", {s.name.lower(): s for s in self.sub_attributes})

    def sub(self, name: str) -> "Attribute | None":
        """Return the sub-attribute called `name` (case-insensitive), or None."""
        return self._subs_by_lower.get(name.lower())

    def to_dict(self) -> dict:
        """Return the wire form used inside a Schema resource (RFC 7643 §7)."""
        body = {"name": self.name, "type": self.type, "multiValued": self.multi_valued}
        if self.description:
            body["description"] = self.description
        body["required"] = self.required
        if self.type in ("string", "reference", "binary"):
            body["caseExact"] = self.case_exact
        if self.canonical_values:
            body["canonicalValues"] = list(self.canonical_values)
        if self.reference_types:
            body["referenceTypes"] = list(self.reference_types)
        body.update(mutability=self.mutability, returned=self.returned, uniqueness=self.uniqueness)
        if self.sub_attributes:
            body["subAttributes"] = [s.to_dict() for s in self.sub_attributes]
        return body


def _a(name: str, type: str = "string", **kw) -> Attribute:
    """Shorthand constructor so the tables below stay one line per attribute."""
    subs = kw.pop("subs", ())
    return Attribute(name, type, sub_attributes=tuple(subs), **kw)


def _multi(name: str, description: str, types: tuple[str, ...], value_type: str = "string", **kw) -> Attribute:
    """The value/display/type/primary shape shared by emails, phoneNumbers, ims, photos, roles … (RFC 7643 §2.4)."""
    ref = {"reference_types": ("external",)} if value_type == "reference" else {}
    subs = (
        _a("value", value_type, description="The attribute's significant value.", **ref),
        _a("display", description="A human-readable name, primarily used for display purposes."),
        _a("type", description="A label indicating the attribute's function.", canonical_values=types),
        _a("primary", "boolean", description="Whether this is the preferred value; true at most once."),
    )
    return _a(name, "complex", multi_valued=True, description=description, subs=subs, **kw)


_ADDRESS_SUBS = tuple(
    _a(n, description=d)
    for n, d in (
        ("formatted", "The full mailing address, formatted for display."),
        ("streetAddress", "The full street address component."),
        ("locality", "The city or locality component."),
        ("region", "The state or region component."),
        ("postalCode", "The zip code or postal code component."),
        ("country", "The country name component (ISO 3166-1 alpha-2)."),
    )
) + (
    _a("type", description="A label indicating the address's function.", canonical_values=("work", "home", "other")),
    _a("primary", "boolean", description="Whether this is the preferred mailing address."),
)

# Common attributes (RFC 7643 §3.1): not part of any Schema resource, but every resource has them.
COMMON_ATTRIBUTES = (
    _a("id", case_exact=True, mutability="readOnly", returned="always", uniqueness="server",
       description="Unique identifier for the resource, assigned by the service provider."),
    _a("externalId", case_exact=True, description="Identifier of the resource as defined by the provisioning client."),
    _a("meta", "complex", mutability="readOnly", description="Resource metadata.", subs=(
        _a("resourceType", case_exact=True, mutability="readOnly"),
        _a("created", "dateTime", mutability="readOnly"),
        _a("lastModified", "dateTime", mutability="readOnly"),
        _a("location", "reference", case_exact=True, mutability="readOnly", reference_types=("uri",)),
        _a("version", case_exact=True, mutability="readOnly"),
    )),
)

# RFC 7643 §4.1 and the User schema of §8.7.1, in that order.
USER_ATTRIBUTES = (
    _a("userName", required=True, uniqueness="server",
       description="Unique identifier for the User, used to authenticate; StrongDM takes the email from it."),
    _a("name", "complex", description="The components of the user's real name.", subs=(
        _a("formatted", description="The full name, formatted for display."),
        _a("familyName", description="The family name of the User."),
        _a("givenName", description="The given name of the User."),
        _a("middleName", description="The middle name(s) of the User."),
        _a("honorificPrefix", description="The honorific prefix(es) of the User."),
        _a("honorificSuffix", description="The honorific suffix(es) of the User."),
    )),
    _a("displayName", description="The name of the User, suitable for display to end-users."),
    _a("nickName", description="The casual way to address the user."),
    _a("profileUrl", "reference", reference_types=("external",), description="A URI to the User's online profile."),
    _a("title", description="The user's title, such as \"Vice President\"."),
    _a("userType", description="The relationship between the organization and the user."),
    _a("preferredLanguage", description="The User's preferred written or spoken language."),
    _a("locale", description="The User's default location for localisation."),
    _a("timezone", description="The User's time zone in the IANA \"Olson\" format."),
    _a("active", "boolean", description="The User's administrative status; false suspends the user in StrongDM."),
    _a("password", mutability="writeOnly", returned="never", description="The User's cleartext password."),
    _multi("emails", "Email addresses for the user.", ("work", "home", "other")),
    _multi("phoneNumbers", "Phone numbers for the User.", ("work", "home", "mobile", "fax", "pager", "other")),
    _multi("ims", "Instant messaging addresses for the User.",
           ("aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo")),
    _multi("photos", "URLs of photos of the User.", ("photo", "thumbnail"), value_type="reference"),
    _a("addresses", "complex", multi_valued=True, description="A physical mailing address for this User.",
       subs=_ADDRESS_SUBS),
    _a("groups", "complex", multi_valued=True, mutability="readOnly",
       description="A list of groups to which the user belongs (managed through the Group resource).", subs=(
           _a("value", mutability="readOnly", description="The identifier of the User's group."),
           _a("$ref", "reference", mutability="readOnly", reference_types=("User", "Group"),
              description="The URI of the corresponding Group resource."),
           _a("display", mutability="readOnly", description="A human-readable name of the group."),
           _a("type", mutability="readOnly", canonical_values=("direct", "indirect"),
              description="How the membership was derived."),
       )),
    _multi("entitlements", "A list of entitlements for the User.", ()),
    _multi("roles", "A list of roles for the User.", ()),
    _multi("x509Certificates", "A list of certificates issued to the User.", (), value_type="binary"),
)

# RFC 7643 §4.3 enterprise extension.
ENTERPRISE_ATTRIBUTES = (
    _a("employeeNumber", description="Numeric or alphanumeric identifier assigned to a person."),
    _a("costCenter", description="Identifies the name of a cost center."),
    _a("organization", description="Identifies the name of an organization."),
    _a("division", description="Identifies the name of a division."),
    _a("department", description="Identifies the name of a department."),
    _a("manager", "complex", description="The User's manager.", subs=(
        _a("value", description="The id of the SCIM resource representing the User's manager."),
        _a("$ref", "reference", reference_types=("User",), description="The URI of the manager's User resource."),
        # StrongDM documents manager.displayName as not patchable; RFC 7643 §4.3 makes it readOnly.
        _a("displayName", mutability="readOnly", description="The displayName of the User's manager."),
    )),
)

# RFC 7643 §4.2. displayName is required as StrongDM requires it (role name) and scim2-models agrees.
GROUP_ATTRIBUTES = (
    _a("displayName", required=True, description="A human-readable name for the Group (a StrongDM role name)."),
    _a("members", "complex", multi_valued=True, description="A list of members of the Group.", subs=(
        _a("value", case_exact=True, mutability="immutable", description="Identifier of the member."),
        _a("$ref", "reference", mutability="immutable", reference_types=("User", "Group"),
           description="The URI of the member resource."),
        _a("display", description="A human-readable name of the member."),
        _a("type", mutability="immutable", canonical_values=("User", "Group"),
           description="The type of the member resource."),
    )),
)
