"""The step vocabulary of a scenario, and its validation: every error names the step and the field.

A scenario is `{"name", "description", "steps": [...]}` (or a bare list of steps). A step is an object
with `do` (a directory change) or `wait: converged` (until the pusher has nothing left to push). Field
names are JumpCloud's systemuser names (`firstname`, `jobTitle`, …); users are referred to by username,
email or `_id`, groups by name.
"""

from dataclasses import dataclass
from dataclasses import field

from sim.jumpcloud.directory.shapes import clean_user_input
from sim.jumpcloud.errors import JumpCloudError

MAX_STEPS = 10_000
MAX_TEXT = 255  # JumpCloud's own limit on most systemuser strings
MAX_NOTE = 2000
WAIT_TIMEOUT = 300.0  # seconds a `wait` waits by default (and at most 3600)
STATES = ("ACTIVATED", "STAGED", "SUSPENDED")
UPDATE_METHODS = ("PUT", "PATCH")
DELETE_MODES = ("deactivate", "delete")

# kind -> (required fields, optional fields); every kind may also carry a `note` (shown in reports).
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hire": (("username", "email"), ("firstname", "lastname", "displayname", "department", "jobTitle",
                                     "location", "employeeType", "employeeIdentifier", "company", "costCenter",
                                     "manager", "groups", "state")),
    "update": (("user", "fields"), ()),
    "rename": (("user",), ("firstname", "lastname", "displayname", "email", "username")),
    "transfer": (("user", "department"), ("jobTitle", "manager", "groups")),
    "manager": (("user", "manager"), ()),
    "suspend": (("user",), ()),
    "reactivate": (("user",), ()),
    "delete": (("user",), ()),
    "create-group": (("name",), ("description", "members", "bind")),
    "rename-group": (("group", "name"), ()),
    "delete-group": (("group",), ()),
    "add-member": (("group", "user"), ()),
    "remove-member": (("group", "user"), ()),
    "configure": ((), ("update_method", "delete_mode")),
}


class ScenarioError(Exception):
    """A scenario that cannot be read, validated or played; the message names the step and the field."""


@dataclass(frozen=True)
class Step:
    """One validated step: `kind` is a `KINDS` key or `wait`; `number` counts from 1."""

    number: int
    kind: str
    fields: dict = field(default_factory=dict)
    note: str = ""

    def label(self) -> str:
        """`step 3 (transfer)`: how errors and reports name this step."""
        return f"step {self.number} ({self.kind})"

    def to_dict(self) -> dict:
        """The step as a scenario file writes it."""
        head = {"wait": "converged"} if self.kind == "wait" else {"do": self.kind}
        return {**head, **self.fields, **({"note": self.note} if self.note else {})}


@dataclass(frozen=True)
class Scenario:
    """A validated scenario."""

    name: str
    description: str
    steps: tuple[Step, ...]

    def to_dict(self) -> dict:
        """The scenario as a file holds it (JSON-ready)."""
        return {"name": self.name, "description": self.description, "steps": [s.to_dict() for s in self.steps]}


def _fail(where: str, name: str, message: str):
    raise ScenarioError(f"{where}: {name}: {message}")


def _text(where: str, name: str, value, *, nullable: bool = False, limit: int = MAX_TEXT) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value.strip():
        _fail(where, name, f"must be a non-empty string, not {str(value)[:40]!r}")
    if len(value) > limit:
        _fail(where, name, f"is longer than {limit} characters")
    return value.strip()


def _names(where: str, name: str, value) -> list[str]:
    if not isinstance(value, list):
        _fail(where, name, f"must be a list of names, not {value!r}")
    return [_text(where, f"{name}[{i}]", v) for i, v in enumerate(value)]


def _group_moves(where: str, value) -> dict:
    if not isinstance(value, dict) or set(value) - {"add", "remove"}:
        _fail(where, "groups", "must be an object with `add` and/or `remove` lists of group names")
    return {k: _names(where, f"groups.{k}", value[k]) for k in ("add", "remove") if k in value}


def _choice(where: str, name: str, value, choices) -> str:
    if value not in choices:
        _fail(where, name, f"must be one of {', '.join(choices)}, not {value!r}")
    return value


