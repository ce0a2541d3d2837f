"""`GET /api/organizations` and `/api/organizations/{id}` over real HTTP: scripts read the org id first."""

import pytest

from sim.fake import directory as fake
from tests.jumpcloud.api.helpers import v1_error


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(4, 5, 2)


def test_organizations_lists_this_one_org_as_organizationslist(api):
    body = api.get("/api/organizations").json()
    assert body == {"totalCount": 1, "results": [
        {"_id": api.jc.org.id, "displayName": api.jc.org.name, "logoUrl": None}]}


def test_the_listed_id_is_what_x_org_id_takes(api):
    org_id = api.get("/api/organizations").json()["results"][0]["_id"]
    assert api.get("/api/systemusers", headers={"x-org-id": org_id}).status_code == 200
    assert api.get("/api/organizations", headers={"x-org-id": "b" * 24}).status_code == 404


def test_one_organization_has_the_spec_fields(api):
    org = api.get(f"/api/organizations/{api.jc.org.id}").json()
    assert org["_id"] == api.jc.org.id and org["displayName"] == api.jc.org.name
    assert {"created", "logoUrl", "settings"} <= set(org)
    assert isinstance(org["settings"], dict)


def test_fields_projects_one_organization(api):
    org = api.get(f"/api/organizations/{api.jc.org.id}", params={"fields": "displayName"}).json()
    assert org == {"_id": api.jc.org.id, "displayName": api.jc.org.name}


def test_another_organization_is_forbidden_and_a_malformed_id_is_400(api):
    assert v1_error(api.get(f"/api/organizations/{'b' * 24}"), 403)
    assert v1_error(api.get("/api/organizations/not-an-id"), 400)


def test_list_paging_and_bad_parameters(api):
    assert api.get("/api/organizations", params={"skip": 1}).json() == {"totalCount": 1, "results": []}
    assert v1_error(api.get("/api/organizations", params={"limit": "x"}), 400)


def test_organizations_need_a_key(api):
    api.http.headers.pop("x-api-key")
    assert api.get("/api/organizations").status_code == 401
