"""Tests for sim.scim.schemas: URNs, attribute lookup, discovery documents, ListResponse and projection."""

import copy
import functools

import pytest
from scim2_models import Context
from scim2_models import EnterpriseUser
from scim2_models import Group
from scim2_models import ResourceType
from scim2_models import Schema
from scim2_models import ServiceProviderConfig
from scim2_models import User

from sim.scim import schemas
from sim.scim.filter import parse as scim_filter
from sim.scim.filter.match import matches
from sim.scim.schemas import ENTERPRISE_URN
from sim.scim.schemas import GROUP_URN
from sim.scim.schemas import USER_URN

USER = {
    "schemas": [USER_URN, ENTERPRISE_URN],
    "id": "a-01ba754f6171667f",
    "externalId": "66e2d689590450d073d2df3b",
    "userName": "jane@example.test",
    "name": {"givenName": "Jane", "familyName": "Doe", "formatted": "Jane Doe"},
    "displayName": "Jane Doe",
    "active": True,
    "password": "s3cret",
    "emails": [{"value": "jane@example.test", "type": "work", "primary": True}, {"value": "j@home.test", "type": "home"}],
    "groups": [],
    ENTERPRISE_URN: {"department": "Sales", "manager": {"value": "a-02"}},
    "meta": {"resourceType": "User", "location": "Users/a-01ba754f6171667f"},
}


