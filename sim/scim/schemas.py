"""SCIM URNs, attribute lookup, discovery documents, ListResponse and attribute projection (RFC 7643, RFC 7644)."""

import copy

from sim.scim.attributes import COMMON_ATTRIBUTES
from sim.scim.attributes import ENTERPRISE_ATTRIBUTES
from sim.scim.attributes import GROUP_ATTRIBUTES
from sim.scim.attributes import USER_ATTRIBUTES
from sim.scim.attributes import Attribute

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

# Schema URN -> (name, description, attribute table); the order is the order of GET /Schemas.
_SCHEMAS = {
    USER_URN: ("User", "User Account", USER_ATTRIBUTES),
    ENTERPRISE_URN: ("EnterpriseUser", "Enterprise User", ENTERPRISE_ATTRIBUTES),
    GROUP_URN: ("Group", "Group (a StrongDM role)", GROUP_ATTRIBUTES),
}
# Resource type -> (endpoint, core schema, extension schemas); RFC 7643 §6.
_RESOURCE_TYPES = {
    "User": ("/Users", USER_URN, (ENTERPRISE_URN,)),
    "Group": ("/Groups", GROUP_URN, ()),
}
_TABLES = {
    urn: {a.name.lower(): a for a in (attrs + COMMON_ATTRIBUTES if urn != ENTERPRISE_URN else attrs)}
    for urn, (_, _, attrs) in _SCHEMAS.items()
}
# Kept in every projection: `schemas` is the resource's own envelope, and meta is kept as StrongDM always sends it.
_ALWAYS_KEPT = ("schemas", "id", "meta")


def _resource_type(resource_type: str) -> str:
    """Return the canonical resource type name ("User" or "Group"), accepting any case."""
    for name in _RESOURCE_TYPES:
        if name.lower() == resource_type.lower():
            return name
    raise ValueError(f"unknown resource type {resource_type!r}")


def resource_schemas(resource_type: str) -> tuple[str, ...]:
    """Return the core schema URN followed by the extension URNs of a resource type."""
    _, core, extensions = _RESOURCE_TYPES[_resource_type(resource_type)]
    return (core, *extensions)


def extension_urns(resource_type: str) -> tuple[str, ...]:
    """Return the schema extension URNs of a resource type (their attributes nest under the URN key)."""
    return resource_schemas(resource_type)[1:]


def split_urn_path(resource_type: str, path: str) -> tuple[str | None, str]:
    """Split `urn:…:User:name.givenName` into (schema URN, `name.givenName`); plain paths get the core URN.

    The URN is None when the path is URN-prefixed but names no schema of the resource type. The attribute
    part is "" when the path is the schema URN itself (RFC 7644 §3.10: attribute names are URN-qualified).
    """
    urns = resource_schemas(resource_type)
    if not path.lower().startswith("urn:"):
        return urns[0], path
    lowered = path.lower()
    # Longest first, so the extension URN is not mistaken for a shorter prefix.
    for urn in sorted(urns, key=len, reverse=True):
        if lowered == urn.lower():
            return urn, ""
        if lowered.startswith(urn.lower() + ":"):
            return urn, path[len(urn) + 1 :]
    return None, path


def attribute(resource_type: str, dotted_path: str, urn: str | None = None) -> Attribute | None:
    """Return the definition of `name` or `name.sub` (optionally URN-prefixed), case-insensitive, or None."""
    if urn is None:
        urn, dotted_path = split_urn_path(resource_type, dotted_path)
    else:
        urn = next((u for u in resource_schemas(resource_type) if u.lower() == urn.lower()), None)
    if urn is None or not dotted_path:
        return None
    parts = dotted_path.split(".")
    if len(parts) > 2:
        return None
    top = _TABLES[urn].get(parts[0].lower())
    if top is None or len(parts) == 1:
        return top
    return top.sub(parts[1])


def is_multi_valued(resource_type: str, dotted_path: str, urn: str | None = None) -> bool:
    """Return True when the attribute is known and multi-valued."""
    definition = attribute(resource_type, dotted_path, urn)
    return bool(definition and definition.multi_valued)


def is_case_exact(resource_type: str, dotted_lower: str) -> bool:
    """Return True when comparisons on the attribute are case-exact (unknown attributes: False, RFC 7643 §2.2)."""
    definition = attribute(resource_type, dotted_lower)
    return bool(definition and definition.case_exact)


