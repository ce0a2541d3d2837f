"""Value checks for PATCH: type coercion against the schema, multi-valued lists, primary and equality rules."""

from sim.scim.attributes import Attribute
from sim.scim.errors import InvalidValueError
from sim.scim.errors import MutabilityError

_STRING_TYPES = ("string", "reference", "dateTime", "binary")


def _kind(value: object) -> str:
    """A JSON type name for error details."""
    if value is None:
        return "null"
    return {bool: "boolean", str: "string", int: "number", float: "number", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )


def coerce(definition: Attribute, value: object, dialect: str) -> object:
    """Check one (non-list) value against its definition (RFC 7643 §2.3); None stays None (unassigned)."""
    if value is None:
        return None
    kind = definition.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        # Entra sends "True"/"False" (documented quirk); only the azure dialect forgives it.
        if dialect == "azure" and isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
    elif kind in _STRING_TYPES:
        if isinstance(value, str):
            return value
    elif kind == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind == "decimal":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
    elif kind == "complex":
        if isinstance(value, dict):
            return _coerce_complex(definition, value, dialect)
    raise InvalidValueError(f"Attribute '{definition.name}' must be of type {kind}, got {_kind(value)}.")


def _coerce_complex(definition: Attribute, value: dict, dialect: str) -> dict:
    """Check each sub-attribute; keys take the schema's spelling and null sub-attributes are dropped."""
    result = {}
    for name, item in value.items():
        sub = definition.sub(name) if isinstance(name, str) else None
        if sub is None:
            raise InvalidValueError(f"Unknown sub-attribute '{name}' of '{definition.name}'.")
        checked = coerce(sub, item, dialect)
        if checked is not None:
            result[sub.name] = checked
    return result


def coerce_multi(definition: Attribute, value: object, op: str, dialect: str) -> list:
    """Check a value for a multi-valued attribute; a lone object is wrapped for `add` (and any op on azure)."""
    if isinstance(value, dict) and (op == "add" or dialect == "azure"):
        value = [value]
    if not isinstance(value, list):
        raise InvalidValueError(f"Attribute '{definition.name}' is multi-valued and takes an array, got {_kind(value)}.")
    items = []
    for item in value:
        if item is None:
            raise InvalidValueError(f"Attribute '{definition.name}' cannot hold a null value.")
        items.append(coerce(definition, item, dialect))
    if sum(1 for item in items if isinstance(item, dict) and item.get("primary") is True) > 1:
        raise InvalidValueError(f"Only one value of '{definition.name}' may be primary (RFC 7643 §2.4).")
    return items


def enforce_primary(elements: list, index: int) -> None:
    """If elements[index] is primary, unset `primary` on the others (RFC 7643 §2.4: true at most once)."""
    chosen = elements[index]
    if not (isinstance(chosen, dict) and chosen.get("primary") is True):
        return
    for position, element in enumerate(elements):
        if position != index and isinstance(element, dict) and element.get("primary") is True:
            element["primary"] = False


def _value(element: dict) -> object:
    """The `value` sub-attribute, whatever its key's case."""
    return next((v for k, v in element.items() if isinstance(k, str) and k.lower() == "value"), None)


def same_element(definition: Attribute, a: object, b: object, by_value: bool = False) -> bool:
    """Whether two values are the same for add's dedupe (RFC 7644 §3.5.2.1) or a removal by value.

    Members (immutable `value`, an id) are the same member whatever their `display`; other values must be equal.
    """
    value_def = definition.sub("value")
    identity = by_value or (value_def is not None and value_def.mutability == "immutable")
    if not (identity and isinstance(a, dict) and isinstance(b, dict)):
        return a == b
    left, right = _value(a), _value(b)
    if left is None or right is None:
        return a == b
    if isinstance(left, str) and isinstance(right, str) and not (value_def and value_def.case_exact):
        return left.lower() == right.lower()
    return left == right


def removal_match(definition: Attribute, element: object, target: object) -> bool:
    """Whether a value given with `remove` names this element: by `value` when both have one, else equality."""
    if isinstance(element, dict) and isinstance(target, dict):
        if any(isinstance(k, str) and k.lower() == "value" for k in target):
            wanted = _value(target)
            return same_element(definition, element, {"value": wanted}, by_value=True)
    return element == target


def set_sub(element: dict, sub: Attribute, value: object) -> None:
    """Set (or with None, remove) a sub-attribute, keeping the element's spelling of the key."""
    key = next((k for k in element if isinstance(k, str) and k.lower() == sub.name.lower()), None)
    if sub.mutability == "immutable" and key is not None and element[key] != value:
        raise MutabilityError(f"Sub-attribute '{sub.name}' is immutable.")
    if value is None:
        if key is not None:
            del element[key]
        return
    element[key or sub.name] = value
