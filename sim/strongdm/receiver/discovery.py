"""Discovery documents (RFC 7644 §4) as this receiver really behaves, per profile."""

import copy

from sim.scim import schemas
from sim.scim.errors import NotFoundError
from sim.strongdm.receiver.common import Profile

# In the strongdm profile these User attributes are computed by StrongDM, so they are published readOnly:
# displayName is "<given> <family>", emails is the userName, userType is "user".
COMPUTED_USER_ATTRIBUTES = {"displayname", "emails", "usertype"}


# StrongDM refuses a user without both names and always reports `active`, so the schema requires them.
REQUIRED_USER_ATTRIBUTES = {"name", "name.givenname", "name.familyname", "active"}


def _mark_required(attributes: list[dict], prefix: str = "") -> None:
    for attribute in attributes:
        dotted = f"{prefix}{attribute['name']}".lower()
        if dotted in REQUIRED_USER_ATTRIBUTES:
            attribute["required"] = True
        _mark_required(attribute.get("subAttributes") or [], prefix=f"{dotted}.")


def _mark_read_only(attributes: list[dict], prefix: str = "") -> None:
    for attribute in attributes:
        dotted = f"{prefix}{attribute['name']}".lower()
        if dotted in COMPUTED_USER_ATTRIBUTES:
            attribute["mutability"] = "readOnly"
        _mark_read_only(attribute.get("subAttributes") or [], prefix=f"{dotted}.")


class Discovery:
    """ServiceProviderConfig, ResourceTypes and Schemas for one profile."""

    def __init__(self, profile: Profile):
        self.profile = profile

    def service_provider_config(self, base_url: str) -> dict:
        """Filters, sort and ETags are advertised only in the rfc profile, where they are implemented."""
        rfc = self.profile.rfc
        return schemas.service_provider_config(filter_supported=rfc, max_results=self.profile.max_count, sort=rfc,
                                               etag=rfc, base_url=base_url)

    def resource_types(self, base_url: str) -> dict:
        """User and Group."""
        return schemas.resource_types(base_url)

    def resource_type(self, base_url: str, name: str) -> dict:
        """One resource type or a SCIM 404."""
        found = schemas.resource_type_by_id(name, base_url)
        if found is None:
            raise NotFoundError(f"Resource {name[:100]} not found.")
        return found

    def schema(self, base_url: str, urn: str) -> dict:
        """One schema, adjusted to the profile."""
        found = schemas.schema_by_id(urn, base_url)
        if found is None:
            raise NotFoundError(f"Resource {urn[:200]} not found.")
        if found["id"] == schemas.USER_URN:
            found = copy.deepcopy(found)
            _mark_required(found["attributes"])
            if not self.profile.rfc:
                _mark_read_only(found["attributes"])
        return found

    def schemas(self, base_url: str) -> dict:
        """All schemas, adjusted to the profile."""
        listing = schemas.schemas_list(base_url)
        listing["Resources"] = [self.schema(base_url, s["id"]) for s in listing["Resources"]]
        return listing
