"""Named helpers for the JumpCloud API tests: a settable clock, error-shape checks, and JumpCloud's spec schemas
(tests/jumpcloud/api/schemas) with checks against them."""

import datetime as dt
import json
import re
import threading
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing import Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent / "schemas"
SPEC_NAMES = ("console", "insights")
API_PREFIXES = ("/api", "/insights", "/oauth2")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
PARAMETER = re.compile(r"<[^>]+>|\{[^}]+\}")  # Flask's <name> or OpenAPI's {name}


def spec_registry() -> Registry:
    """The spec-derived schema files as a registry, each under its `urn:jumpcloud-spec:NAME` id."""
    resources = [Resource.from_contents(json.loads((SCHEMAS / f"{name}.json").read_text())) for name in SPEC_NAMES]
    return Registry().with_resources((r.id(), r) for r in resources)


REGISTRY = spec_registry()
# `format` is only an annotation in 2020-12 unless asserted: the spec's date-times (createdAt, expiresAt, …) are
# checked as RFC 3339 date-times.
FORMATS = Draft202012Validator.FORMAT_CHECKER
ROUTES = {k: v for k, v in json.loads((SCHEMAS / "routes.json").read_text()).items() if not k.startswith("$")}


def route_key(method: str, path: str) -> str:
    """`GET /api/systemusers/{}`: the method and a path with its parameters blanked (names differ per source)."""
    return f"{method} {PARAMETER.sub('{}', path.rstrip('/') or '/')}"


def served_routes(app) -> set[str]:
    """Every (method, path) the app answers under /api and /insights, as route keys."""
    keys = set()
    for rule in app.url_map.iter_rules():
        if not any(rule.rule == p or rule.rule.startswith(p + "/") for p in API_PREFIXES):
            continue
        keys.update(route_key(m, rule.rule) for m in rule.methods - SKIPPED_METHODS)
    return keys


def schema_for(key: str, status: int) -> dict | None:
    """The spec schema `routes.json` gives for a route key and status (`4XX` covers any 4xx)."""
    statuses = ROUTES[key]
    ref = statuses.get(str(status), statuses.get(f"{status // 100}XX", "missing"))
    if ref == "missing":
        raise AssertionError(f"{key}: no schema for status {status} in routes.json")
    if ref is None or isinstance(ref, dict):
        return ref
    name, _, pointer = ref.partition("#")
    return {"$ref": f"urn:jumpcloud-spec:{name}#{pointer}"}


def spec_properties(name: str) -> set[str]:
    """Every property a console spec schema names, through its allOf parts."""
    defs = json.loads((SCHEMAS / "console.json").read_text())["$defs"]
    out = set()
    for part in [defs[name], *defs[name].get("allOf", [])]:
        out |= set(part.get("properties", {}))
        if "$ref" in part:
            out |= spec_properties(part["$ref"].rsplit("/", 1)[1])
    return out


def spec_violations(schema: dict, body) -> list[str]:
    """Every way `body` breaks `schema`, as 'path: message' lines (empty when it conforms)."""
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}"
            for e in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))]


DOCUMENT_URI = "urn:sim-openapi"


def documented_operations(document: dict) -> dict[str, tuple[str, str]]:
    """Route key -> (path, method) of every operation in an OpenAPI document."""
    out = {}
    for path, item in document["paths"].items():
        for method in item:
            if method in ("get", "put", "post", "delete", "patch"):
                out[route_key(method.upper(), path)] = (path, method)
    return out


def documented_schema(document: dict, method: str, path: str, status: int) -> tuple[dict | None, Registry]:
    """The schema the document gives a route's answer with `status` (None when it has no body), and a registry
    that resolves the document's `#/components/...` references."""
    doc_path, doc_method = documented_operations(document)[route_key(method, path)]
    responses = document["paths"][doc_path][doc_method]["responses"]
    code = str(status) if str(status) in responses else f"{status // 100}XX"
    assert code in responses, f"{method} {doc_path}: the document has no {status} answer"
    if "content" not in responses[code]:
        return None, REGISTRY
    pointer = "/".join(part.replace("~", "~0").replace("/", "~1") for part in (
        "paths", doc_path, doc_method, "responses", code, "content", "application/json", "schema"))
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    return {"$ref": f"{DOCUMENT_URI}#/{pointer}"}, Registry().with_resource(DOCUMENT_URI, resource)


def document_violations(document: dict, method: str, path: str, response) -> list[str]:
    """Every way a response breaks the served document's schema for its route and status."""
    schema, registry = documented_schema(document, method, path, response.status_code)
    if schema is None:
        return [] if response.content == b"" else ["a body where the document has none"]
    validator = Draft202012Validator(schema, registry=registry, format_checker=FORMATS)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}" for e in validator.iter_errors(response.json())]



class SettableClock:
    """A clock that stands still until a test moves it (token expiry, scheduled jobs): no sleeping in tests."""

    def __init__(self, start: dt.datetime | None = None):
        self.t = start or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        self.lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self.lock:
            return self.t

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.t += dt.timedelta(seconds=seconds)


def v1_error(response, status: int) -> bool:
    """True if `response` is a v1 `ErrorDetails` body with this status."""
    body = response.json()
    return response.status_code == status and body.get("code") == status and "message" in body


def v2_error(response, status: int) -> bool:
    """True if `response` is a v2 `Error` body {code, message, status} with this status."""
    body = response.json()
    return response.status_code == status and set(body) == {"code", "message", "status"} and body["code"] == status
