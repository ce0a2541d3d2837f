"""JumpCloud -> SCIM payloads match the real JumpCloud samples in tests/data."""

import json

import pytest

from sim.jumpcloud.pusher import mapping
from sim.scim import messages
from tests.jumpcloud.api.helpers import spec_properties
from tests.jumpcloud.api.helpers import spec_violations
from tests.paths import DATA


def sample(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def jc_user(**overrides) -> dict:
    """A systemuser as the mock JumpCloud stores it (v1 shape: phoneNumbers use `number`)."""
    user = {
        "_id": "66e2d689590450d073d2df3b", "username": "testuser", "email": "testuser@example.io",
        "firstname": "firstname", "lastname": "lastname", "displayname": "displayname",
        "jobTitle": "", "department": "", "state": "ACTIVATED",
        "phoneNumbers": [{"type": "mobile", "number": "+1 720 555 0100"},
                         {"type": "work", "number": "tel:+1-555-555-5555"}],
        "addresses": [{"type": "work", "country": "US", "locality": "locality", "postalCode": "80027",
                       "region": "region", "streetAddress": "street-address", "poBox": ""}],
    }
    user.update(overrides)
    return user


def test_the_create_body_is_the_real_jumpcloud_sample():
    assert mapping.user_resource(jc_user()) == sample("jumpcloud_create_user.json")


def test_the_full_put_body_has_the_real_samples_shape():
    user = jc_user(_id="664447f5c0c418f2d05e5318", email="john.doe@example.io", firstname="John", lastname="Doe",
                   displayname="John Doe", jobTitle="Captain", department="C-Suite", phoneNumbers=[], addresses=[])
    body = mapping.user_resource(user, "d500eedc-4dbc-494e-978a-56da891f179a")
    real = sample("jumpcloud_put_user_full.json")
    # Known, documented differences: no photos (JumpCloud users have no photo attribute in the API), and
    # userName is the email (the sample's userName differs from its email; the create sample's does not).
    for key in ("photos", "userName"):
        real.pop(key)
        body.pop(key, None)
    assert sorted(body.pop("schemas")) == sorted(real.pop("schemas"))
    assert body == real


@pytest.mark.parametrize("field, key", [("jobTitle", "title"), ("department", mapping.ENTERPRISE_URN),
                                        ("displayname", "displayName")])
def test_empty_attributes_are_left_out_not_sent_as_empty_strings(field, key):
    assert key not in mapping.user_resource(jc_user(**{field: ""}))


def test_only_the_work_phone_and_work_address_are_sent():
    body = mapping.user_resource(jc_user(addresses=[{"type": "home", "locality": "x"}], phoneNumbers=[
        {"type": "mobile", "number": "1"}]))
    assert body["phoneNumbers"] == [] and body["addresses"] == []


def test_deactivation_keeps_the_resource_and_flips_active():
    body = mapping.user_resource(jc_user(), "id-1")
    assert mapping.deactivated(body) == {**body, "active": False}


def test_membership_operations_are_jumpclouds_value_lists_without_filters():
    assert messages.patch_body(mapping.member_operations(["jc-user-uuid-001"], [])) == \
        sample("jumpcloud_patch_add_member.json")
    assert messages.patch_body(mapping.member_operations([], ["jc-user-uuid-001"])) == \
        sample("jumpcloud_patch_remove_member_with_value.json")
    assert mapping.member_operations([], []) == []


def test_per_attribute_patch_sends_one_replace_per_changed_path():
    before = mapping.user_resource(jc_user())
    after = mapping.deactivated(mapping.user_resource(jc_user(firstname="John", lastname="Doe")))
    ops = mapping.user_operations(before, after)
    real = sample("jumpcloud_patch_replace_user_fields.json")["Operations"]
    assert sorted(ops, key=lambda o: o["path"]) == sorted(real, key=lambda o: o["path"])


def test_per_attribute_patch_removes_dropped_attributes_and_uses_extension_paths():
    before = mapping.user_resource(jc_user(jobTitle="Captain", department="Ops"))
    after = mapping.user_resource(jc_user(department="Sales"))
    assert mapping.user_operations(before, after) == [
        {"op": "remove", "path": "title"},
        {"op": "replace", "path": f"{mapping.ENTERPRISE_URN}:department", "value": "Sales"},
    ]
    assert mapping.user_operations(after, after) == []


@pytest.mark.parametrize("value, expected", [
    ("ada@example.com", 'userName eq "ada@example.com"'),
    ('we"ird\\@example.com', 'userName eq "we\\"ird\\\\@example.com"'),
])
def test_the_lookup_filter_quotes_the_email_as_a_json_string(value, expected):
    assert messages.user_filter(value) == expected


def test_the_payload_hash_ignores_the_sp_id_and_key_order():
    body = mapping.user_resource(jc_user())
    assert mapping.payload_hash(body) == mapping.payload_hash({**dict(reversed(body.items())), "id": "x"})
    assert mapping.payload_hash(body) != mapping.payload_hash(mapping.deactivated(body))


def test_the_test_user_has_both_names_so_strict_receivers_accept_it():
    body = mapping.test_user_resource("probe@example.com")
    assert body["userName"] == "probe@example.com" and all(body["name"].values())


def test_locale_timezone_and_language_come_from_the_users_custom_attributes():
    from sim.jumpcloud.pusher.mapping import user_resource

    user = {"_id": "a" * 24, "email": "k@example.com", "attributes": [
        {"name": "locale", "value": "ja-JP"}, {"name": "timezone", "value": "Asia/Tokyo"},
        {"name": "preferredLanguage", "value": "ja-JP"}, {"name": "badgeId", "value": "TYO-1"}]}
    body = user_resource(user)
    assert (body["locale"], body["timezone"], body["preferredLanguage"]) == ("ja-JP", "Asia/Tokyo", "ja-JP")


def test_without_custom_attributes_the_locale_stays_en_us_and_no_timezone_is_sent():
    from sim.jumpcloud.pusher.mapping import user_resource

    body = user_resource({"_id": "a" * 24, "email": "k@example.com"})
    assert body["locale"] == body["preferredLanguage"] == "en-US" and "timezone" not in body


def test_an_imported_user_has_every_importuser_property_with_its_lists():
    resource = {"id": "a-1", "userName": "ada@example.com", "name": {"givenName": "Ada", "familyName": "L"},
                "emails": [{"value": "ada@example.com", "primary": True}, {"value": "ada@home.example"}],
                "phoneNumbers": [{"type": "work", "value": "+1 555 0100"}, "junk"],
                "addresses": [{"type": "work", "locality": "Leeds", "country": "GB", "postalCode": 7}],
                "timezone": "Europe/London", "locale": "en-GB"}
    user = mapping.import_user(resource)
    assert spec_properties("importUser") - set(user) == set()
    assert user["alternateEmail"] == "ada@home.example" and user["phoneNumbers"] == [{"type": "work", "value": "+1 555 0100"}]
    assert user["addresses"] == [{"type": "work", "streetAddress": "", "locality": "Leeds", "region": "", "postalCode": "",
                                  "country": "GB"}]
    assert {"name": "timezone", "value": "Europe/London"} in user["attributes"]
    assert not spec_violations({"$ref": "urn:jumpcloud-spec:console#/$defs/importUser"}, user)
