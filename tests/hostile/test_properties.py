"""Property-based hostile input: the filter parser, the PATCH engine and both apps' HTTP endpoints."""

import copy
import json

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sim.scim.errors import InvalidFilterError
from sim.scim.errors import ScimError
from sim.scim.filter.parse import filter_resources
from sim.scim.filter.parse import parse
from sim.scim.filter.parse import parse_path
from sim.scim.patch.apply import apply_patch
from tests.hostile.helpers import SCIM
from tests.hostile.helpers import fingerprint

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

# -- pieces of filters: real attribute names, operators and literals, glued in hostile ways ------------------

ATTRS = st.sampled_from(["userName", "name.givenName", "emails", "emails.value", "members", "members.value",
                         "meta.lastModified", "active", "externalId", "displayName", "id", "x", "a.b.c",
                         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "", "5"])
OPS = st.sampled_from(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "like", "and", "or", "not"])
LITERALS = st.one_of(st.just("true"), st.just("false"), st.just("null"),
                     st.integers(-10**30, 10**30).map(str), st.floats(allow_nan=True).map(str),
                     st.text(max_size=12).map(json.dumps), st.text(max_size=6).map(lambda t: f'"{t}'))


@st.composite
def filters(draw, depth=0):
    """A filter-shaped string: mostly well-formed, sometimes broken in one place."""
    kind = draw(st.integers(0, 6 if depth < 4 else 1))
    if kind == 0:
        return f"{draw(ATTRS)} {draw(OPS)} {draw(LITERALS)}"
    if kind == 1:
        return f"{draw(ATTRS)} pr"
    if kind == 2:
        return f"({draw(filters(depth + 1))})"
    if kind == 3:
        return f"not ({draw(filters(depth + 1))})"
    if kind == 4:
        return f"{draw(filters(depth + 1))} {draw(st.sampled_from(['and', 'or', 'AND', 'xor']))} {draw(filters(depth + 1))}"
    if kind == 5:
        return f"{draw(ATTRS)}[{draw(filters(depth + 1))}]"
    text = draw(filters(depth + 1))
    cut = draw(st.integers(0, len(text)))
    return text[:cut] + draw(st.sampled_from(["(", ")", "[", "]", '"', "\\", "\x00", "\u202e", " "])) + text[cut:]


RESOURCES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(["userName", "name", "givenName", "emails", "value",
                                                                "type", "members", "meta", "active", "x"]),
                                               children, max_size=4)),
    max_leaves=12,
)


@FAST
@given(st.one_of(filters(), st.text(max_size=80)))
def test_the_filter_parser_raises_only_invalid_filter(text):
    try:
        parse(text)
    except InvalidFilterError:
        pass


@FAST
@given(filters(), st.lists(st.dictionaries(st.sampled_from(["userName", "name", "emails", "members", "meta", "active"]),
                                          RESOURCES, max_size=4), max_size=3))
def test_filtering_any_resources_raises_only_invalid_filter(text, resources):
    try:
        filter_resources(text, resources)
    except InvalidFilterError:
        pass


@FAST
@given(st.one_of(st.builds(lambda a, f, s: f"{a}[{f}]{s}", ATTRS, filters(), st.sampled_from(["", ".value", ".x", "]"])),
                 st.text(max_size=40)))
def test_the_patch_path_parser_raises_only_scim_errors(text):
    try:
        parse_path(text)
    except ScimError as error:
        assert 400 <= error.status < 500


# -- the PATCH engine -----------------------------------------------------------------------------------------

USER = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "a-0123456789abcdef", "userName": "ada@x.test",
        "name": {"givenName": "Ada", "familyName": "Lovelace"}, "active": True,
        "emails": [{"value": "ada@x.test", "type": "work", "primary": True}], "externalId": "e1"}
GROUP = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "r-0123456789abcdef",
         "displayName": "Eng", "members": [{"value": "a-0123456789abcdef", "display": "Ada"}]}
PATHS = st.one_of(st.none(), ATTRS, st.builds(lambda a, f: f"{a}[{f}]", ATTRS, filters()),
                  st.builds(lambda a, f, s: f"{a}[{f}].{s}", ATTRS, filters(), st.sampled_from(["value", "type", "x"])),
                  st.text(max_size=20))
