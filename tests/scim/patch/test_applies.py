"""Tests for sim.scim.patch.apply applying PatchOps: every op and path kind, RFC 7644 §3.5.2 examples, IdP dialects."""

import copy

import pytest

from sim.scim.errors import InvalidSyntaxError
from sim.scim.errors import InvalidValueError
from sim.scim.errors import NoTargetError
from sim.scim.patch.apply import apply_patch
from sim.scim.patch.apply import changed
from sim.scim.schemas import USER_URN
from tests.scim.patch.helpers import EXT
from tests.scim.patch.helpers import GROUP
from tests.scim.patch.helpers import MEMBER_ID
from tests.scim.patch.helpers import USER
from tests.scim.patch.helpers import emails_of
from tests.scim.patch.helpers import load
from tests.scim.patch.helpers import patched

# -- every op x path kind ------------------------------------------------------------------------

OP_PATH_TABLE = [
    # (op, path, value, getter, expected)
    ("add", "displayName", "JD", lambda r: r["displayName"], "JD"),
    ("replace", "displayName", "JD", lambda r: r["displayName"], "JD"),
    ("remove", "displayName", None, lambda r: "displayName" in r, False),
    ("add", "nickName", "Janie", lambda r: r["nickName"], "Janie"),
    ("replace", "DISPLAYNAME", "JD", lambda r: (r["displayName"], "DISPLAYNAME" in r), ("JD", False)),
    ("replace", f"{USER_URN}:displayName", "JD", lambda r: r["displayName"], "JD"),
    ("add", "name.givenName", "J", lambda r: r["name"], {"givenName": "J", "familyName": "Doe", "middleName": "Q"}),
    ("replace", "name.GIVENNAME", "J", lambda r: r["name"]["givenName"], "J"),
    ("remove", "name.middleName", None, lambda r: r["name"], {"givenName": "Jane", "familyName": "Doe"}),
    ("add", "name", {"honorificPrefix": "Dr"}, lambda r: r["name"]["honorificPrefix"] + r["name"]["givenName"], "DrJane"),
    ("replace", "name", {"givenName": "J"}, lambda r: r["name"], {"givenName": "J", "familyName": "Doe", "middleName": "Q"}),
    ("add", "emails", [{"value": "x@other.test", "type": "other"}], lambda r: sorted(emails_of(r)), ["home", "other", "work"]),
    ("replace", "emails", [{"value": "x@other.test", "type": "other"}], lambda r: sorted(emails_of(r)), ["other"]),
    ("remove", "emails", None, lambda r: "emails" in r, False),
    ("add", f"{EXT}:employeeNumber", "42", lambda r: r[EXT]["employeeNumber"], "42"),
    ("replace", f"{EXT}:department", "Ops", lambda r: r[EXT]["department"], "Ops"),
    ("remove", f"{EXT}:department", None, lambda r: r[EXT], {"manager": {"value": "a-02", "displayName": "Boss"}}),
    ("replace", f"{EXT}:manager", {"value": "a-03"}, lambda r: r[EXT]["manager"], {"value": "a-03", "displayName": "Boss"}),
    ("replace", f"{EXT}:manager.value", "a-03", lambda r: r[EXT]["manager"]["value"], "a-03"),
    ("add", EXT, {"division": "West"}, lambda r: (r[EXT]["division"], r[EXT]["department"]), ("West", "Sales")),
    ("add", 'emails[type eq "work"].value', "j@new.test", lambda r: emails_of(r)["work"]["value"], "j@new.test"),
    ("replace", 'emails[type eq "work"].value', "j@new.test", lambda r: emails_of(r)["work"]["value"], "j@new.test"),
    ("remove", 'emails[type eq "work"]', None, lambda r: sorted(emails_of(r)), ["home"]),
    ("remove", 'emails[type eq "work"].display', None, lambda r: "display" in emails_of(r)["work"], False),
    ("replace", 'emails[type eq "home"]', {"value": "h@x.test", "type": "home"}, lambda r: emails_of(r)["home"],
     {"value": "h@x.test", "type": "home"}),
    ("replace", 'addresses[type eq "work"].streetAddress', "2 Side St", lambda r: r["addresses"][0],
     {"type": "work", "streetAddress": "2 Side St", "locality": "Boulder"}),
    ("replace", "emails.display", "E", lambda r: [e["display"] for e in r["emails"]], ["E", "E"]),
]


