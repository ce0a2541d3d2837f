"""Tests for sim.scim.patch.apply rejecting bad PatchOps: the right SCIM error, the input untouched, limits, hostile input."""

import copy

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sim.scim.errors import InvalidPathError
from sim.scim.errors import InvalidSyntaxError
from sim.scim.errors import InvalidValueError
from sim.scim.errors import MutabilityError
from sim.scim.errors import NoTargetError
from sim.scim.errors import ScimError
from sim.scim.patch.apply import MAX_OPERATIONS
from sim.scim.patch.apply import apply_patch
from sim.scim.schemas import PATCH_OP_URN
from sim.scim.schemas import USER_URN
from tests.scim.patch.helpers import EXT
from tests.scim.patch.helpers import GROUP
from tests.scim.patch.helpers import USER
from tests.scim.patch.helpers import body
from tests.scim.patch.helpers import patched

# -- errors ----------------------------------------------------------------------------------------

ERROR_TABLE = [
    # (id, body, error)
    ("body not an object", [], InvalidSyntaxError),
    ("schemas missing", {"Operations": [{"op": "remove", "path": "nickName"}]}, InvalidSyntaxError),
    ("schemas wrong", {"schemas": [USER_URN], "Operations": [{"op": "remove", "path": "nickName"}]}, InvalidSyntaxError),
    ("Operations missing", {"schemas": [PATCH_OP_URN]}, InvalidSyntaxError),
    ("Operations not a list", {"schemas": [PATCH_OP_URN], "Operations": {"op": "add"}}, InvalidSyntaxError),
    ("Operations empty", body(), InvalidSyntaxError),
    ("operation not an object", body("replace"), InvalidSyntaxError),
    ("op missing", body({"path": "displayName", "value": "x"}), InvalidSyntaxError),
    ("op unknown", body({"op": "delete", "path": "displayName"}), InvalidSyntaxError),
    ("op not a string", body({"op": 1, "path": "displayName", "value": "x"}), InvalidSyntaxError),
    ("op capitalised", body({"op": "Replace", "path": "displayName", "value": "x"}), InvalidSyntaxError),
    ("path not a string", body({"op": "replace", "path": 5, "value": "x"}), InvalidPathError),
    ("path empty", body({"op": "replace", "path": " ", "value": "x"}), InvalidPathError),
    ("path unclosed filter", body({"op": "replace", "path": 'emails[type eq "work"', "value": "x"}), InvalidPathError),
    ("path double dot", body({"op": "replace", "path": "name..givenName", "value": "x"}), InvalidPathError),
    ("path too deep", body({"op": "replace", "path": "name.givenName.x", "value": "x"}), InvalidPathError),
    ("path unknown attribute", body({"op": "replace", "path": "shoeSize", "value": "x"}), InvalidPathError),
    ("path unknown sub-attribute", body({"op": "replace", "path": "name.nope", "value": "x"}), InvalidPathError),
    ("path unknown schema", body({"op": "replace", "path": "urn:foo:bar:attr", "value": "x"}), InvalidPathError),
    ("filter on a singular attribute", body({"op": "replace", "path": 'name[givenName eq "x"]', "value": {}}), InvalidPathError),
    ("pathless unknown attribute", body({"op": "replace", "value": {"shoeSize": 44}}), InvalidPathError),
    ("remove without path", body({"op": "remove"}), NoTargetError),
    ("replace filter matches nothing", body({"op": "replace", "path": 'emails[type eq "other"].value', "value": "x"}), NoTargetError),
    ("sub of an empty multi-valued", body({"op": "replace", "path": "phoneNumbers.value", "value": "1"}), NoTargetError),
    ("add without value", body({"op": "add", "path": "displayName"}), InvalidValueError),
    ("pathless value not an object", body({"op": "replace", "value": "x"}), InvalidValueError),
    ("string boolean", body({"op": "replace", "path": "active", "value": "false"}), InvalidValueError),
    ("number for a string", body({"op": "replace", "path": "displayName", "value": 5}), InvalidValueError),
    ("boolean for a string", body({"op": "replace", "path": "name.givenName", "value": True}), InvalidValueError),
    ("string for a list", body({"op": "replace", "path": "emails", "value": "a@b.test"}), InvalidValueError),
    ("string for a complex", body({"op": "replace", "path": "name", "value": "Jane Doe"}), InvalidValueError),
    ("bad sub-attribute type", body({"op": "add", "path": "emails", "value": [{"value": 1}]}), InvalidValueError),
    ("unknown sub-attribute in value", body({"op": "replace", "path": "name", "value": {"nope": "x"}}), InvalidValueError),
    ("two primaries", body({"op": "replace", "path": "emails", "value": [{"value": "a", "primary": True}, {"value": "b", "primary": True}]}), InvalidValueError),
    ("null element", body({"op": "add", "path": "emails", "value": [None]}), InvalidValueError),
    ("required set to null", body({"op": "replace", "path": "userName", "value": None}), InvalidValueError),
    ("schemas in pathless value", body({"op": "replace", "value": {"schemas": ["urn:x"]}}), InvalidValueError),
    ("replace id", body({"op": "replace", "path": "id", "value": "a-other"}), MutabilityError),
    ("pathless different id", body({"op": "replace", "value": {"id": "a-other", "displayName": "x"}}), MutabilityError),
    ("remove id", body({"op": "remove", "path": "id"}), MutabilityError),
    ("replace meta", body({"op": "replace", "path": "meta", "value": {"version": "1"}}), MutabilityError),
    ("pathless meta", body({"op": "replace", "value": {"meta": {"version": "1"}}}), MutabilityError),
    ("add groups", body({"op": "add", "path": "groups", "value": [{"value": "r-2"}]}), MutabilityError),
    ("remove groups member", body({"op": "remove", "path": 'groups[value eq "r-1"]'}), MutabilityError),
    ("manager displayName", body({"op": "replace", "path": f"{EXT}:manager.displayName", "value": "x"}), MutabilityError),
    ("manager displayName in value", body({"op": "replace", "path": f"{EXT}:manager", "value": {"displayName": "x"}}), MutabilityError),
    ("remove required userName", body({"op": "remove", "path": "userName"}), MutabilityError),
]


