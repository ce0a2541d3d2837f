"""What the receiver's Users and Groups share: request options, paging, filtering, member ids."""

import copy
import json
import re
from dataclasses import dataclass

from sim.scim.filter import parse as scim_filter
from sim.scim.filter.match import matches
from sim.scim.errors import BadRequestError
from sim.scim.errors import InvalidFilterError
from sim.scim.errors import InvalidSyntaxError
from sim.scim.errors import InvalidValueError
from sim.scim.errors import ScimError
from sim.scim.errors import UnauthorizedError
from sim.scim.schemas import list_response
from sim.scim.schemas import project

# StrongDM ids: `a-`/`r-` + hex. Docs also show toy ids such as `a-0001`, so any hex length is well-formed.
ACCOUNT_ID = re.compile(r"^a-[0-9a-f]{1,32}$")

FAULT_PATHS = ("/provisioning/*",)  # what a fault rule without a path applies to
FAULT_DETAILS = {401: None, 429: "Too many requests.", 500: "Internal error.", 502: "Bad gateway.",
                 503: "Service temporarily unavailable.", 504: "Gateway timeout."}


def copy_json(value):
    """A deep copy of JSON data (dicts, lists, scalars), several times faster than `copy.deepcopy`."""
    kind = type(value)
    if kind is dict:
        return {k: copy_json(v) for k, v in value.items()}
    if kind is list:
        return [copy_json(v) for v in value]
    if kind in (str, int, float, bool) or value is None:
        return value
    return copy.deepcopy(value)  # not JSON, but copy it the careful way rather than share it


@dataclass
class Profile:
    """How strictly the receiver copies StrongDM (`strongdm`) or follows all of RFC 7644 (`rfc`)."""

    name: str = "strongdm"
    default_count: int = 100
    max_count: int = 1000
    delete_mode: str = "delete"  # or "suspend": what DELETE /Users/{id} does

    @property
    def rfc(self) -> bool:
        """True when the full RFC feature set (filters, sort, ETags, /.search) is on."""
        return self.name == "rfc"


@dataclass
class Call:
    """One SCIM request as the service needs it: who, through which provider path, with which dialect."""

    provider: str = "generic"
    base_url: str = ""  # absolute base for meta.location in the rfc profile
    actor: dict | None = None
    if_match: str | None = None

    @property
    def dialect(self) -> str:
        """Entra's quirks are accepted only on /provisioning/azure/v2, as StrongDM keeps generic clean."""
        return "azure" if self.provider == "azure" else "generic"


@dataclass
class ListQuery:
    """Parsed list parameters (RFC 7644 §3.4.2)."""

    filter: str | None = None
    start_index: int = 1
    count: int | None = None
    sort_by: str | None = None
    sort_order: str = "ascending"
    attributes: list[str] | None = None
    excluded: list[str] | None = None


MAX_INT = 2**31


def _int_param(name: str, raw) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise InvalidValueError(f"{name} must be an integer.")
    try:
        value = raw if isinstance(raw, int) else int(str(raw).strip())
    except ValueError:
        raise InvalidValueError(f"{name} must be an integer, not {str(raw)[:40]!r}.") from None
    return max(-MAX_INT, min(MAX_INT, value))  # beyond SQLite's integers; nothing lies that far anyway


def _attr_list(name: str, raw) -> list[str] | None:
    if raw is None:
        return None
    if isinstance(raw, list):
        if not all(isinstance(a, str) for a in raw):
            raise InvalidValueError(f"{name} must be a list of attribute names.")
        return [a.strip() for a in raw if a.strip()] or None
    if not isinstance(raw, str):
        raise InvalidValueError(f"{name} must be a comma-separated list of attribute names.")
    return [a.strip() for a in raw.split(",") if a.strip()] or None


def parse_list_query(params: dict, profile: Profile) -> ListQuery:
    """Read filter, startIndex, count, sortBy, sortOrder, attributes and excludedAttributes."""
    raw_filter = params.get("filter")
    if raw_filter is not None and not isinstance(raw_filter, str):
        raise InvalidFilterError("filter must be a string.")
    start = _int_param("startIndex", params.get("startIndex"))
    count = _int_param("count", params.get("count"))
    order = params.get("sortOrder") or "ascending"
    if not isinstance(order, str) or order.lower() not in {"ascending", "descending"}:
        raise InvalidValueError("sortOrder must be 'ascending' or 'descending'.")
    sort_by = params.get("sortBy")
    if sort_by is not None and not isinstance(sort_by, str):
        raise InvalidValueError("sortBy must be an attribute name.")
    if sort_by and not profile.rfc:
        raise BadRequestError("Sorting is not supported.")
    return ListQuery(
        filter=raw_filter if raw_filter else None,
        start_index=max(1, start or 1),  # RFC 7644 §3.4.2.4: values below 1 are treated as 1
        count=None if count is None else max(0, count),  # a negative count is treated as 0
        sort_by=sort_by or None,
        sort_order=order.lower(),
        attributes=_attr_list("attributes", params.get("attributes")),
        excluded=_attr_list("excludedAttributes", params.get("excludedAttributes")),
    )


