"""Import users from the SCIM application (JumpCloud's "Import users" on the StrongDM connector), through the
real loop: the preview reads StrongDM's /Users, the job creates or matches JumpCloud users."""

import pytest
import requests

from sim.faults import middleware as faults
from tests.jumpcloud.console.helpers import csrf
from tests.jumpcloud.console.helpers import login
from tests.loop.helpers import TOKEN
from tests.loop.helpers import Harness

ADMIN_PASSWORD = "admin-password-1"


@pytest.fixture
def loop():
    harness = Harness()
    yield harness
    harness.stop()


def api(loop, method, path, **kw):
    return requests.request(method, loop.jc_server.url + path, headers={"x-api-key": loop.api_key}, timeout=30, **kw)


def strongdm_only_user(loop, email, given="Only", family="InStrongDM", department=None):
    """A user made in StrongDM directly over SCIM: JumpCloud has never seen it."""
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": given, "familyName": family}, "emails": [{"value": email, "primary": True}]}
    if department:
        body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = {"department": department}
    response = requests.post(loop.base_url + "/Users", json=body, timeout=10,
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text
    return response.json()


def test_the_preview_lists_strongdms_users_with_count_filter_and_sort(loop):
    loop.connect()
    strongdm_only_user(loop, "zed@import.example", given="Zed")
    strongdm_only_user(loop, "amy@import.example", given="Amy")
    listed = api(loop, "get", f"/api/v2/applications/{loop.app_id}/import/users", params={"limit": 100}).json()
    assert listed["total_count"] == len(listed["users"]) >= 2
    emails = {u["email"] for u in listed["users"]}
    assert {"zed@import.example", "amy@import.example"} <= emails
    found = api(loop, "get", f"/api/v2/applications/{loop.app_id}/import/users",
                params={"filter": "import.example", "sort": "firstname"}).json()
    assert [u["firstname"] for u in found["users"]] == ["Amy", "Zed"] and found["total_count"] == 2
    desc = api(loop, "get", f"/api/v2/applications/{loop.app_id}/import/users",
               params={"filter": "import.example", "sort": "firstname", "sortOrder": "desc"}).json()
    assert [u["firstname"] for u in desc["users"]] == ["Zed", "Amy"]
    count = api(loop, "get", f"/api/v2/applications/{loop.app_id}/import/users",
                params={"filter": "import.example", "isCount": "true"}).json()
    assert count["total_count"] == 2 and count["users"] == []


def test_an_import_job_creates_the_missing_users_and_matches_the_rest(loop):
    loop.connect()
    strongdm_only_user(loop, "new.hire@import.example", given="New", family="Hire", department="Ops")
    known = next(u for u in loop.directory.users_bound_to_app(loop.app_id) if u["state"] == "ACTIVATED")
    before = loop.directory.user_count()
    response = api(loop, "post", f"/api/v2/applications/{loop.app_id}/import/jobs",
                   json={"operations": ["users.create"], "allowUserReactivation": False})
    assert response.status_code == 200
    job = response.json()["jobId"]
    assert loop.directory.user_count() == before + 1
    made = loop.directory.find_user(email="new.hire@import.example")
    assert (made["firstname"], made["lastname"], made["department"]) == ("New", "Hire", "Ops")
    assert made["creationSource"] == "jumpcloud:scim" and made["state"] == "STAGED"
    results = api(loop, "get", f"/api/v2/applications/import/{job}/detailedresults", params={"limit": 100}).json()
    by_email = {r["meta"]["email"]: r for r in results}
    assert by_email["new.hire@import.example"]["status"] == "finished"
    assert by_email["new.hire@import.example"]["meta"]["operation"] == "users.create"
    assert by_email[known["email"].lower()]["meta"]["operation"] == "skipped"  # matched, and update not asked


def test_import_needs_active_identity_management(loop):
    response = api(loop, "get", f"/api/v2/applications/{loop.app_id}/import/users")
    assert response.status_code == 404 and response.json()["status"] == "notFound"
    assert api(loop, "post", f"/api/v2/applications/{loop.app_id}/import/jobs", json={}).status_code == 404


@pytest.mark.parametrize("body", [{"operations": ["users.delete"]}, {"operations": "users.create"},
                                  {"allowUserReactivation": "yes"}, {"queryString": 5}, []])
def test_bad_import_jobs_are_400_and_import_nothing(loop, body):
    loop.connect()
    strongdm_only_user(loop, "never@import.example")
    before = loop.directory.user_count()
    response = api(loop, "post", f"/api/v2/applications/{loop.app_id}/import/jobs", json=body)
    assert response.status_code == 400 and loop.directory.user_count() == before


def test_the_console_import_action_previews_and_imports(loop):
    loop.connect()
    strongdm_only_user(loop, "console.pick@import.example", given="Console", family="Pick")
    client = loop.jc_app.test_client()
    assert login(client, loop.jc.org.admins()[0]["email"], ADMIN_PASSWORD).status_code == 302
    path = f"/sso/{loop.app_id}/import"
    page = client.get(path).text
    assert "console.pick@import.example" in page  # StrongDM has it, JumpCloud does not
    known = next(u for u in loop.directory.users_bound_to_app(loop.app_id) if u["state"] == "ACTIVATED")
    assert known["email"] not in page
    response = client.post(path, data={"csrf_token": csrf(client, path)})
    assert response.status_code == 302
    assert loop.directory.find_user(email="console.pick@import.example") is not None


def test_a_failing_provider_is_a_502_with_the_v2_body_not_a_500(loop):
    loop.connect()
    faults.set_faults(loop.sdm_app, ["503@GET /provisioning/*"], seed=1)
    response = api(loop, "get", f"/api/v2/applications/{loop.app_id}/import/users")
    assert response.status_code == 502 and set(response.json()) == {"code", "message", "status"}
    before = loop.directory.user_count()
    assert api(loop, "post", f"/api/v2/applications/{loop.app_id}/import/jobs", json={}).status_code == 502
    assert loop.directory.user_count() == before
