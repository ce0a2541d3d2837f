"""RFC 7644 §3.5.2 PatchOp engine over resource dicts, plus the dialects real IdPs send.

Dialects (StrongDM serves /provisioning/{generic,okta,azure}/v2 and says generic gets no workarounds):
- "generic" and "okta": RFC 7644 as written. `op` must be lower case (the RFC spells it so and never calls it
  case-insensitive), booleans must be JSON booleans, a multi-valued attribute takes a list (a single object is
  wrapped only for `add`).
- "azure" (Microsoft Entra): `op` is case-insensitive (`Replace`, `Add`), "True"/"False" strings are coerced
  for boolean attributes, a single object is wrapped for a multi-valued attribute in any op, and a value
  filter that matches nothing on `replace` creates the element as Entra expects (`emails[type eq "work"].value`).
Everything else is shared: path-less values (Okta), path-less keys that are paths (Entra), JumpCloud's
`remove` of `members` with a value list, and Entra/Okta-style `add` creating an element from an `eq` filter.
"""

import copy
from dataclasses import dataclass

from sim.scim.attributes import Attribute
from sim.scim.errors import InvalidPathError
from sim.scim.errors import InvalidSyntaxError
from sim.scim.errors import InvalidValueError
from sim.scim.errors import MutabilityError
from sim.scim.errors import NoTargetError
from sim.scim.errors import ScimError
from sim.scim.filter.match import matches
from sim.scim.filter.nodes import And
from sim.scim.filter.nodes import Compare
from sim.scim.filter.parse import parse_path
from sim.scim.patch.values import coerce
from sim.scim.patch.values import coerce_multi
from sim.scim.patch.values import enforce_primary
from sim.scim.patch.values import removal_match
from sim.scim.patch.values import same_element
from sim.scim.patch.values import set_sub
from sim.scim.schemas import PATCH_OP_URN
from sim.scim.schemas import attribute
from sim.scim.schemas import extension_urns
from sim.scim.schemas import resource_schemas

DIALECTS = ("generic", "okta", "azure")
MAX_OPERATIONS = 1000
_OPS = ("add", "remove", "replace")
_MISSING = object()


def _key(mapping: dict, name: str) -> str | None:
    """Return the key of `mapping` equal to `name` ignoring case (RFC 7643 §2.1)."""
    lowered = name.lower()
    return next((k for k in mapping if isinstance(k, str) and k.lower() == lowered), None)


def _get(mapping: dict, name: str, default=None):
    """Case-insensitive `mapping.get`."""
    key = _key(mapping, name)
    return mapping[key] if key is not None else default


def apply_patch(resource: dict, body: dict, resource_type: str, *, dialect: str = "generic") -> dict:
    """Apply a PatchOp body (RFC 7644 §3.5.2) and return a new resource; the input is never mutated."""
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {DIALECTS}, not {dialect!r}")
    operations = _operations(body, dialect)
    patcher = _Patcher(copy.deepcopy(resource), resource_type, dialect)
    for index, (op, path, value) in enumerate(operations):
        try:
            patcher.apply(op, path, value)
        except ScimError as error:
            # Same class (scimType), with the failing operation named for the client; hostile paths are cut short.
            detail = f"Operations[{index}] ({op} {path or '(no path)'}): {error.detail}"
            raise type(error)(detail if len(detail) <= 300 else detail[:297] + "...") from None
    return patcher.resource


def changed(before: dict, after: dict) -> bool:
    """Whether two representations differ in anything but `meta` (StrongDM answers 204 when nothing changed)."""

    def strip(resource: dict) -> dict:
        return {k: v for k, v in resource.items() if not (isinstance(k, str) and k.lower() == "meta")}

    return strip(before) != strip(after)


