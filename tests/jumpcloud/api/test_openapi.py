"""The mock's OpenAPI document (GET /api/openapi.json, `sim openapi`) names exactly the routes it serves.

That the answers match it is checked route by route in test_spec_shapes.py.
"""

import json

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from sim.cli import cli
from sim.jumpcloud import create_app
from sim.jumpcloud.directory.member_query import METHODS
from tests.jumpcloud.api.helpers import documented_operations
from tests.jumpcloud.api.helpers import served_routes


@pytest.fixture(scope="module")
def app():
    app = create_app()
    yield app
    app.extensions["jumpcloud"].pusher.stop()


@pytest.fixture(scope="module")
def document(app):
    response = app.test_client().get("/api/openapi.json", base_url="http://127.0.0.1:8470")
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def test_the_document_is_served_without_a_key_as_openapi_3_1_naming_this_server(document):
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://127.0.0.1:8470"}]
    assert document["components"]["securitySchemes"]["x-api-key"] == {"type": "apiKey", "in": "header", "name": "x-api-key"}


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)  # raises with the first violation of the OpenAPI 3.1 schema


def test_a_broken_document_would_be_caught(document):
    broken = json.loads(json.dumps(document))
    del broken["paths"]["/api/systemusers"]["get"]["responses"]["200"]["description"]
    with pytest.raises(Exception, match="description"):
        validate(broken)


def test_every_served_route_is_documented_and_every_documented_route_is_served(app, document):
    served, documented = served_routes(app), set(documented_operations(document))
    assert served - documented == set(), "served but not documented"
    assert documented - served == set(), "documented but not served"


def test_operations_are_named_once_and_carry_jumpcloud_path_parameter_names(document):
    operation_ids = [op["operationId"] for item in document["paths"].values() for m, op in item.items() if m != "parameters"]
    assert len(operation_ids) == len(set(operation_ids))
    assert "/api/systemusers/{id}" in document["paths"] and "/api/v2/usergroups/{group_id}/members" in document["paths"]
    assert document["paths"]["/api/systemusers"]["get"]["operationId"] == "getApiSystemusers"


def test_every_component_and_inline_schema_is_valid_json_schema_2020_12(document):
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for item in document["paths"].values():
        for method, op in item.items():
            for answer in ([] if method == "parameters" else op["responses"].values()):
                for content in answer.get("content", {}).values():
                    Draft202012Validator.check_schema(content["schema"])


def test_every_reference_resolves(document):
    text = json.dumps(document)
    for name in {part.split('"')[0] for part in text.split('"#/components/schemas/')[1:]}:
        assert name in document["components"]["schemas"], name


def test_sim_openapi_prints_the_served_document(document):
    result = CliRunner().invoke(cli, ["openapi", "--server", "http://127.0.0.1:8470"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == document


def test_another_method_on_the_document_is_a_405_in_the_v1_error_shape(app):
    response = app.test_client().post("/api/openapi.json")
    assert response.status_code == 405
    assert response.get_json() == {"code": 405, "message": "Method Not Allowed", "status": "Method Not Allowed", "details": []}


def test_a_user_group_is_created_with_any_membership_method_and_its_member_query(document):
    schemas = document["components"]["schemas"]
    post = schemas["UserGroupPost"]["properties"]
    assert post["membershipMethod"]["enum"] == list(METHODS) == schemas["UserGroup"]["properties"]["membershipMethod"]["enum"]
    assert post["memberQuery"] == {"$ref": "#/components/schemas/MemberQuery"}
    assert schemas["UserGroup"]["properties"]["memberQuery"] == {"$ref": "#/components/schemas/MemberQuery"}
    assert schemas["UserGroup"]["properties"]["memberQueryErrorFlags"] == {"type": "array", "items": {"type": "string"}}