@pytest.mark.parametrize(("op", "path", "value", "getter", "expected"), OP_PATH_TABLE)
def test_every_op_on_every_path_kind(op, path, value, getter, expected):
    operation = {"op": op, "path": path} if op == "remove" else {"op": op, "path": path, "value": value}
    assert getter(patched(USER, operation)) == expected


def test_removing_the_last_extension_attribute_drops_the_extension_and_its_urn():
    result = patched(USER, {"op": "remove", "path": f"{EXT}:department"}, {"op": "remove", "path": f"{EXT}:manager"})
    assert EXT not in result
    assert result["schemas"] == [USER_URN]


def test_adding_an_extension_attribute_lists_the_extension_in_schemas():
    bare = {"schemas": [USER_URN], "id": "a-1", "userName": "u@example.test"}
    result = patched(bare, {"op": "add", "path": f"{EXT}:department", "value": "Ops"})
    assert result[EXT] == {"department": "Ops"}
    assert result["schemas"] == [USER_URN, EXT]


# -- RFC 7644 §3.5.2 examples ----------------------------------------------------------------------

BABS = {"display": "Babs Jensen", "$ref": f"https://example.com/v2/Users/{MEMBER_ID}", "value": MEMBER_ID}
RFC_GROUP = {**GROUP, "members": [{"value": "a-1", "display": "one@example.test"}]}


def test_rfc7644_3_5_2_1_add_member():
    result = patched(RFC_GROUP, {"op": "add", "path": "members", "value": [BABS]}, resource_type="Group")
    assert result["members"] == [RFC_GROUP["members"][0], BABS]


def test_rfc7644_3_5_2_1_add_without_path():
    value = {"emails": [{"value": "babs@jensen.org", "type": "home"}], "nickname": "Babs"}
    bare = {"schemas": [USER_URN], "id": "a-1", "userName": "bjensen", "emails": [{"value": "b@work.test", "type": "work"}]}
    result = patched(bare, {"op": "add", "value": value})
    assert result["emails"] == [{"value": "b@work.test", "type": "work"}, {"value": "babs@jensen.org", "type": "home"}]
    assert result["nickName"] == "Babs"


def test_rfc7644_3_5_2_2_remove_all_members():
    assert "members" not in patched(GROUP, {"op": "remove", "path": "members"}, resource_type="Group")


def test_rfc7644_3_5_2_2_remove_one_member():
    result = patched(GROUP, {"op": "remove", "path": f'members[value eq "{MEMBER_ID}"]'}, resource_type="Group")
    assert result["members"] == [GROUP["members"][0]]


def test_rfc7644_3_5_2_2_remove_with_a_complex_filter():
    result = patched(USER, {"op": "remove", "path": 'emails[type eq "work" and value ew "example.test"]'})
    assert sorted(emails_of(result)) == ["home"]


def test_rfc7644_3_5_2_2_replace_members_by_remove_then_add():
    new = {"display": "James Smith", "value": "08e1d05d-121c-4561-8b96-473d93df9210"}
    result = patched(
        GROUP, {"op": "remove", "path": "members"}, {"op": "add", "path": "members", "value": [new]}, resource_type="Group"
    )
    assert result["members"] == [new]


def test_rfc7644_3_5_2_3_replace_all_members():
    result = patched(GROUP, {"op": "replace", "path": "members", "value": [BABS]}, resource_type="Group")
    assert result["members"] == [BABS]