def page_size(query: ListQuery, profile: Profile) -> int:
    """The count to serve: the default when absent, never above the maximum."""
    return min(profile.default_count if query.count is None else query.count, profile.max_count)


def parse_filter(query: ListQuery, profile: Profile, resource_type: str):
    """Parse the filter; the strongdm profile accepts only what StrongDM documents."""
    if query.filter is None:
        return None
    node = scim_filter.parse(query.filter)
    if not profile.rfc:
        scim_filter.strongdm_subset(node, resource_type)
    return node


def build_list(resources: list[dict], total: int, query: ListQuery, profile: Profile, resource_type: str) -> dict:
    """Assemble a ListResponse with attribute projection applied."""
    if query.attributes or query.excluded:
        resources = [project(r, query.attributes, query.excluded, resource_type) for r in resources]
    # StrongDM echoes the requested page size as itemsPerPage (its own client stops on a short page);
    # RFC 7644 §3.4.2 says "the number of resources returned", which the rfc profile sends.
    per_page = len(resources) if profile.rfc else page_size(query, profile)
    return list_response(resources, total, query.start_index, per_page)


@dataclass
class Collection:
    """How to read one resource type's records: the listing code below is shared by /Users and /Groups."""

    resource_type: str
    key: str  # the lowercased attribute answered from a unique index (`username`, `displayname`)
    count: object  # () -> int
    page: object  # (offset, limit) -> list[record]
    find: object  # (value) -> record | None
    every: object  # () -> list[record]
    to_scim: object  # (record) -> dict


def list_resources(source: Collection, query: ListQuery, profile: Profile) -> dict:
    """A ListResponse: pages straight from the index when it can, else filter and sort representations."""
    node = parse_filter(query, profile, source.resource_type)
    size = page_size(query, profile)
    offset = query.start_index - 1
    equality = scim_filter.simple_equality(node) if node is not None else None
    if node is None and not query.sort_by:
        total = source.count()
        resources = [source.to_scim(r) for r in source.page(offset, size)] if size else []
    elif equality and equality[0] == source.key and isinstance(equality[1], str) and not query.sort_by:
        record = source.find(equality[1])
        matched = [source.to_scim(record)] if record else []
        total, resources = len(matched), matched[offset:offset + size]
    else:
        every = [source.to_scim(r) for r in source.every()]
        matched = [r for r in every if matches(node, r)] if node is not None else every
        if query.sort_by:
            matched.sort(key=sort_key(query.sort_by), reverse=query.sort_order == "descending")
        total, resources = len(matched), matched[offset:offset + size]
    return build_list(resources, total, query, profile, source.resource_type)


def sort_key(path: str):
    """A sort key over representations for sortBy (RFC 7644 §3.4.2.3); missing values sort last."""
    parts = path.split(".")

    def key(resource):
        value = resource
        for part in parts:
            if isinstance(value, list):
                primary = [v for v in value if isinstance(v, dict) and v.get("primary")] or value[:1]
                value = primary[0] if primary else None
            if not isinstance(value, dict):
                value = None
                break
            value = next((v for k, v in value.items() if k.lower() == part.lower()), None)
        if isinstance(value, str):
            return (0, value.casefold())
        if value is None:
            return (1, "")
        return (0, str(value))

    return key


def require_object(body, what: str = "request body") -> dict:
    """The body must be a JSON object."""
    if not isinstance(body, dict):
        raise InvalidSyntaxError(f"The {what} must be a JSON object.")
    return body


def member_labels(members) -> dict[str, tuple]:
    """`{id: (display, type)}` for members that carry a display or type (call after member_values)."""
    if isinstance(members, dict):
        members = [members]
    labels = {}
    for member in members or []:
        display, kind = member.get("display"), member.get("type")
        if isinstance(display, str) or isinstance(kind, str):
            labels[member["value"]] = (display if isinstance(display, str) else None,
                                       kind if isinstance(kind, str) else None)
    return labels


def member_values(members) -> list[str]:
    """Pull `members[].value` out of a SCIM members list, rejecting malformed ids as StrongDM does."""
    if members is None:
        return []
    if isinstance(members, dict):
        members = [members]
    if not isinstance(members, list):
        raise InvalidValueError("members must be a list of objects with a 'value'.")
    out = []
    for member in members:
        if not isinstance(member, dict) or not isinstance(member.get("value"), str):
            raise InvalidValueError("Each member must be an object with a string 'value'.")
        value = member["value"]
        if not ACCOUNT_ID.match(value):
            raise BadRequestError(f"cannot parse member id: {value}"[:300])
        out.append(value)
    return list(dict.fromkeys(out))


def fault_response(status: int, path: str) -> tuple[bytes, str, dict]:
    """An injected fault as the receiver answers it: a SCIM error (RFC 7644 §3.12); a revoked token looks like a wrong one."""
    error = UnauthorizedError() if status == 401 else ScimError(FAULT_DETAILS.get(status))
    body = error.to_dict() | {"status": str(status)}
    return json.dumps(body).encode(), "application/json", dict(error.headers)
