"""The mock JumpCloud's own OpenAPI 3.1 document: exactly the routes it serves, named as JumpCloud names them.

Each module of `MODULES` covers one area (a blueprint) with `PATHS` (OpenAPI path items) and `SCHEMAS`
(component schemas); `document()` assembles them. A new area adds its module to `MODULES`.
Served without a key at `GET /api/openapi.json`, as JumpCloud publishes its own specs
(https://docs.jumpcloud.com/api/); `sim openapi` prints it.
"""

from flask import Blueprint
from flask import jsonify
from flask import request

from sim.jumpcloud.api.openapi import bulk
from sim.jumpcloud.api.openapi import dynamic
from sim.jumpcloud.api.openapi import imports
from sim.jumpcloud.api.openapi import insights
from sim.jumpcloud.api.openapi import organizations
from sim.jumpcloud.api.openapi import service_accounts
from sim.jumpcloud.api.openapi import v1
from sim.jumpcloud.api.openapi import v2
from sim.jumpcloud.api.openapi.common import answer
from sim.jumpcloud.api.openapi.common import v1_errors

MODULES = (v1, v2, insights, organizations, service_accounts, dynamic, bulk, imports)
DOCUMENT_PATH = "/api/openapi.json"
DESCRIPTION = (
    "The JumpCloud REST API as the offline simulator serves it: the v1 and v2 routes and Directory Insights queries "
    "it simulates, with the paths, operationIds and schema names of JumpCloud's console and Directory Insights "
    "specs. Authenticate with `x-api-key`; `x-org-id` is accepted and checked.")

SELF = {DOCUMENT_PATH: {"get": {
    "operationId": "getApiOpenapiJson", "summary": "This document (no key needed)", "tags": ["Simulator"],
    "security": [], "responses": {"200": answer("The OpenAPI 3.1 document", {"type": "object"}), **v1_errors()}}}}


def document(server_url: str) -> dict:
    """The OpenAPI 3.1 document for a server at `server_url`, assembled from `MODULES`."""
    paths, schemas = dict(SELF), {}
    for module in MODULES:
        for name, item in module.PATHS.items():
            if name in paths:
                raise ValueError(f"{module.__name__} documents {name} again")
            paths[name] = item
        for name, schema in module.SCHEMAS.items():
            if name in schemas and schemas[name] != schema:
                raise ValueError(f"{module.__name__} redefines schema {name}")
            schemas[name] = schema
    return {
        "openapi": "3.1.0",
        "info": {"title": "JumpCloud API (simulated)", "version": "1.0", "description": DESCRIPTION},
        "servers": [{"url": server_url.rstrip("/")}],
        "security": [{"x-api-key": []}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items())), "securitySchemes": {
            "x-api-key": {"type": "apiKey", "in": "header", "name": "x-api-key"}}},
    }


bp = Blueprint("jumpcloud_openapi", __name__)


@bp.get(DOCUMENT_PATH)
def openapi_document():
    """The document, with this server as its `servers` entry (no key: the real product's specs are public)."""
    return jsonify(document(request.host_url))