def test_rfc7644_3_5_2_3_replace_a_whole_address_selected_by_filter():
    address = {"type": "work", "streetAddress": "911 Universal City Plaza", "locality": "Hollywood", "primary": True}
    result = patched(USER, {"op": "replace", "path": 'addresses[type eq "work"]', "value": address})
    assert result["addresses"] == [address]


def test_rfc7644_3_5_2_3_replace_a_sub_attribute_selected_by_filter():
    result = patched(USER, {"op": "replace", "path": 'addresses[type eq "work"].streetAddress', "value": "1010 Broadway Ave"})
    assert result["addresses"][0]["streetAddress"] == "1010 Broadway Ave"


def test_rfc7644_3_5_2_3_replace_without_path():
    value = {"emails": [{"value": "bjensen@example.com", "type": "work", "primary": True}], "nickname": "Babs"}
    result = patched(USER, {"op": "replace", "value": value})
    assert result["emails"] == value["emails"]
    assert result["nickName"] == "Babs"
    assert result["name"] == USER["name"]  # attributes not named are untouched


# -- real IdP payloads (tests/data) ----------------------------------------------------------------

JUMPCLOUD_MEMBER = "jc-user-uuid-001"


@pytest.mark.parametrize(
    ("payload", "members_before", "members_after"),
    [
        ("jumpcloud_patch_add_member.json", [{"value": "a-1"}], [{"value": "a-1"}, {"value": JUMPCLOUD_MEMBER}]),
        ("jumpcloud_patch_add_member.json", [{"value": JUMPCLOUD_MEMBER, "display": "x"}], [{"value": JUMPCLOUD_MEMBER, "display": "x"}]),
        ("jumpcloud_patch_remove_member_with_value.json", [{"value": "a-1"}, {"value": JUMPCLOUD_MEMBER}], [{"value": "a-1"}]),
        ("jumpcloud_patch_remove_member_with_value.json", [{"value": "a-1"}], [{"value": "a-1"}]),
        ("okta_patch_add_members.json", [{"value": "a-1"}], [{"value": "a-1"}, {"value": "abc123-def456", "display": "user@example.com"}]),
        ("okta_patch_replace_members.json", [{"value": "a-1"}],
         [{"value": "id-001", "display": "user1@example.com"}, {"value": "id-002", "display": "user2@example.com"}]),
    ],
)
@pytest.mark.parametrize("dialect", ["generic", "okta", "azure"])
def test_idp_group_membership_payloads(payload, members_before, members_after, dialect):
    group = {**GROUP, "members": members_before}
    result = apply_patch(group, load(payload), "Group", dialect=dialect)
    assert result["members"] == members_after
    assert changed(group, result) is (members_before != members_after)


def test_jumpcloud_per_attribute_replace_on_jumpclouds_own_full_put_body():
    user = load("jumpcloud_put_user_full.json")
    result = apply_patch(user, load("jumpcloud_patch_replace_user_fields.json"), "User")
    assert result["name"] == {"givenName": "John", "familyName": "Doe"}
    assert result["active"] is False
    assert result[EXT] == {"department": "C-Suite"}
    assert {k: v for k, v in result.items() if k not in ("name", "active")} == {
        k: v for k, v in user.items() if k not in ("name", "active")
    }


def test_adding_emails_to_jumpclouds_minimal_put_with_null_emails():
    user = load("jumpcloud_put_user_minimal.json")
    result = patched(user, {"op": "add", "path": "emails", "value": [{"value": "a@b.test", "primary": True}]})
    assert result["emails"] == [{"value": "a@b.test", "primary": True}]


@pytest.mark.parametrize("dialect", ["generic", "okta", "azure"])
def test_okta_pathless_deactivate(dialect):
    result = apply_patch(USER, load("okta_patch_deactivate_user.json"), "User", dialect=dialect)
    assert result["active"] is False
    assert changed(USER, result)