def _operations(body: object, dialect: str) -> list[tuple[str, str | None, object]]:
    """Validate the PatchOp envelope and return (op, path, value) triples; value is _MISSING when absent."""
    if not isinstance(body, dict):
        raise InvalidSyntaxError("The PATCH body must be a JSON object.")
    schemas = _get(body, "schemas")
    if not isinstance(schemas, list) or PATCH_OP_URN.lower() not in [s.lower() for s in schemas if isinstance(s, str)]:
        raise InvalidSyntaxError(f"The PATCH body must have 'schemas' containing '{PATCH_OP_URN}'.")
    operations = _get(body, "Operations")
    if not isinstance(operations, list) or not operations:
        raise InvalidSyntaxError("'Operations' must be a non-empty list of operation objects.")
    if len(operations) > MAX_OPERATIONS:
        raise InvalidSyntaxError(f"Too many operations: {len(operations)} (at most {MAX_OPERATIONS} per request).")
    parsed = []
    for index, operation in enumerate(operations):
        if not isinstance(operation, dict):
            raise InvalidSyntaxError(f"Operations[{index}] must be an object.")
        op = _get(operation, "op")
        wanted = op.lower() if isinstance(op, str) and dialect == "azure" else op
        if wanted not in _OPS:
            raise InvalidSyntaxError(
                f"Operations[{index}]: 'op' must be one of 'add', 'remove', 'replace' (lower case), got {op!r}."
            )
        path = _get(operation, "path")
        if path is not None and not isinstance(path, str):
            raise InvalidPathError(f"Operations[{index}]: 'path' must be a string.")
        value_key = _key(operation, "value")
        parsed.append((wanted, path, operation[value_key] if value_key is not None else _MISSING))
    return parsed


@dataclass
class _Path:
    """A resolved PATCH path; `definition` is None when the path is an extension URN itself."""

    urn: str
    definition: Attribute | None
    filter: object = None
    sub: Attribute | None = None