@pytest.mark.parametrize(
    ("constant", "urn"),
    [
        ("USER_URN", "urn:ietf:params:scim:schemas:core:2.0:User"),
        ("ENTERPRISE_URN", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
        ("GROUP_URN", "urn:ietf:params:scim:schemas:core:2.0:Group"),
        ("LIST_RESPONSE_URN", "urn:ietf:params:scim:api:messages:2.0:ListResponse"),
        ("PATCH_OP_URN", "urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ("SEARCH_REQUEST_URN", "urn:ietf:params:scim:api:messages:2.0:SearchRequest"),
        ("ERROR_URN", "urn:ietf:params:scim:api:messages:2.0:Error"),
        ("SCHEMA_URN", "urn:ietf:params:scim:schemas:core:2.0:Schema"),
        ("RESOURCE_TYPE_URN", "urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
        ("SPC_URN", "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
    ],
)
def test_urn_constants_are_the_rfc_urns(constant, urn):
    assert getattr(schemas, constant) == urn


@pytest.mark.parametrize(
    ("resource_type", "path", "urn", "name"),
    [
        ("User", "userName", None, "userName"),
        ("User", "USERNAME", None, "userName"),
        ("User", "name.GivenName", None, "givenName"),
        ("User", "emails.value", None, "value"),
        ("User", "id", None, "id"),
        ("User", "meta.location", None, "location"),
        ("User", f"{USER_URN}:displayName", None, "displayName"),
        ("User", f"{ENTERPRISE_URN}:department", None, "department"),
        ("User", f"{ENTERPRISE_URN.upper()}:manager.value", None, "value"),
        ("User", "department", ENTERPRISE_URN, "department"),
        ("User", "manager.displayName", ENTERPRISE_URN, "displayName"),
        ("user", "externalId", None, "externalId"),
        ("Group", "members.value", None, "value"),
        ("Group", "displayName", None, "displayName"),
    ],
)
def test_attribute_finds_definitions_case_insensitively(resource_type, path, urn, name):
    assert schemas.attribute(resource_type, path, urn).name == name


@pytest.mark.parametrize(
    ("resource_type", "path", "urn"),
    [
        ("User", "department", None),  # an extension attribute needs its URN
        ("User", "nope", None),
        ("User", "name.nope", None),
        ("User", "name.givenName.extra", None),
        ("User", "urn:foo:bar:userName", None),
        ("User", ENTERPRISE_URN, None),
        ("Group", f"{ENTERPRISE_URN}:department", None),
        ("Group", "userName", None),
        ("User", "userName", "urn:unknown"),
    ],
)
def test_attribute_returns_none_for_unknown_paths(resource_type, path, urn):
    assert schemas.attribute(resource_type, path, urn) is None


@pytest.mark.parametrize(
    ("resource_type", "path", "expected"),
    [
        ("User", "emails", True),
        ("User", "groups", True),
        ("User", "x509Certificates", True),
        ("User", "name", False),
        ("User", "emails.value", False),
        ("User", "nope", False),
        ("Group", "members", True),
        ("Group", "displayName", False),
    ],
)
def test_is_multi_valued(resource_type, path, expected):
    assert schemas.is_multi_valued(resource_type, path) is expected


@pytest.mark.parametrize(
    ("resource_type", "path", "expected"),
    [
        ("User", "id", True),
        ("User", "externalid", True),
        ("User", "username", False),
        ("User", "emails.value", False),
        ("User", "meta.location", True),
        ("User", "unknown", False),
        ("Group", "members.value", True),
        ("Group", "displayname", False),
    ],
)
def test_is_case_exact(resource_type, path, expected):
    assert schemas.is_case_exact(resource_type, path) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "JANE@EXAMPLE.TEST"', True),  # userName is caseExact false
        ('id eq "A-01BA754F6171667F"', False),  # id is caseExact true
        ('externalId eq "66E2D689590450D073D2DF3B"', False),
    ],
)
def test_is_case_exact_works_as_the_filter_hook(text, expected):
    hook = functools.partial(schemas.is_case_exact, "User")
    assert matches(scim_filter.parse(text), USER, case_exact=hook) is expected


def _validated(model, document):
    return model.model_validate(document, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


def test_schemas_list_is_a_list_response_of_three_valid_schema_resources():
    listing = schemas.schemas_list("https://sdm.test/provisioning/generic/v2")
    assert listing["schemas"] == [schemas.LIST_RESPONSE_URN]
    assert listing["totalResults"] == listing["itemsPerPage"] == len(listing["Resources"]) == 3
    ids = [_validated(Schema, resource).id for resource in listing["Resources"]]
    assert ids == [USER_URN, ENTERPRISE_URN, GROUP_URN]
    for resource in listing["Resources"]:
        assert resource["meta"] == {
            "resourceType": "Schema",
            "location": f"https://sdm.test/provisioning/generic/v2/Schemas/{resource['id']}",
        }


@pytest.mark.parametrize(("model", "urn"), [(User, USER_URN), (EnterpriseUser, ENTERPRISE_URN), (Group, GROUP_URN)])
def test_schema_tables_agree_with_scim2_models(model, urn):
    # Independent source: the schema scim2-models derives from RFC 7643. caseExact/required differ in a few
    # places where scim2-models departs from RFC 7643 §8.7.1, so only these characteristics are compared.
    keys = ("name", "type", "multiValued", "mutability", "returned", "uniqueness")

    def shape(attributes):
        return sorted(
            (tuple(a[k] for k in keys), shape(a.get("subAttributes") or [])) for a in attributes
        )

    theirs = model.to_schema().model_dump(mode="json")["attributes"]
    assert shape(schemas.schema_by_id(urn)["attributes"]) == shape(theirs)


def test_schema_attributes_carry_every_rfc_7643_section_7_characteristic():
    def walk(attributes):
        for attr in attributes:
            assert {"name", "type", "multiValued", "required", "mutability", "returned", "uniqueness"} <= set(attr)
            assert ("subAttributes" in attr) is (attr["type"] == "complex")
            yield attr
            yield from walk(attr.get("subAttributes", []))

    for resource in schemas.schemas_list()["Resources"]:
        assert list(walk(resource["attributes"]))


def test_common_attributes_are_not_published_in_the_user_schema():
    names = {a["name"] for a in schemas.schema_by_id(USER_URN)["attributes"]}
    assert not names & {"id", "externalId", "meta"}
    password = next(a for a in schemas.schema_by_id(USER_URN)["attributes"] if a["name"] == "password")
    assert (password["mutability"], password["returned"]) == ("writeOnly", "never")


@pytest.mark.parametrize(("urn", "expected"), [(GROUP_URN.upper(), GROUP_URN), ("urn:nope", None)])
def test_schema_by_id_is_case_insensitive_and_none_when_unknown(urn, expected):
    found = schemas.schema_by_id(urn)
    assert (found and found["id"]) == expected


def test_schema_location_is_relative_without_a_base_url_as_strongdm_sends():
    assert schemas.schema_by_id(USER_URN)["meta"]["location"] == f"Schemas/{USER_URN}"


def test_resource_types_publish_user_with_the_enterprise_extension_and_group():
    listing = schemas.resource_types("https://sdm.test/v2/")
    parsed = {r["id"]: _validated(ResourceType, r) for r in listing["Resources"]}
    assert parsed["User"].endpoint == "/Users"
    assert parsed["User"].schema_ == USER_URN
    assert [(e.schema_, e.required) for e in parsed["User"].schema_extensions] == [(ENTERPRISE_URN, False)]
    assert parsed["Group"].endpoint == "/Groups"
    assert not parsed["Group"].schema_extensions
    assert listing["Resources"][1]["meta"] == {"resourceType": "ResourceType", "location": "https://sdm.test/v2/ResourceTypes/Group"}
    assert schemas.resource_type_by_id("nope") is None


@pytest.mark.parametrize(
    "flags",
    [
        {"filter_supported": True, "max_results": 100, "sort": False, "etag": False},
        {"filter_supported": False, "max_results": 0, "sort": True, "etag": True, "patch": False, "change_password": True},
        {"filter_supported": True, "max_results": 50, "sort": False, "etag": False, "bulk": True},
    ],
)
def test_service_provider_config_advertises_exactly_what_the_caller_supports(flags):
    config = schemas.service_provider_config(base_url="https://sdm.test/v2", **flags)
    parsed = _validated(ServiceProviderConfig, config)
    assert parsed.filter.supported is flags["filter_supported"]
    assert parsed.filter.max_results == flags["max_results"]
    assert parsed.sort.supported is flags["sort"]
    assert parsed.etag.supported is flags["etag"]
    assert parsed.patch.supported is flags.get("patch", True)
    assert parsed.bulk.supported is flags.get("bulk", False)
    assert (parsed.bulk.max_operations > 0) is flags.get("bulk", False)
    assert parsed.change_password.supported is flags.get("change_password", False)
    assert [(s["type"], s["primary"]) for s in config["authenticationSchemes"]] == [("oauthbearertoken", True)]
    assert config["meta"] == {"resourceType": "ServiceProviderConfig", "location": "https://sdm.test/v2/ServiceProviderConfig"}


def test_list_response_uses_capital_resources_and_page_length_as_items_per_page():
    page = [{"id": "a-1"}, {"id": "a-2"}]
    assert schemas.list_response(page, total=5, start_index=3) == {
        "Resources": page,
        "itemsPerPage": 2,
        "schemas": [schemas.LIST_RESPONSE_URN],
        "startIndex": 3,
        "totalResults": 5,
    }
    assert schemas.list_response([], total=0, start_index=1, items_per_page=10)["itemsPerPage"] == 10


@pytest.mark.parametrize(
    ("param", "expected"),
    [
        (None, None),
        ("", None),
        (" , ", None),
        ("userName", ["userName"]),
        ("userName, name.givenName,,emails", ["userName", "name.givenName", "emails"]),
        (f"{ENTERPRISE_URN}:department", [f"{ENTERPRISE_URN}:department"]),
    ],
)
def test_parse_attribute_list(param, expected):
    assert schemas.parse_attribute_list(param) == expected


ALWAYS = {"schemas": USER["schemas"], "id": USER["id"], "meta": USER["meta"]}


@pytest.mark.parametrize(
    ("attributes", "expected_extra"),
    [
        (["userName"], {"userName": "jane@example.test"}),
        (["USERNAME"], {"userName": "jane@example.test"}),
        (["name"], {"name": USER["name"]}),
        (["name.givenName"], {"name": {"givenName": "Jane"}}),
        (["name.givenName", "name.familyName"], {"name": {"givenName": "Jane", "familyName": "Doe"}}),
        (["emails.value"], {"emails": [{"value": "jane@example.test"}, {"value": "j@home.test"}]}),
        ([f"{USER_URN}:displayName"], {"displayName": "Jane Doe"}),
        ([f"{ENTERPRISE_URN}:department"], {ENTERPRISE_URN: {"department": "Sales"}}),
        ([f"{ENTERPRISE_URN}:manager.value"], {ENTERPRISE_URN: {"manager": {"value": "a-02"}}}),
        ([ENTERPRISE_URN], {ENTERPRISE_URN: USER[ENTERPRISE_URN]}),
        (["password"], {}),  # returned: never
        (["nope", "name.nope"], {}),
        (["id"], {}),
    ],
)
def test_project_with_attributes_keeps_only_those_plus_always_returned(attributes, expected_extra):
    assert schemas.project(USER, attributes, None, "User") == {**ALWAYS, **expected_extra}


@pytest.mark.parametrize(
    ("excluded", "removed_keys", "check"),
    [
        (["emails"], {"emails"}, None),
        (["EMAILS", "groups"], {"emails", "groups"}, None),
        (["name.givenName"], set(), lambda r: r["name"] == {"familyName": "Doe", "formatted": "Jane Doe"}),
        (["emails.type"], set(), lambda r: all("type" not in e for e in r["emails"])),
        ([f"{ENTERPRISE_URN}:manager"], set(), lambda r: r[ENTERPRISE_URN] == {"department": "Sales"}),
        ([f"{ENTERPRISE_URN}:manager", f"{ENTERPRISE_URN}:department"], {ENTERPRISE_URN}, None),
        (["id", "schemas", "meta"], set(), None),  # always returned
    ],
)
def test_project_with_excluded_attributes(excluded, removed_keys, check):
    result = schemas.project(USER, None, excluded, "User")
    assert set(result) == set(USER) - removed_keys - {"password"}
    if check:
        assert check(result)


def test_project_never_returns_the_password_and_never_mutates_the_input():
    before = copy.deepcopy(USER)
    assert "password" not in schemas.project(USER, None, None, "User")
    schemas.project(USER, ["name.givenName"], ["emails"], "User")
    assert USER == before