def _location(base_url: str, *parts: str) -> str:
    """Join the base URL and parts; an empty base gives a relative location as StrongDM sends (`Users/a-…`)."""
    tail = "/".join(parts)
    return f"{base_url.rstrip('/')}/{tail}" if base_url else tail


def list_response(resources: list[dict], total: int, start_index: int = 1, items_per_page: int | None = None) -> dict:
    """Return a ListResponse (RFC 7644 §3.4.2); itemsPerPage defaults to the page's length, as StrongDM sends."""
    # Key order copies StrongDM's documented example (alphabetical, capital `Resources` first).
    return {
        "Resources": list(resources),
        "itemsPerPage": len(resources) if items_per_page is None else items_per_page,
        "schemas": [LIST_RESPONSE_URN],
        "startIndex": start_index,
        "totalResults": total,
    }


def schema_by_id(urn: str, base_url: str = "") -> dict | None:
    """Return the Schema resource (RFC 7643 §7) for a URN (case-insensitive), or None when unknown."""
    canonical = next((u for u in _SCHEMAS if u.lower() == urn.lower()), None)
    if canonical is None:
        return None
    name, description, attrs = _SCHEMAS[canonical]
    return {
        "schemas": [SCHEMA_URN],
        "id": canonical,
        "name": name,
        "description": description,
        "attributes": [a.to_dict() for a in attrs],
        "meta": {"resourceType": "Schema", "location": _location(base_url, "Schemas", canonical)},
    }


def schemas_list(base_url: str = "") -> dict:
    """Return GET /Schemas: a ListResponse of every Schema resource (RFC 7644 §4)."""
    resources = [schema_by_id(urn, base_url) for urn in _SCHEMAS]
    return list_response(resources, len(resources))


def resource_type_by_id(name: str, base_url: str = "") -> dict | None:
    """Return the ResourceType resource (RFC 7643 §6) called `name` (case-insensitive), or None."""
    try:
        name = _resource_type(name)
    except ValueError:
        return None
    endpoint, core, extensions = _RESOURCE_TYPES[name]
    body = {
        "schemas": [RESOURCE_TYPE_URN],
        "id": name,
        "name": name,
        "endpoint": endpoint,
        "description": _SCHEMAS[core][1],
        "schema": core,
    }
    if extensions:
        body["schemaExtensions"] = [{"schema": urn, "required": False} for urn in extensions]
    body["meta"] = {"resourceType": "ResourceType", "location": _location(base_url, "ResourceTypes", name)}
    return body


def resource_types(base_url: str = "") -> dict:
    """Return GET /ResourceTypes: User (with the enterprise extension) and Group, as a ListResponse."""
    resources = [resource_type_by_id(name, base_url) for name in _RESOURCE_TYPES]
    return list_response(resources, len(resources))


def service_provider_config(
    *,
    filter_supported: bool,
    max_results: int,
    sort: bool,
    etag: bool,
    patch: bool = True,
    bulk: bool = False,
    change_password: bool = False,
    base_url: str = "",
    documentation_uri: str | None = None,
) -> dict:
    """Return GET /ServiceProviderConfig (RFC 7643 §5), advertising only what the caller says it supports."""
    body = {"schemas": [SPC_URN]}
    if documentation_uri:
        body["documentationUri"] = documentation_uri
    body.update(
        {
            "patch": {"supported": patch},
            # No limits are published for an unsupported bulk endpoint; RFC 7643 §5 still requires the fields.
            "bulk": {"supported": bulk, "maxOperations": 1000 if bulk else 0, "maxPayloadSize": 1048576 if bulk else 0},
            "filter": {"supported": filter_supported, "maxResults": max_results},
            "changePassword": {"supported": change_password},
            "sort": {"supported": sort},
            "etag": {"supported": etag},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "OAuth Bearer Token",
                    "description": "Authentication with the SCIM token sent as `Authorization: Bearer <token>`.",
                    "specUri": "https://www.rfc-editor.org/info/rfc6750",
                    "primary": True,
                }
            ],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": _location(base_url, "ServiceProviderConfig"),
            },
        }
    )
    return body


