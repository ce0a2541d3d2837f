"""SCIM list queries and versions: list parameters, sortBy, projection, ETags (RFC 7644 §3.4.2, §3.14)."""

from dataclasses import dataclass

from sim.scim.errors import BadRequestError
from sim.scim.errors import InvalidFilterError
from sim.scim.errors import InvalidValueError
from sim.scim.errors import PreconditionFailedError
from sim.scim.schemas import project

# Integer parameters are clamped here: beyond SQLite's integers, and nothing lies that far anyway.
MAX_INT = 2**31


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


def _int_param(name: str, raw) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise InvalidValueError(f"{name} must be an integer.")
    try:
        value = raw if isinstance(raw, int) else int(str(raw).strip())
    except ValueError:
        raise InvalidValueError(f"{name} must be an integer, not {str(raw)[:40]!r}.") from None
    return max(-MAX_INT, min(MAX_INT, value))


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


def parse_list_query(params: dict, *, sort_supported: bool = True) -> ListQuery:
    """Read filter, startIndex, count, sortBy, sortOrder, attributes and excludedAttributes (RFC 7644 §3.4.2).

    `params` is a query string's arguments or a SearchRequest body (§3.4.3); a server that does not sort
    (ServiceProviderConfig `sort.supported` false, RFC 7643 §5) passes `sort_supported=False`.
    """
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
    if sort_by and not sort_supported:
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


def page_size(query: ListQuery, default_count: int, max_count: int) -> int:
    """The count to serve: the default when absent, never above the maximum (RFC 7644 §3.4.2.4)."""
    return min(default_count if query.count is None else query.count, max_count)


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


def sort_resources(resources: list[dict], query: ListQuery) -> None:
    """Sort representations in place by the query's sortBy and sortOrder (RFC 7644 §3.4.2.3); a stable sort."""
    resources.sort(key=sort_key(query.sort_by), reverse=query.sort_order == "descending")


def projected(resource: dict, query: ListQuery, resource_type: str) -> dict:
    """Apply the query's `attributes` / `excludedAttributes` to a resource (RFC 7644 §3.4.2.5)."""
    if query.attributes or query.excluded:
        return project(resource, query.attributes, query.excluded, resource_type)
    return resource


def etag(version: int) -> str:
    """A weak entity tag from a version counter (RFC 7644 §3.14, RFC 7232 §2.3)."""
    return f'W/"{version}"'


def check_if_match(current: str, if_match: str | None) -> None:
    """Refuse a write whose If-Match names neither `*` nor the current ETag: 412 (RFC 7644 §3.14)."""
    if if_match and if_match.strip() != "*":
        if current not in [t.strip() for t in if_match.split(",")]:
            raise PreconditionFailedError()


def not_modified(current: str | None, if_none_match: str | None) -> bool:
    """True when If-None-Match lists the current ETag, so a GET answers 304 (RFC 7644 §3.14)."""
    return bool(if_none_match and current in [t.strip() for t in if_none_match.split(",")])
