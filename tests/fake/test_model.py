"""The Python API: make_directory's typed users and groups, JSON-ready, beside the wire dicts callers already use."""

import json

import pytest

from sim.fake.directory import make_directory
from sim.fake.model import SystemUser


@pytest.fixture(scope="module")
def small():
    return make_directory(7, 40, 6)


def test_typed_users_carry_the_wire_fields_under_python_names(small):
    users = small.systemusers()
    assert len(users) == len(small.users) == 40
    for typed, doc in zip(users, small.users, strict=True):
        assert isinstance(typed, SystemUser)
        assert (typed.id, typed.username, typed.email, typed.state) == (doc["_id"], doc["username"], doc["email"],
                                                                         doc["state"])
        assert (typed.job_title, typed.employee_identifier, typed.manager_id) == (
            doc["jobTitle"], doc["employeeIdentifier"], doc["manager"])
        assert typed.attributes["locale"] == next(a["value"] for a in doc["attributes"] if a["name"] == "locale")
        assert typed.to_dict() == doc
    assert any(u.mfa_configured for u in users) and any(u.ssh_key_names for u in users)


def test_typed_groups_hold_their_members_and_the_v2_document(small):
    groups = small.usergroups()
    assert [g.name for g in groups] == [g["name"] for g in small.groups]
    everyone = next(g for g in groups if g.name == "All Staff")
    assert set(everyone.member_ids) == {u["_id"] for u in small.users}
    assert sum(len(g.member_ids) for g in groups) == len(small.memberships)
    assert groups[0].to_dict() == small.groups[0]


def test_the_whole_directory_is_json_ready_and_a_copy(small):
    doc = small.to_dict()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["memberships"][0] == list(small.memberships[0])
    doc["users"][0]["username"] = "changed"
    small.systemusers()[0].to_dict()["email"] = "changed"
    assert small.users[0]["username"] != "changed" and small.users[0]["email"] != "changed"