def parse_attribute_list(param: str | None) -> list[str] | None:
    """Split an `attributes`/`excludedAttributes` query parameter on commas; None when absent or empty."""
    if param is None:
        return None
    names = [part.strip() for part in param.split(",") if part.strip()]
    return names or None


def _key(mapping: dict, name: str) -> str | None:
    """Return the key of `mapping` equal to `name` ignoring case (attribute names are case-insensitive, RFC 7643 §2.1)."""
    lowered = name.lower()
    return next((k for k in mapping if isinstance(k, str) and k.lower() == lowered), None)


def _target(resource: dict, resource_type: str, path: str) -> tuple[dict | None, str | None, str | None, str | None]:
    """Resolve a projection path to (holder dict, holder key in resource or None, attribute key, sub name)."""
    urn, rest = split_urn_path(resource_type, path)
    if urn is None:
        return None, None, None, None
    holder, holder_key = resource, None
    if urn in extension_urns(resource_type):
        holder_key = _key(resource, urn)
        holder = resource.get(holder_key) if holder_key else None
        if not isinstance(holder, dict):
            return None, None, None, None
        if not rest:
            return resource, None, holder_key, None
    name, _, sub = rest.partition(".")
    return holder, holder_key, _key(holder, name), sub or None


def _copy_sub(value, sub: str):
    """Copy only sub-attribute `sub` of a complex value, or of each element of a multi-valued one."""
    if isinstance(value, list):
        picked = [_copy_sub(v, sub) for v in value if isinstance(v, dict)]
        return [p for p in picked if p]
    if isinstance(value, dict):
        key = _key(value, sub)
        return {key: copy.deepcopy(value[key])} if key else {}
    return None


def _merge(into: dict, key: str, value) -> None:
    """Merge a projected fragment into the result (two sub-paths of one attribute both survive)."""
    if isinstance(value, dict) and isinstance(into.get(key), dict):
        for k, v in value.items():
            into[key].setdefault(k, v)
    elif isinstance(value, list) and isinstance(into.get(key), list):
        for mine, theirs in zip(into[key], value, strict=False):
            for k, v in theirs.items():
                mine.setdefault(k, v)
    else:
        into[key] = value


def _include(resource: dict, resource_type: str, paths: list[str]) -> dict:
    """Keep only the requested paths plus the always-returned attributes (RFC 7644 §3.4.2.5)."""
    result = {k: copy.deepcopy(v) for k, v in resource.items() if k.lower() in _ALWAYS_KEPT}
    for path in paths:
        holder, holder_key, key, sub = _target(resource, resource_type, path)
        if holder is None or key is None:
            continue
        fragment = copy.deepcopy(holder[key]) if sub is None else _copy_sub(holder[key], sub)
        if fragment in (None, {}, []) and sub is not None:
            continue
        if holder_key is None:
            _merge(result, key, fragment)
        else:
            _merge(result.setdefault(holder_key, {}), key, fragment)
    return result


def _exclude(resource: dict, resource_type: str, paths: list[str]) -> dict:
    """Drop the excluded paths, except those that are always returned (RFC 7644 §3.4.2.5)."""
    result = copy.deepcopy(resource)
    for path in paths:
        holder, _, key, sub = _target(result, resource_type, path)
        if holder is None or key is None or (holder is result and key.lower() in _ALWAYS_KEPT):
            continue
        if sub is None:
            del holder[key]
            continue
        for element in holder[key] if isinstance(holder[key], list) else [holder[key]]:
            sub_key = _key(element, sub) if isinstance(element, dict) else None
            if sub_key:
                del element[sub_key]
    return result


def project(
    resource: dict, attributes: list[str] | None, excluded: list[str] | None, resource_type: str
) -> dict:
    """Apply `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) to a resource; never returns `returned: never`."""
    result = _include(resource, resource_type, attributes) if attributes else copy.deepcopy(resource)
    if excluded:
        result = _exclude(result, resource_type, excluded)
    for key in list(result):
        definition = attribute(resource_type, key) if isinstance(key, str) and ":" not in key else None
        if definition is not None and definition.returned == "never":
            del result[key]
    # An extension container that lost all of its attributes is dropped rather than sent empty.
    for urn in extension_urns(resource_type):
        key = _key(result, urn)
        if key and result[key] == {}:
            del result[key]
    return result
