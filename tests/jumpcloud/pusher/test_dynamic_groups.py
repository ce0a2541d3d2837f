"""Dynamic groups through the real loop: a department change moves a user between automated groups, and
StrongDM's roles follow over SCIM."""

import pytest

from tests.loop.helpers import Harness


@pytest.fixture
def loop():
    harness = Harness()
    yield harness
    harness.stop()


def by_department(name, department):
    return {"name": name, "membershipMethod": "DYNAMIC_AUTOMATED",
            "memberQuery": {"queryType": "FilterQuery",
                            "filters": [{"field": "department", "operator": "eq", "value": department}]}}


def test_a_department_change_moves_the_user_between_strongdm_roles(loop):
    sales = loop.directory.create_group(by_department("Dyn Sales", "Dyn-Sales"))
    eng = loop.directory.create_group(by_department("Dyn Engineering", "Dyn-Engineering"))
    for group in (sales, eng):
        loop.directory.change_binding(loop.app_id, "add", "user_group", group["id"])
    user = loop.new_user("mover@example.com", department="Dyn-Sales")
    loop.connect()
    _, roles = loop.strongdm_state()
    assert "mover@example.com" in roles["Dyn Sales"]
    assert "mover@example.com" not in roles.get("Dyn Engineering", set())
    loop.directory.update_user(user["_id"], {"department": "Dyn-Engineering"})
    loop.wait()
    _, roles = loop.strongdm_state()
    assert "mover@example.com" not in roles["Dyn Sales"]
    assert "mover@example.com" in roles["Dyn Engineering"]
    loop.assert_converged()


def test_a_review_required_group_reaches_strongdm_only_once_approved(loop):
    review = loop.directory.create_group({**by_department("Dyn Review", "Dyn-Review"),
                                          "membershipMethod": "DYNAMIC_REVIEW_REQUIRED"})
    loop.directory.change_binding(loop.app_id, "add", "user_group", review["id"])
    user = loop.new_user("waiting@example.com", department="Dyn-Review")
    loop.connect()
    assert "waiting@example.com" not in loop.strongdm_state()[1].get("Dyn Review", set())
    assert loop.directory.apply_suggestions(review["id"], [user["_id"]])["suggestions_found"] == [user["_id"]]
    loop.wait()
    assert "waiting@example.com" in loop.strongdm_state()[1]["Dyn Review"]