class _Patcher:
    """Applies operations one by one to a private copy of the resource."""

    def __init__(self, resource: dict, resource_type: str, dialect: str):
        self.resource = resource
        self.resource_type = resource_type
        self.dialect = dialect
        self.urns = resource_schemas(resource_type)

    # -- path resolution -------------------------------------------------------------------------

    def path(self, text: str) -> _Path:
        """Resolve path text against the resource type's schemas; unknown names are invalidPath."""
        stripped = text.strip()
        for urn in extension_urns(self.resource_type):
            if stripped.lower() == urn.lower():
                return _Path(urn, None)
        parsed = parse_path(stripped)
        urn = self.urns[0]
        if parsed.path.urn is not None:
            urn = next((u for u in self.urns if u.lower() == parsed.path.urn.lower()), None)
            if urn is None:
                raise InvalidPathError(f"Schema '{parsed.path.urn}' is not a schema of {self.resource_type}.")
        definition = attribute(self.resource_type, parsed.path.attr, urn)
        if definition is None:
            raise InvalidPathError(f"Unknown attribute '{parsed.path.attr}' in path '{stripped}'.")
        sub_name = parsed.path.sub or parsed.sub
        if parsed.filter is not None and not (definition.multi_valued and definition.type == "complex"):
            raise InvalidPathError(f"A value filter needs a multi-valued complex attribute; '{definition.name}' is not.")
        if parsed.path.sub and parsed.filter is not None:
            raise InvalidPathError(f"Invalid path '{stripped}': the filter must follow the attribute name.")
        sub = None
        if sub_name is not None:
            sub = definition.sub(sub_name)
            if sub is None:
                raise InvalidPathError(f"Unknown sub-attribute '{sub_name}' of '{definition.name}'.")
        return _Path(urn, definition, parsed.filter, sub)

    def holder(self, urn: str, create: bool) -> dict | None:
        """Return the dict that holds the schema's attributes: the resource, or its extension object."""
        if urn == self.urns[0]:
            return self.resource
        key = _key(self.resource, urn)
        if key is None or not isinstance(self.resource[key], dict):
            if not create:
                return None
            key = key or urn
            self.resource[key] = {}
        if create:
            # RFC 7643 §3: `schemas` lists every extension the resource uses.
            schemas = self.resource.setdefault("schemas", [self.urns[0]])
            if isinstance(schemas, list) and urn.lower() not in [s.lower() for s in schemas if isinstance(s, str)]:
                schemas.append(urn)
        return self.resource[key]

    def tidy(self, urn: str) -> None:
        """Drop an extension object left empty, and its URN from `schemas`."""
        key = _key(self.resource, urn)
        if key is None or self.resource[key] != {}:
            return
        del self.resource[key]
        schemas = self.resource.get("schemas")
        if isinstance(schemas, list):
            self.resource["schemas"] = [s for s in schemas if not (isinstance(s, str) and s.lower() == urn.lower())]

    def matching(self, path: _Path, elements: list) -> list[int]:
        """Indexes of the elements a value filter selects (RFC 7644 §3.5.2 valuePath)."""
        name = path.definition.name

        def case_exact(dotted: str) -> bool:
            return bool((found := attribute(self.resource_type, f"{name}.{dotted}", path.urn)) and found.case_exact)

        return [i for i, e in enumerate(elements) if isinstance(e, dict) and matches(path.filter, e, case_exact)]

    # -- operations ------------------------------------------------------------------------------

    def apply(self, op: str, path_text: str | None, value: object) -> None:
        """Apply one validated operation."""
        if op == "remove":
            if path_text is None:
                raise NoTargetError("'remove' requires a path (RFC 7644 §3.5.2.2).")
            self.remove(self.path(path_text), value)
            return
        if value is _MISSING:
            raise InvalidValueError(f"'{op}' requires a 'value' (RFC 7644 §3.5.2).")
        if path_text is None:
            self.pathless(op, value)
        else:
            self.write(op, self.path(path_text), value)

    def pathless(self, op: str, value: object) -> None:
        """Path-less add/replace: each key of the object is an attribute, or (as Entra sends) itself a path."""
        if not isinstance(value, dict):
            raise InvalidValueError(f"A path-less '{op}' needs an object of attributes as its value.")
        for key, item in value.items():
            if key.lower() == "schemas":
                self.check_schemas(item)
                continue
            self.write(op, self.path(key), item)

    def check_schemas(self, value: object) -> None:
        """Accept a `schemas` key in a path-less value only if it names this resource type's schemas."""
        known = {u.lower() for u in self.urns}
        if not isinstance(value, list) or not all(isinstance(s, str) and s.lower() in known for s in value):
            raise InvalidValueError(f"'schemas' may only name {', '.join(self.urns)}.")

    def check_writable(self, path: _Path, value: object) -> bool:
        """Raise MutabilityError for readOnly targets; False means "ignore" (an unchanged `id`, as IdPs send it)."""
        definition = path.definition
        if definition.mutability == "readOnly":
            if definition.name == "id" and path.sub is None and value == self.resource.get("id"):
                return False
            raise MutabilityError(f"Attribute '{definition.name}' is readOnly.")
        if path.sub is not None and path.sub.mutability == "readOnly":
            raise MutabilityError(f"Attribute '{definition.name}.{path.sub.name}' is readOnly.")
        return True

    def write(self, op: str, path: _Path, value: object) -> None:
        """add or replace at a resolved path (RFC 7644 §3.5.2.1, §3.5.2.3)."""
        if path.definition is None:  # the extension URN itself: its object holds attributes
            if not isinstance(value, dict):
                raise InvalidValueError(f"'{path.urn}' takes an object of its attributes.")
            for key, item in value.items():
                if key.lower() == "schemas":  # an extension object may carry its own `schemas` (scim2-tester sends it)
                    self.check_schemas(item)
                    continue
                self.write(op, self.path(f"{path.urn}:{key}"), item)
            return
        if not self.check_writable(path, value):
            return
        definition = path.definition
        holder = self.holder(path.urn, create=True)
        key = _key(holder, definition.name) or definition.name
        if path.filter is not None:
            self.write_filtered(op, path, holder, key, value)
        elif path.sub is not None:
            self.write_sub(path, holder, key, value)
        elif value is None:
            # RFC 7643 §2.5: null is "unassigned", so setting null removes.
            if definition.required:
                raise InvalidValueError(f"Attribute '{definition.name}' is required and cannot be null.")
            holder.pop(key, None)
        elif definition.multi_valued:
            items = coerce_multi(definition, value, op, self.dialect)
            current = holder.get(key) if isinstance(holder.get(key), list) and op == "add" else []
            for item in items:
                if not any(same_element(definition, item, existing) for existing in current):
                    current.append(item)
                    enforce_primary(current, len(current) - 1)
            holder[key] = current
        elif definition.type == "complex":
            # RFC 7644 §3.5.2.3: sub-attributes not given are left unchanged (also for add, §3.5.2.1).
            incoming = coerce(definition, value, self.dialect)
            for sub_name in incoming:
                sub = definition.sub(sub_name)
                if sub.mutability == "readOnly":
                    raise MutabilityError(f"Attribute '{definition.name}.{sub.name}' is readOnly.")
            target = holder.get(key) if isinstance(holder.get(key), dict) else {}
            target.update(incoming)
            holder[key] = target
        else:
            holder[key] = coerce(definition, value, self.dialect)
        self.tidy(path.urn)

    def write_sub(self, path: _Path, holder: dict, key: str, value: object) -> None:
        """Set `attr.sub`; on a multi-valued attribute without a filter, every value's sub-attribute."""
        definition, sub = path.definition, path.sub
        new = coerce(sub, value, self.dialect)
        if definition.multi_valued:
            elements = holder.get(key)
            if not isinstance(elements, list) or not elements:
                raise NoTargetError(f"'{definition.name}' has no values to set '{sub.name}' on.")
            if sub.name == "primary" and new is True and len(elements) > 1:
                raise InvalidValueError("Only one value may be primary (RFC 7643 §2.4); use a value filter.")
            for element in elements:
                set_sub(element, sub, new)
            return
        if new is None and definition.required:
            raise InvalidValueError(f"Attribute '{definition.name}.{sub.name}' is required.")
        target = holder.get(key) if isinstance(holder.get(key), dict) else {}
        set_sub(target, sub, new)
        holder[key] = target
        if target == {}:
            del holder[key]

    def write_filtered(self, op: str, path: _Path, holder: dict, key: str, value: object) -> None:
        """add/replace through `attr[filter]` or `attr[filter].sub`."""
        definition, sub = path.definition, path.sub
        elements = holder.get(key) if isinstance(holder.get(key), list) else []
        selected = self.matching(path, elements)
        if not selected:
            seed = _seed(path, definition)
            if seed is None or (op == "replace" and self.dialect != "azure"):
                raise NoTargetError(f"No value of '{definition.name}' matches the path filter.")
            # Okta and Entra send add (Entra also replace) to `emails[type eq "work"].value` to create it.
            elements.append(seed)
            selected = [len(elements) - 1]
        if sub is not None:
            new = coerce(sub, value, self.dialect)
            for index in selected:
                set_sub(elements[index], sub, new)
        else:
            incoming = coerce(definition, value, self.dialect)
            if not isinstance(incoming, dict):
                raise InvalidValueError(f"A value of '{definition.name}' must be an object here.")
            for index in selected:
                elements[index] = copy.deepcopy(incoming) if op == "replace" else {**elements[index], **incoming}
        if len(selected) > 1 and any(elements[i].get("primary") is True for i in selected):
            raise InvalidValueError("Only one value may be primary (RFC 7643 §2.4).")
        enforce_primary(elements, selected[0])
        holder[key] = elements

    def remove(self, path: _Path, value: object) -> None:
        """remove (RFC 7644 §3.5.2.2); removing something absent changes nothing."""
        if path.definition is None:
            key = _key(self.resource, path.urn)
            if key is not None:
                self.resource[key] = {}
                self.tidy(path.urn)
            return
        definition, sub = path.definition, path.sub
        if definition.mutability == "readOnly" or (sub is not None and sub.mutability == "readOnly"):
            raise MutabilityError(f"Attribute '{definition.name}' is readOnly and cannot be removed.")
        if path.filter is None and (sub or definition).required:
            raise MutabilityError(f"Attribute '{definition.name}' is required and cannot be removed.")
        holder = self.holder(path.urn, create=False)
        key = _key(holder, definition.name) if holder is not None else None
        if key is None:
            return
        current = holder[key]
        if path.filter is not None:
            elements = current if isinstance(current, list) else []
            selected = set(self.matching(path, elements))
            if sub is not None:
                for index in selected:
                    set_sub(elements[index], sub, None)
            else:
                holder[key] = [e for i, e in enumerate(elements) if i not in selected]
        elif sub is not None:
            for element in current if isinstance(current, list) else [current]:
                if isinstance(element, dict):
                    set_sub(element, sub, None)
        elif value is not _MISSING and value is not None and definition.multi_valued:
            # JumpCloud and Entra remove members as `path: members` plus a value list: only those go.
            targets = value if isinstance(value, list) else [value]
            elements = current if isinstance(current, list) else []
            holder[key] = [e for e in elements if not any(removal_match(definition, e, t) for t in targets)]
        else:
            del holder[key]
        if key in holder and holder[key] in ([], {}):
            del holder[key]  # RFC 7644 §3.5.2.2: with every value gone, the attribute is unassigned
        self.tidy(path.urn)


def _seed(path: _Path, definition: Attribute) -> dict | None:
    """The element an `eq` filter (or `and` of them) describes, for creating it; None for other filters."""
    seed: dict = {}
    pending = [path.filter]
    while pending:
        node = pending.pop()
        if isinstance(node, And):
            pending += [node.left, node.right]
            continue
        if not (isinstance(node, Compare) and node.op == "eq" and node.path.sub is None):
            return None
        sub = definition.sub(node.path.attr)
        if sub is None:
            return None
        seed[sub.name] = node.value
    return seed