def test_entra_quirks_apply_on_the_azure_dialect():
    result = apply_patch(USER, load("entra_patch_quirks.json"), "User", dialect="azure")
    assert result["active"] is False
    assert result[EXT]["department"] == "Sales"


@pytest.mark.parametrize("dialect", ["generic", "okta"])
def test_entra_quirks_are_rejected_with_400_outside_azure(dialect):
    with pytest.raises(InvalidSyntaxError) as caught:
        apply_patch(USER, load("entra_patch_quirks.json"), "User", dialect=dialect)
    assert caught.value.status == 400
    assert "Replace" in caught.value.detail


def test_entra_string_boolean_with_a_lower_case_op_is_an_invalid_value_on_generic():
    quirky = load("entra_patch_quirks.json")
    for operation in quirky["Operations"]:
        operation["op"] = operation["op"].lower()
    with pytest.raises(InvalidValueError, match="boolean"):
        apply_patch(USER, quirky, "User")


def test_entra_roles_with_string_primary_are_coerced_on_azure_and_rejected_on_generic():
    roles = load("entra_create_user.json")["roles"]
    result = patched(USER, {"op": "replace", "path": "roles", "value": roles}, dialect="azure")
    assert result["roles"][0]["primary"] is True
    with pytest.raises(InvalidValueError):
        patched(USER, {"op": "replace", "path": "roles", "value": roles})


# -- dialect specifics -----------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "expected"), [("Add", "JD"), ("REPLACE", "JD"), ("Remove", None)])
def test_azure_accepts_ops_in_any_case_and_generic_does_not(op, expected):
    operation = {"op": op, "path": "displayName", "value": "JD"}
    assert patched(USER, operation, dialect="azure").get("displayName") == expected
    with pytest.raises(InvalidSyntaxError):
        patched(USER, operation)


def test_azure_wraps_a_single_member_object_in_replace_and_generic_rejects_it():
    operation = {"op": "Replace", "path": "members", "value": {"value": "a-9"}}
    assert patched(GROUP, operation, resource_type="Group", dialect="azure")["members"] == [{"value": "a-9"}]
    with pytest.raises(InvalidValueError, match="array"):
        patched(GROUP, {**operation, "op": "replace"}, resource_type="Group")


def test_a_single_object_added_to_a_multi_valued_attribute_is_wrapped_in_every_dialect():
    result = patched(GROUP, {"op": "add", "path": "members", "value": {"value": "a-9"}}, resource_type="Group")
    assert result["members"][-1] == {"value": "a-9"}


def test_azure_replace_through_a_filter_matching_nothing_creates_the_value():
    operation = {"op": "Replace", "path": 'emails[type eq "other"].value', "value": "o@x.test"}
    assert emails_of(patched(USER, operation, dialect="azure"))["other"] == {"type": "other", "value": "o@x.test"}
    with pytest.raises(NoTargetError):
        patched(USER, {**operation, "op": "replace"})


def test_add_through_a_filter_matching_nothing_creates_the_value_from_the_eq_filter():
    operation = {"op": "add", "path": 'emails[type eq "other"].value', "value": "o@x.test"}
    assert emails_of(patched(USER, operation))["other"] == {"type": "other", "value": "o@x.test"}


@pytest.mark.parametrize("dialect", ["generic", "azure"])
def test_pathless_keys_that_are_paths_as_entra_sends(dialect):
    value = {"name.givenName": "Janet", f"{EXT}:department": "Ops", f"{EXT}:manager.value": "a-07"}
    result = patched(USER, {"op": "replace", "value": value}, dialect=dialect)
    assert result["name"]["givenName"] == "Janet"
    assert result[EXT]["department"] == "Ops"
    assert result[EXT]["manager"] == {"value": "a-07", "displayName": "Boss"}


