"""Principals › Groups in a groups-model org: the list, a group's page, assigning and unassigning roles."""

import pytest

from sim.strongdm import create_app
from sim.strongdm.api_keys import ApiKeys
from tests.strongdm.admin.helpers import ADMIN
from tests.strongdm.admin.helpers import AUDITOR
from tests.strongdm.admin.helpers import FAST
from tests.strongdm.admin.helpers import SCIM
from tests.strongdm.admin.helpers import login
from tests.strongdm.admin.helpers import post

TOKEN = "admin-groups-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def app(store):
    app = create_app(store, token=TOKEN, settings={**FAST, "STRONGDM_ORG_MODEL": "groups"})
    sdm = app.extensions["strongdm"]
    sdm.ensure_admin(*ADMIN)
    auditor = sdm.accounts.create_user({"email": AUDITOR[0], "first_name": "Audra", "last_name": "Tor",
                                        "permission_level": "auditor"})
    sdm.org.set_password(auditor["id"], AUDITOR[1])
    return app


@pytest.fixture
def pushed(client):
    user = client.post(f"{SCIM}/Users", headers=AUTH, json={
        "userName": "prov@example.test", "name": {"givenName": "Pro", "familyName": "Visioned"}}).json
    group = client.post(f"{SCIM}/Groups", headers=AUTH, json={"displayName": "Engineering",
                                                              "members": [{"value": user["id"]}]}).json
    return {"user": user, "group": group}


def test_the_navigation_is_principals_users_groups_roles(admin):
    page = admin.get("/users").text
    assert "Principals" in page and 'href="/groups"' in page


def test_the_groups_list_shows_members_who_manages_and_roles(admin, pushed):
    page = admin.get("/groups").text
    assert "Engineering" in page and "Generic" in page and "none" in page
    assert "Engineering" not in admin.get("/groups?q=ops").text
    assert "Engineering" in admin.get("/groups?q=ENGIN").text


def test_an_administrator_assigns_and_unassigns_a_role(admin, sdm, pushed):
    role = sdm.accounts.create_role({"name": "Prod read"}, [])
    gid = pushed["group"]["id"]
    response = post(admin, f"/groups/{gid}/roles", {"role_id": role["id"]}, f"/groups/{gid}")
    assert response.status_code == 302
    assert sdm.accounts.effective_role_ids(pushed["user"]["id"]) == [role["id"]]
    page = admin.get(f"/groups/{gid}").text
    assert "Prod read" in page and "Unassign" in page and "prov@example.test" in page
    assert "Engineering" in admin.get("/roles").text  # the Roles page says which groups hold a role
    grant = sdm.accounts.find_grant(group_id=gid, role_id=role["id"])
    assert post(admin, f"/groups/{gid}/roles/{grant['id']}/unassign", {}, f"/groups/{gid}").status_code == 302
    assert sdm.accounts.effective_role_ids(pushed["user"]["id"]) == []
    assert "Role " + role["id"] + " unassigned" in admin.get(f"/groups/{gid}").text


def test_an_unknown_role_is_a_400_and_changes_nothing(admin, sdm, pushed):
    gid = pushed["group"]["id"]
    assert post(admin, f"/groups/{gid}/roles", {"role_id": "r-nope"}, f"/groups/{gid}").status_code == 400
    assert sdm.accounts.grant_rows() == []


def test_an_auditor_sees_groups_but_cannot_assign(client, sdm, pushed):
    login(client, *AUDITOR)
    gid = pushed["group"]["id"]
    assert client.get(f"/groups/{gid}").status_code == 200
    role = sdm.accounts.create_role({"name": "Prod read"}, [])
    assert post(client, f"/groups/{gid}/roles", {"role_id": role["id"]}, f"/groups/{gid}").status_code == 403
    assert sdm.accounts.grant_rows() == []


def test_a_roles_org_keeps_todays_navigation_and_has_no_groups_page(store):
    legacy = create_app(store, settings={**FAST, "STRONGDM_ORG_MODEL": "roles"})
    legacy.extensions["strongdm"].ensure_admin(*ADMIN)
    client = legacy.test_client()
    login(client, *ADMIN)
    assert "Principals" not in client.get("/users").text
    assert client.get("/groups").status_code == 404


def test_tokens_live_under_principals_with_permissions_and_expiry(admin, sdm):
    assert admin.get("/settings/api-keys").location.endswith("/principals/tokens")  # the old place redirects
    page = admin.get("/principals/tokens").text
    assert "<h1>Tokens</h1>" in page and 'value="group:read"' in page and 'name="expires"' in page
    response = post(admin, "/principals/tokens", {"name": "reader", "access": "scoped", "scope": ["group:read"],
                                                  "expires": "2099-01-31"}, "/principals/tokens")
    assert response.status_code == 303
    shown = admin.get(response.location).text
    assert "group:read" in shown and "2099-01-31T23:59:59Z" in shown
    (key,) = ApiKeys(sdm.store, sdm.activities).list_api_keys()
    assert (key["scopes"], key["expires_at"]) == (["group:read"], "2099-01-31T23:59:59Z")


def test_the_tokens_page_marks_admin_tokens_and_shows_tags(admin, sdm):
    keys = ApiKeys(sdm.store, sdm.activities)
    keys.create_api_key("ops cli", scopes=["user:list"], account_type="admin-token", tags={"team": "ops"})
    keys.create_api_key("plain")
    rows = admin.get("/principals/tokens").text.split("<tr>")
    ops, plain = next(r for r in rows if "ops cli" in r), next(r for r in rows if "plain" in r)
    assert "admin token" in ops and "team=ops" in ops
    assert "admin token" not in plain


def test_a_scoped_token_without_permissions_is_refused(admin, sdm):
    response = post(admin, "/principals/tokens", {"name": "none", "access": "scoped"}, "/principals/tokens")
    assert response.status_code == 400 and "Choose at least one permission" in response.text


def test_a_users_page_lists_its_groups_and_effective_roles_with_where_each_comes_from(admin, sdm, pushed):
    granted = sdm.accounts.create_role({"name": "Prod read"}, [])
    direct = sdm.accounts.create_role({"name": "Break glass"}, [])
    sdm.accounts.grant_role(pushed["group"]["id"], granted["id"])
    sdm.accounts.add_members(direct["id"], [pushed["user"]["id"]])
    page = admin.get(f"/users/{pushed['user']['id']}").text
    groups = page[page.index("<dt>Groups</dt>"):page.index("<dt>Effective roles</dt>")]
    assert f'href="/groups/{pushed["group"]["id"]}"' in groups and "Engineering" in groups
    roles = page[page.index("<dt>Effective roles</dt>"):]
    assert "Prod read" in roles and "via Engineering" in roles
    assert "Break glass" in roles and "attached directly" in roles


def test_a_user_in_no_group_says_so(admin, sdm):
    user = sdm.accounts.find_user_by_email(ADMIN[0])
    page = admin.get(f"/users/{user['id']}").text
    assert "<dt>Groups</dt><dd><span class=\"muted\">none</span>" in page
    assert "<dt>Effective roles</dt><dd><span class=\"muted\">none</span>" in page


def test_a_roles_orgs_user_page_keeps_its_roles_row_and_no_groups(store):
    legacy = create_app(store, settings={**FAST, "STRONGDM_ORG_MODEL": "roles"})
    user = legacy.extensions["strongdm"].ensure_admin(*ADMIN)
    client = legacy.test_client()
    login(client, *ADMIN)
    page = client.get(f"/users/{user['id']}").text
    assert "<dt>Roles</dt>" in page and "<dt>Groups</dt>" not in page and "Effective roles" not in page
