"""The OpenAPI modules of the script-facing areas document exactly their blueprints' routes, and their refs resolve."""

import re

import pytest

from sim.jumpcloud import create_app
from sim.jumpcloud.api.openapi import bulk
from sim.jumpcloud.api.openapi import dynamic
from sim.jumpcloud.api.openapi import imports
from sim.jumpcloud.api.openapi import organizations
from sim.jumpcloud.api.openapi import service_accounts

AREAS = {organizations: ("jumpcloud_organizations", "jumpcloud_v2_applications"),
         service_accounts: ("jumpcloud_service_accounts", "jumpcloud_oauth"),
         dynamic: ("jumpcloud_v2_suggestions",), bulk: ("jumpcloud_v2_bulk",), imports: ("jumpcloud_v2_imports",)}
ELSEWHERE = {"Error", "ErrorDetails"}  # the error schemas the v1/v2 modules of this package define
METHODS = {"get", "post", "put", "patch", "delete"}


def shape(path: str) -> str:
    """A path with its parameters blanked, so Flask's `<x>` and OpenAPI's `{y}` compare."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


@pytest.fixture(scope="module")
def served():
    app = create_app()
    routes = {}
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.setdefault(blueprint, set()).add((shape(rule.rule), method.lower()))
    yield routes
    app.extensions["jumpcloud"].pusher.stop()


@pytest.mark.parametrize("module", list(AREAS), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_every_route_is_documented_and_every_documented_route_served(served, module):
    documented = {(shape(path), method) for path, item in module.PATHS.items() for method in item if method in METHODS}
    routes = set().union(*(served[bp] for bp in AREAS[module]))
    assert documented == routes


def test_every_schema_reference_resolves():
    names = set().union(*(m.SCHEMAS for m in AREAS)) | ELSEWHERE
    text = repr([m.PATHS for m in AREAS] + [m.SCHEMAS for m in AREAS])
    refs = set(re.findall(r"#/components/schemas/([^'\"]+)", text))
    assert refs and refs <= names
    operation_ids = [op["operationId"] for m in AREAS for item in m.PATHS.values()
                     for method, op in item.items() if method in METHODS]
    assert len(operation_ids) == len(set(operation_ids))