OPERATION = st.fixed_dictionaries(
    {"op": st.one_of(st.sampled_from(["add", "replace", "remove", "Add", "REPLACE", "merge"]), st.integers())},
    optional={"path": st.one_of(PATHS, st.integers()), "value": RESOURCES},
)
BODIES = st.one_of(
    st.builds(lambda ops: {"schemas": [PATCH_URN], "Operations": ops}, st.lists(OPERATION, max_size=4)),
    st.builds(lambda ops: {"Operations": ops}, st.lists(OPERATION, max_size=2)),
    RESOURCES,
)


@FAST
@given(st.sampled_from([("User", USER), ("Group", GROUP)]), BODIES, st.sampled_from(["generic", "azure"]))
def test_the_patch_engine_raises_only_4xx_scim_errors_and_never_mutates_its_input(kind, body, dialect):
    resource_type, resource = kind
    before, body_before = copy.deepcopy(resource), copy.deepcopy(body)
    try:
        result = apply_patch(resource, body, resource_type, dialect=dialect)
    except ScimError as error:
        assert 400 <= error.status < 500
    else:
        assert isinstance(result, dict)
    assert resource == before
    assert body == body_before


# -- the HTTP endpoints of both apps ----------------------------------------------------------------------------

JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False), st.text(max_size=10)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.sampled_from(
                                   ["userName", "name", "givenName", "familyName", "active", "emails", "members",
                                    "value", "displayName", "schemas", "Operations", "op", "path", "externalId",
                                    "username", "email", "firstname", "lastname", "state", "suspended", "id", "type",
                                    "filter", "searchFilter", "limit", "skip", "service", "start_time"]),
                                   st.text(max_size=6)), children, max_size=5)),
    max_leaves=20,
)


WRITES = [("strongdm", "POST", f"{SCIM}/Users"), ("strongdm", "PUT", f"{SCIM}/Users/{{user_id}}"),
          ("strongdm", "PATCH", f"{SCIM}/Users/{{user_id}}"), ("strongdm", "POST", f"{SCIM}/Groups"),
          ("strongdm", "PUT", f"{SCIM}/Groups/{{group_id}}"), ("strongdm", "PATCH", f"{SCIM}/Groups/{{group_id}}"),
          ("jumpcloud", "POST", "/api/systemusers"), ("jumpcloud", "PUT", "/api/systemusers/{jc_user_id}"),
          ("jumpcloud", "POST", "/api/search/systemusers"), ("jumpcloud", "POST", "/api/v2/usergroups"),
          ("jumpcloud", "PUT", "/api/v2/usergroups/{jc_group_id}"),
          ("jumpcloud", "POST", "/api/v2/usergroups/{jc_group_id}/members"),
          ("jumpcloud", "POST", "/insights/directory/v1/events")]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(WRITES), JSON)
def test_random_json_bodies_never_get_a_500_and_refusals_change_nothing(apps, endpoint, body):
    name, method, path = endpoint
    app = apps.app(name)
    before = fingerprint(app)
    response = app.test_client().open(path.format(**apps.ids), method=method, data=json.dumps(body),
                                      headers={**apps.credentials(name), "Content-Type": "application/json"})
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert fingerprint(app) == before


READS = [("strongdm", f"{SCIM}/Users"), ("strongdm", f"{SCIM}/Groups"), ("jumpcloud", "/api/systemusers"),
         ("jumpcloud", "/api/v2/usergroups"), ("jumpcloud", "/api/applications")]
PARAMS = st.dictionaries(st.sampled_from(["filter", "count", "startIndex", "attributes", "excludedAttributes",
                                          "sortBy", "sortOrder", "limit", "skip", "sort", "fields", "search"]),
                         st.one_of(filters(), st.text(max_size=20), st.integers(-2**70, 2**70).map(str)), max_size=3)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(READS), PARAMS)
def test_random_query_parameters_never_get_a_500(apps, endpoint, params):
    name, path = endpoint
    response = apps.app(name).test_client().get(path, query_string=params, headers=apps.credentials(name))
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
