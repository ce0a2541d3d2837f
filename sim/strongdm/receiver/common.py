"""What the receiver's Users and Groups share: the profile, request options, StrongDM's paging and filters, member ids."""

import copy
import json
import re
from dataclasses import dataclass

from sim.scim import query as scim_query
from sim.scim.errors import BadRequestError
from sim.scim.errors import InvalidSyntaxError
from sim.scim.errors import InvalidValueError
from sim.scim.errors import ScimError
from sim.scim.errors import UnauthorizedError
from sim.scim.filter import parse as scim_filter
from sim.scim.filter.match import matches
from sim.scim.query import ListQuery
from sim.scim.schemas import list_response

# StrongDM ids: `a-`/`r-` + hex. Docs also show toy ids such as `a-0001`, so any hex length is well-formed.
ACCOUNT_ID = re.compile(r"^a-[0-9a-f]{1,32}$")

FAULT_PATHS = ("/provisioning/*",)  # what a fault rule without a path applies to
FAULT_DETAILS = {401: None, 429: "Too many requests.", 500: "Internal error.", 502: "Bad gateway.",
                 503: "Service temporarily unavailable.", 504: "Gateway timeout."}


def bearer_token(header: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1; the scheme is case-insensitive,
    RFC 9110 §11.1), or None for another scheme."""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


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


def parse_list_query(params: dict, profile: Profile) -> ListQuery:
    """The list parameters; StrongDM does not sort, so sortBy is refused outside the rfc profile."""
    return scim_query.parse_list_query(params, sort_supported=profile.rfc)


def page_size(query: ListQuery, profile: Profile) -> int:
    """The count to serve under the profile's default and maximum."""
    return scim_query.page_size(query, profile.default_count, profile.max_count)


def etag(record: dict) -> str:
    """A record's weak ETag, from the version counter accounts.py bumps on every change."""
    return scim_query.etag(record.get("version", 1))


def check_if_match(record: dict, call: Call, profile: Profile) -> None:
    """Refuse a write whose If-Match names another version (rfc profile; StrongDM documents no ETags)."""
    if profile.rfc:
        scim_query.check_if_match(etag(record), call.if_match)


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
    resources = [scim_query.projected(r, query, resource_type) for r in resources]
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
    to_scim: object  # (records) -> list[dict], a page at a time so related rows load in one query


def list_resources(source: Collection, query: ListQuery, profile: Profile) -> dict:
    """A ListResponse: pages straight from the index when it can, else filter and sort representations."""
    node = parse_filter(query, profile, source.resource_type)
    size = page_size(query, profile)
    offset = query.start_index - 1
    equality = scim_filter.simple_equality(node) if node is not None else None
    if node is None and not query.sort_by:
        total = source.count()
        resources = source.to_scim(source.page(offset, size)) if size else []
    elif equality and equality[0] == source.key and isinstance(equality[1], str) and not query.sort_by:
        record = source.find(equality[1])
        matched = source.to_scim([record]) if record else []
        total, resources = len(matched), matched[offset:offset + size]
    else:
        every = source.to_scim(source.every())
        matched = [r for r in every if matches(node, r)] if node is not None else every
        if query.sort_by:
            scim_query.sort_resources(matched, query)
        total, resources = len(matched), matched[offset:offset + size]
    return build_list(resources, total, query, profile, source.resource_type)


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
