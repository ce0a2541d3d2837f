"""The Console's dynamic groups: create one with a rule, review and approve its suggestions, rename it safely."""

from tests.jumpcloud.console.helpers import first_user
from tests.jumpcloud.console.helpers import post

RULE = {"membershipMethod": "DYNAMIC_REVIEW_REQUIRED", "query_field": "department", "query_operator": "eq"}


def test_a_group_made_with_a_rule_is_dynamic(admin, jc):
    user = first_user(jc)
    response = post(admin, "/groups/new", {"name": "By dept", **RULE, "query_value": user["department"]},
                    "/groups/new")
    assert response.status_code == 302
    group = jc.directory.find_group("By dept")
    assert group["membershipMethod"] == "DYNAMIC_REVIEW_REQUIRED"
    assert group["memberQuery"]["filters"] == [{"field": "department", "operator": "eq", "value": user["department"]}]


def test_a_bad_rule_is_refused_with_the_reason(admin, jc):
    response = post(admin, "/groups/new", {"name": "Broken", **RULE, "query_field": "no such field!",
                                           "query_value": "x"}, "/groups/new")
    assert response.status_code == 400 and "field must be a user attribute name" in response.text
    assert jc.directory.find_group("Broken") is None


def test_review_required_suggestions_wait_for_approval_on_the_group_page(admin, jc):
    user = first_user(jc)
    post(admin, "/groups/new", {"name": "Review me", **RULE, "query_value": user["department"]}, "/groups/new")
    group = jc.directory.find_group("Review me")
    path = f"/groups/{group['id']}"
    page = admin.get(path).text
    assert "Suggestions" in page and user["username"] in page and "Approve" in page
    assert jc.directory.group_member_ids(group["id"]) == []
    response = post(admin, f"{path}/suggestions", {"user_id": user["_id"]}, path)
    assert response.status_code == 302
    assert user["_id"] in jc.directory.group_member_ids(group["id"])


def test_approving_every_suggestion_at_once(admin, jc):
    user = first_user(jc)
    post(admin, "/groups/new", {"name": "All at once", **RULE, "query_value": user["department"]}, "/groups/new")
    group = jc.directory.find_group("All at once")
    pending = {s["object"]["id"] for s in jc.directory.group_suggestions(group["id"])}
    assert user["_id"] in pending
    path = f"/groups/{group['id']}"
    post(admin, f"{path}/suggestions", {"all": "1"}, path)
    assert set(jc.directory.group_member_ids(group["id"])) == pending
    assert jc.directory.group_suggestions(group["id"]) == []


def test_renaming_a_dynamic_group_keeps_its_rule(admin, jc):
    user = first_user(jc)
    post(admin, "/groups/new", {"name": "Keep rule", **RULE, "membershipMethod": "DYNAMIC_AUTOMATED",
                                "query_value": user["department"]}, "/groups/new")
    group = jc.directory.find_group("Keep rule")
    path = f"/groups/{group['id']}"
    assert "Add member" not in admin.get(path).text  # an automated group's rule decides its members
    post(admin, path, {"name": "Kept rule", "description": "", "membershipMethod": "DYNAMIC_AUTOMATED",
                       "query_field": "department", "query_operator": "eq", "query_value": user["department"]}, path)
    after = jc.directory.get_group(group["id"])
    assert after["name"] == "Kept rule" and after["memberQuery"] == group["memberQuery"]
    assert user["_id"] in jc.directory.group_member_ids(group["id"])