def _check_value(where: str, kind: str, name: str, value):
    """One field, cleaned: strings trimmed, lists of names, the kind's own shapes."""
    if name == "groups":
        return _group_moves(where, value) if kind == "transfer" else _names(where, name, value)
    if name == "members":
        return _names(where, name, value)
    if name == "manager":
        return _text(where, name, value, nullable=True)
    if name == "state":
        return _choice(where, name, value, STATES)
    if name == "bind":
        if not isinstance(value, bool):
            _fail(where, name, f"must be true or false, not {value!r}")
        return value
    if name == "update_method":
        return _choice(where, name, value, UPDATE_METHODS)
    if name == "delete_mode":
        return _choice(where, name, value, DELETE_MODES)
    if name == "fields":
        try:  # the same cleaning the REST API applies, so both drivers refuse the same bodies
            cleaned = clean_user_input(value, create=False)
        except JumpCloudError as exc:
            _fail(where, name, exc.message)
        if not cleaned:
            _fail(where, name, "names no systemuser field to change")
        return value
    return _text(where, name, value)


def _wait(where: str, raw: dict, number: int) -> Step:
    if raw.get("wait") != "converged":
        _fail(where, "wait", f"the only wait is `converged`, not {raw.get('wait')!r}")
    unknown = sorted(set(raw) - {"wait", "timeout", "note"})
    if unknown:
        _fail(where, unknown[0], "is not a field of a wait (timeout, note)")
    timeout = raw.get("timeout", WAIT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 3600:
        _fail(where, "timeout", f"must be a number of seconds in (0, 3600], not {timeout!r}")
    note = _text(where, "note", raw["note"], limit=MAX_NOTE) if "note" in raw else ""
    return Step(number, "wait", {"timeout": timeout} if "timeout" in raw else {}, note)


def parse_step(raw, number: int) -> Step:
    """Validate one step (`number` counts from 1); raises ScenarioError naming the step and the field."""
    where = f"step {number}"
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: must be an object with `do` or `wait`, not {type(raw).__name__}")
    if "wait" in raw:
        if "do" in raw:
            _fail(where, "do", "a step either does something (`do`) or waits (`wait`), not both")
        return _wait(f"{where} (wait)", raw, number)
    kind = raw.get("do")
    if kind not in KINDS:
        _fail(where, "do", f"unknown step {kind!r}: choose from {', '.join(KINDS)} (or `wait: converged`)")
    where = f"{where} ({kind})"
    required, optional = KINDS[kind]
    for name in required:
        if name not in raw:
            _fail(where, name, "is required")
    unknown = sorted(set(raw) - set(required) - set(optional) - {"do", "note"})
    if unknown:
        allowed = ", ".join((*required, *optional)) or "none"
        _fail(where, unknown[0], f"is not a field of `{kind}` (fields: {allowed})")
    fields = {name: _check_value(where, kind, name, raw[name]) for name in (*required, *optional) if name in raw}
    if kind == "rename" and len(fields) == 1:
        _fail(where, "user", "a rename changes at least one of firstname, lastname, displayname, email, username")
    if kind == "configure" and not fields:
        _fail(where, "update_method", "configure sets update_method and/or delete_mode")
    if kind == "hire" and "@" not in fields["email"]:
        _fail(where, "email", f"must be an email address, not {fields['email']!r}")
    note = _text(where, "note", raw["note"], limit=MAX_NOTE) if "note" in raw else ""
    return Step(number, kind, fields, note)


def parse_scenario(doc, *, name: str = "scenario") -> Scenario:
    """Validate a whole scenario document (an object with `steps`, or a list of steps)."""
    if isinstance(doc, list):
        doc = {"steps": doc}
    if not isinstance(doc, dict):
        raise ScenarioError(f"a scenario is an object with `steps` (or a list of steps), not {type(doc).__name__}")
    unknown = sorted(set(doc) - {"name", "description", "steps"})
    if unknown:
        raise ScenarioError(f"scenario: {unknown[0]}: is not a scenario field (name, description, steps)")
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ScenarioError("scenario: steps: must be a non-empty list of steps")
    if len(steps) > MAX_STEPS:
        raise ScenarioError(f"scenario: steps: at most {MAX_STEPS} steps, not {len(steps)}")
    title = _text("scenario", "name", doc["name"]) if "name" in doc else name
    description = _text("scenario", "description", doc["description"], limit=MAX_NOTE) if "description" in doc else ""
    return Scenario(title, description, tuple(parse_step(raw, i) for i, raw in enumerate(steps, 1)))
