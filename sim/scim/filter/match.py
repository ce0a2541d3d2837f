"""RFC 7644 §3.4.2.2 filter evaluation over plain dicts: attribute lookup, comparison and dateTime rules."""

import operator
import re
from collections.abc import Callable
from datetime import UTC
from datetime import datetime

from sim.scim.errors import InvalidFilterError
from sim.scim.filter.nodes import CORE_URNS
from sim.scim.filter.nodes import ORDERING_OPS
from sim.scim.filter.nodes import SUBSTRING_OPS
from sim.scim.filter.nodes import And
from sim.scim.filter.nodes import AttrPath
from sim.scim.filter.nodes import Node
from sim.scim.filter.nodes import Not
from sim.scim.filter.nodes import Or
from sim.scim.filter.nodes import Present
from sim.scim.filter.nodes import ValuePath
from sim.scim.names import name_key

_DATETIME_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}T")

# RFC 7643 §7 caseExact attributes among those the simulator stores (dotted, lowercase).
DEFAULT_CASE_EXACT = frozenset({"id", "externalid", "meta.version", "meta.location", "members.value"})

CaseExact = Callable[[str], bool]


def matches(node: Node, resource: dict, case_exact: CaseExact | None = None) -> bool:
    """Whether `resource` satisfies `node`; `case_exact(dotted_lowercase_path)` overrides DEFAULT_CASE_EXACT."""
    if not isinstance(resource, dict):
        return False
    return _eval(node, resource, "", case_exact or DEFAULT_CASE_EXACT.__contains__)


def _eval(node: Node, obj: dict, prefix: str, case_exact: CaseExact) -> bool:
    if isinstance(node, And):
        return _eval(node.left, obj, prefix, case_exact) and _eval(node.right, obj, prefix, case_exact)
    if isinstance(node, Or):
        return _eval(node.left, obj, prefix, case_exact) or _eval(node.right, obj, prefix, case_exact)
    if isinstance(node, Not):
        return not _eval(node.inner, obj, prefix, case_exact)
    values = _resolve(obj, node.path)
    name = prefix + node.path.dotted().lower()
    if isinstance(node, Present):
        return any(_has_value(value) for value in values)
    if isinstance(node, ValuePath):
        items = [item for item in values if isinstance(item, dict)]
        return any(_eval(node.filter, item, name + ".", case_exact) for item in items)
    if node.value is None:
        # RFC 7643 §2.5: unassigned, null and [] are the same state, so `eq null` matches an absent attribute.
        return not values if node.op == "eq" else bool(values)
    exact = case_exact(name)
    if node.op == "ne":
        # `ne` is "no value equals", so an absent attribute is not equal to anything.
        return not any(_compare("eq", value, node.value, exact, name) for value in values)
    return any(_compare(node.op, value, node.value, exact, name) for value in values)


def _get(obj: object, key: str) -> object:
    """Case-insensitive key lookup (RFC 7643 §2.1); exact spelling wins."""
    if not isinstance(obj, dict):
        return None
    if key in obj:
        return obj[key]
    folded = key.casefold()
    for candidate, value in obj.items():
        if isinstance(candidate, str) and candidate.casefold() == folded:
            return value
    return None


def _flatten(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return [value]


def _resolve(obj: dict, path: AttrPath) -> list:
    """Every non-null value at `path`; extension URNs select their sub-object, core URNs mean top level."""
    base = obj
    if path.urn and path.urn.lower() not in CORE_URNS:
        base = _get(obj, path.urn)
    found = _flatten(_get(base, path.attr))
    if path.sub is None:
        return found
    return [value for item in found if isinstance(item, dict) for value in _flatten(_get(item, path.sub))]


def _has_value(value: object) -> bool:
    """RFC 7644 §3.4.2.2 `pr`: a non-empty value, or a complex value with some non-empty sub-attribute."""
    if isinstance(value, str):
        return value != ""
    if isinstance(value, list):
        return any(_has_value(item) for item in value)
    if isinstance(value, dict):
        return any(_has_value(item) for item in value.values())
    return value is not None


_OPERATORS = {
    "eq": operator.eq,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
    "co": lambda attr, wanted: wanted in attr,
    "sw": lambda attr, wanted: attr.startswith(wanted),
    "ew": lambda attr, wanted: attr.endswith(wanted),
}


def _compare(op: str, actual: object, wanted: object, exact: bool, name: str) -> bool:
    if isinstance(actual, dict):
        # A complex value compares through its `value` sub-attribute (RFC 7643 §2.4), e.g. `emails co "x"`.
        if _get(actual, "value") is None:
            if op in ORDERING_OPS:
                raise InvalidFilterError(
                    f"Invalid filter: '{op}' cannot order the complex attribute '{name}'."
                )
            return False
        actual = _get(actual, "value")
    if isinstance(actual, bool):
        if op in ORDERING_OPS:
            raise InvalidFilterError(f"Invalid filter: '{op}' cannot compare the boolean attribute '{name}'.")
        return op == "eq" and actual is wanted
    if isinstance(wanted, bool):
        return False
    if isinstance(actual, str) and isinstance(wanted, str):
        dates = _datetimes(actual, wanted) if op not in SUBSTRING_OPS else None
        if dates:
            actual, wanted = dates
        elif not exact:
            actual, wanted = name_key(actual), name_key(wanted)  # the userName rule, for every string
    elif not (isinstance(actual, int | float) and isinstance(wanted, int | float) and op not in SUBSTRING_OPS):
        return False
    return _OPERATORS[op](actual, wanted)


def _datetimes(left: str, right: str) -> tuple[datetime, datetime] | None:
    """Both sides as aware datetimes if both look like xsd:dateTime (RFC 7643 §2.3.5), else None."""
    if not (_DATETIME_PREFIX.match(left) and _DATETIME_PREFIX.match(right)):
        return None
    try:
        parsed = [datetime.fromisoformat(side) for side in (left, right)]
    except ValueError:
        return None
    # A value without an offset is taken as UTC, so naive and aware values still compare.
    return tuple(p if p.tzinfo else p.replace(tzinfo=UTC) for p in parsed)