@pytest.mark.parametrize(("case", "bad_body", "error"), ERROR_TABLE, ids=[row[0] for row in ERROR_TABLE])
def test_bad_requests_raise_the_right_scim_error_and_leave_the_input_alone(case, bad_body, error):
    before = copy.deepcopy(USER)
    with pytest.raises(error) as caught:
        apply_patch(USER, bad_body, "User")
    assert caught.value.status == 400
    assert caught.value.scim_type == error.scim_type
    assert caught.value.detail
    assert before == USER


@pytest.mark.parametrize(
    ("operation", "error"),
    [
        ({"op": "remove", "path": "displayName"}, MutabilityError),  # required for Group (StrongDM role name)
        ({"op": "replace", "path": 'members[value eq "a-1"].value', "value": "a-2"}, MutabilityError),  # immutable
        ({"op": "add", "path": f"{EXT}:department", "value": "x"}, InvalidPathError),  # not a Group schema
        ({"op": "replace", "path": "members", "value": [{"value": "a-1", "shoe": 1}]}, InvalidValueError),
    ],
)
def test_group_specific_errors(operation, error):
    before = copy.deepcopy(GROUP)
    with pytest.raises(error):
        patched(GROUP, operation, resource_type="Group")
    assert before == GROUP


def test_a_failing_later_operation_leaves_the_input_untouched_and_names_its_index():
    before = copy.deepcopy(USER)
    with pytest.raises(MutabilityError, match=r"Operations\[1\]"):
        patched(USER, {"op": "replace", "path": "displayName", "value": "changed"}, {"op": "remove", "path": "id"})
    assert before == USER


def test_success_returns_a_new_dict_and_leaves_the_input_untouched():
    before = copy.deepcopy(USER)
    result = patched(USER, {"op": "add", "path": "emails", "value": [{"value": "n@x.test"}]}, {"op": "replace", "path": "name.givenName", "value": "Z"})
    assert result is not USER
    assert before == USER


@pytest.mark.parametrize(("count", "ok"), [(MAX_OPERATIONS, True), (MAX_OPERATIONS + 1, False)])
def test_at_most_a_thousand_operations_per_request(count, ok):
    many = body(*[{"op": "replace", "path": "displayName", "value": str(i)} for i in range(count)])
    if ok:
        assert apply_patch(USER, many, "User")["displayName"] == str(count - 1)
    else:
        with pytest.raises(InvalidSyntaxError, match="Too many operations"):
            apply_patch(USER, many, "User")


def test_unknown_dialect_is_a_programming_error():
    with pytest.raises(ValueError):
        apply_patch(USER, body({"op": "remove", "path": "nickName"}), "User", dialect="jumpcloud")


# -- hostile input ---------------------------------------------------------------------------------

_PATHS = st.sampled_from(
    ["displayName", "name", "name.givenName", "emails", "emails.value", 'emails[type eq "work"].value',
     "emails[value gt true]", 'members[value eq "a-1"]', "members", "active", "id", "meta", "groups", EXT,
     f"{EXT}:manager", f"{EXT}:manager.value", 'emails[type[value eq 1]]', "addresses[type pr].primary"]
) | st.text(max_size=30)
_KEYS = st.sampled_from(["value", "type", "primary", "display", "givenName", "active", "members", "emails", "id"])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS | st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)
_OPERATION = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "remove", "replace", "Add", "x"])}, optional={"path": _PATHS, "value": _JSON}
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_OPERATION, min_size=1, max_size=4), st.sampled_from(["User", "Group"]), st.sampled_from(["generic", "azure"]))
def test_arbitrary_operations_raise_only_scim_errors_and_never_mutate_the_input(operations, resource_type, dialect):
    resource = USER if resource_type == "User" else GROUP
    before = copy.deepcopy(resource)
    try:
        apply_patch(resource, body(*operations), resource_type, dialect=dialect)
    except ScimError as error:
        assert 400 <= error.status < 500
    assert resource == before


def test_error_details_stay_short_for_huge_paths():
    with pytest.raises(InvalidPathError) as caught:
        patched(USER, {"op": "replace", "path": "x" * 100_000, "value": 1})
    assert len(caught.value.detail) <= 300