@pytest.mark.parametrize("op", ["add", "replace"])
def test_an_extension_object_may_carry_its_own_schemas_as_scim2_models_serialises_it(op):
    result = patched(USER, {"op": op, "path": EXT, "value": {"schemas": [EXT], "employeeNumber": "7"}})
    assert result[EXT] == {**USER[EXT], "employeeNumber": "7"}
    with pytest.raises(InvalidValueError):
        patched(USER, {"op": op, "path": EXT, "value": {"schemas": ["urn:other"], "employeeNumber": "7"}})


def test_pathless_extension_object_is_merged():
    result = patched(USER, {"op": "replace", "value": {EXT: {"costCenter": "CC1"}}})
    assert result[EXT]["costCenter"] == "CC1"
    assert result[EXT]["department"] == "Sales"


def test_azure_string_primary_through_a_filter_unsets_the_other_primary():
    operation = {"op": "Add", "path": 'emails[type eq "home"].primary', "value": "True"}
    result = emails_of(patched(USER, operation, dialect="azure"))
    assert (result["home"]["primary"], result["work"]["primary"]) == (True, False)


# -- RFC semantics -------------------------------------------------------------------------------


def test_an_unchanged_id_in_a_pathless_value_is_ignored_as_strongdm_documents_for_rename():
    result = patched(GROUP, {"op": "replace", "value": {"id": GROUP["id"], "displayName": "Eng2"}}, resource_type="Group")
    assert result["displayName"] == "Eng2"
    assert result["id"] == GROUP["id"]


def test_adding_an_existing_member_with_another_display_adds_no_duplicate():
    operation = {"op": "add", "path": "members", "value": [{"value": "a-1", "display": "other"}]}
    result = patched(GROUP, operation, resource_type="Group")
    assert result == GROUP
    assert not changed(GROUP, result)


def test_adding_an_equal_email_adds_no_duplicate():
    operation = {"op": "add", "path": "emails", "value": [USER["emails"][1]]}
    assert patched(USER, operation)["emails"] == USER["emails"]


def test_adding_a_primary_email_unsets_the_previous_primary():
    operation = {"op": "add", "path": "emails", "value": [{"value": "n@x.test", "type": "other", "primary": True}]}
    result = emails_of(patched(USER, operation))
    assert [result[t].get("primary") for t in ("work", "home", "other")] == [False, None, True]


def test_removing_a_non_member_changes_nothing():
    result = patched(GROUP, {"op": "remove", "path": 'members[value eq "a-404"]'}, resource_type="Group")
    assert result == GROUP
    assert not changed(GROUP, result)


@pytest.mark.parametrize(
    ("resource", "resource_type", "path", "survivors"),
    [
        (GROUP, "Group", 'members[value eq "A-1"]', 2),  # members.value is caseExact: no match
        (GROUP, "Group", 'members[value eq "a-1"]', 1),
        (USER, "User", 'emails[type eq "WORK"]', 1),  # emails.type is caseExact false
    ],
)
def test_value_filters_follow_the_schemas_case_exactness(resource, resource_type, path, survivors):
    result = patched(resource, {"op": "remove", "path": path}, resource_type=resource_type)
    assert len(result["members" if resource_type == "Group" else "emails"]) == survivors


def test_removing_an_absent_attribute_changes_nothing():
    assert patched(USER, {"op": "remove", "path": "nickName"}) == USER


def test_replacing_with_null_unassigns_the_attribute():
    assert "displayName" not in patched(USER, {"op": "replace", "path": "displayName", "value": None})


def test_operations_apply_in_order():
    result = patched(USER, {"op": "replace", "path": "displayName", "value": "A"}, {"op": "replace", "path": "displayName", "value": "B"})
    assert result["displayName"] == "B"


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (USER, copy.deepcopy(USER), False),
        (USER, {**USER, "meta": {"resourceType": "User", "version": 'W/"2"'}}, False),
        (USER, {**USER, "active": False}, True),
        (GROUP, {**GROUP, "members": []}, True),
    ],
)
def test_changed_ignores_meta_only(before, after, expected):
    assert changed(before, after) is expected
