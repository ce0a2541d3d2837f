"""The JumpCloud Console's SSO pages: the catalog, app settings, Identity Management activation and provisioning."""

import pytest

from sim.jumpcloud.directory import query as q
from tests.jumpcloud.console.helpers import TOKEN
from tests.jumpcloud.console.helpers import first_group
from tests.jumpcloud.console.helpers import new_strongdm_app
from tests.jumpcloud.console.helpers import post

# -- SSO --------------------------------------------------------------------------------------------------


def test_the_catalog_search_finds_strongdm(admin):
    page = admin.get("/sso/new?q=strongdm").text
    assert 'href="/sso/new/strongdm"' in page and "Slack" not in page
    assert "No application in the catalog matches" in admin.get("/sso/new?q=zzz").text


def test_configure_then_save_creates_the_app_from_the_catalog(admin, jc):
    assert 'href="/sso/new/strongdm?configure=1"' in admin.get("/sso/new/strongdm").text
    assert "Display Label" in admin.get("/sso/new/strongdm?configure=1").text
    app_id = new_strongdm_app(admin, jc, "StrongDM (ops)")
    app = jc.directory.get_app(app_id)
    assert app["name"] == "strongdm" and app["displayLabel"] == "StrongDM (ops)"
    assert "StrongDM (ops)" in admin.get("/sso").text


def test_general_info_saves_display_label_and_description(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/general"
    post(admin, path, {"displayLabel": "SDM", "description": "Access"}, path)
    app = jc.directory.get_app(app_id)
    assert (app["displayLabel"], app["description"]) == ("SDM", "Access")
    response = post(admin, path, {"displayLabel": " "}, path)
    assert response.status_code == 400 and "Display Label is required" in response.text


def test_bookmark_activates_a_url_and_refuses_others(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/bookmark"
    post(admin, path, {"url": "https://app.strongdm.com/app/login", "action": "activate"}, path)
    assert jc.directory.get_app(app_id)["bookmark"] == {"url": "https://app.strongdm.com/app/login", "active": True}
    assert post(admin, path, {"url": "javascript:alert(1)"}, path).status_code == 400
    post(admin, path, {"action": "deactivate"}, path)
    assert jc.directory.get_app(app_id)["bookmark"]["active"] is False


def test_identity_management_starts_with_a_configure_button(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    page = admin.get(f"/sso/{app_id}/identity-management").text
    assert "configure" in page and "Base URL" not in page
    form = admin.get(f"/sso/{app_id}/identity-management?configure=1").text
    assert "https://app.strongdm.com/provisioning/generic/v2" in form  # the catalog's default Base URL
    assert "Enable management of User Groups and Group Membership in this application" in form


@pytest.mark.parametrize("fields, message", [
    ({"token": ""}, "Token Key is required"),
    ({"base_url": "http://127.0.0.1:9/provisioning/generic/v2/"}, "must not end with"),
    ({"base_url": "ftp://example.test/scim"}, "must be an http(s) URL"),
])
def test_identity_management_settings_are_checked(admin, jc, fields, message):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    data = {"base_url": "http://127.0.0.1:9/provisioning/generic/v2", "token": TOKEN, "action": "save", **fields}
    response = post(admin, path, data, path)
    assert response.status_code == 400 and message in response.text
    assert jc.pusher.idm.get(app_id) is None


def test_activate_runs_the_connection_test_and_provisioning_follows(admin, jc, strongdm):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    data = {"base_url": f"{strongdm.url}/provisioning/generic/v2", "token": TOKEN, "group_management": "on",
            "test_user_email": "probe@example.test", "action": "activate"}
    response = post(admin, path, data, path)
    assert response.status_code == 302
    assert "Identity Management is active" in admin.get(path).text
    assert jc.pusher.idm.get(app_id)["status"] == "active"
    group = first_group(jc)
    groups_path = f"/sso/{app_id}/groups"
    page = admin.get(groups_path).text
    assert f'value="{group["id"]}"' in page and "checked" not in page
    response = post(admin, groups_path, {"shown": [group["id"]], "group": [group["id"]]}, groups_path)
    assert "Saved: 1 group added, 0 removed." in admin.get(response.location).text
    assert jc.pusher.wait_idle(30)["idle"]
    sdm = strongdm.app.extensions["strongdm"]
    members = {jc.directory.get_user(u)["email"] for u in jc.directory.group_member_ids(group["id"])
               if jc.directory.get_user(u)["state"] == "ACTIVATED"}
    assert members and all(sdm.accounts.find_user_by_email(e) for e in members)
    events = admin.get(f"/sso/{app_id}/provisioning").text
    assert "user_create_provision" in events and "0 changes waiting to be sent" in events


def test_save_after_activate_keeps_it_active_but_a_changed_setting_pauses_it(admin, jc, strongdm):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    base = {"base_url": f"{strongdm.url}/provisioning/generic/v2", "group_management": "on",
            "test_user_email": "probe@example.test"}
    post(admin, path, {**base, "token": TOKEN, "action": "activate"}, path)
    post(admin, path, {**base, "action": "save"}, path)  # token left empty: the saved one is kept
    assert jc.pusher.idm.get(app_id)["status"] == "active"
    response = post(admin, path, {**base, "group_management": None, "action": "save"}, path)
    assert "provisioning is paused until you click Activate again" in admin.get(response.location).text
    assert jc.pusher.idm.get(app_id)["status"] == "configured"


def test_a_failed_activation_shows_the_reason_and_the_requests(admin, jc, strongdm):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    data = {"base_url": f"{strongdm.url}/provisioning/generic/v2", "token": "wrong-token-0123456789",
            "group_management": "on", "test_user_email": "probe@example.test", "action": "activate"}
    response = post(admin, path, data, path)
    assert response.status_code == 400
    assert "There was a problem activating identity management" in response.text
    assert "Connection test" in response.text and "GET /Users" in response.text
    assert jc.pusher.idm.get(app_id)["status"] == "failed"
    assert "Activation failed" in admin.get("/sso").text
    events = admin.get(f"/sso/{app_id}/provisioning?failed=1").text
    assert "integration_activate" in events and "failed" in events


def test_deactivate_stops_provisioning(admin, jc, strongdm):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    post(admin, path, {"base_url": f"{strongdm.url}/provisioning/generic/v2", "token": TOKEN,
                       "test_user_email": "probe@example.test", "action": "activate"}, path)
    response = post(admin, f"{path}/deactivate", form_page=path)
    assert "Identity Management is deactivated" in admin.get(response.location).text
    assert jc.pusher.idm.get(app_id)["status"] == "configured"


def test_user_groups_tab_unbinds_only_groups_shown_on_the_page(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    groups = [g["id"] for g in jc.directory.list_groups(q.Query(limit=10))]
    for group_id in groups:
        jc.directory.change_binding(app_id, "add", "user_group", group_id)
    path = f"/sso/{app_id}/groups"
    post(admin, path, {"shown": groups[:2], "group": groups[:1]}, path)
    assert set(jc.directory.bound_ids(app_id, "user_group")) == {groups[0], *groups[2:]}


def test_deleting_an_app(admin, jc):
    app_id = new_strongdm_app(admin, jc, "Doomed")
    response = post(admin, f"/sso/{app_id}/delete", form_page=f"/sso/{app_id}/general")
    assert response.location == "/sso" and ">Doomed</a>" not in admin.get("/sso").text


def test_the_app_header_names_the_connector_only_when_the_label_differs(admin, jc):
    import re

    app_id = new_strongdm_app(admin, jc, "StrongDM")
    heading = re.search(r"<h1>(.*?)</h1>", admin.get(f"/sso/{app_id}/general").text, re.S).group(1)
    assert re.sub(r"<[^>]+>|\s+", " ", heading).split() == ["StrongDM"]  # not "StrongDM StrongDM"
    post(admin, f"/sso/{app_id}/general", {"displayLabel": "SDM"}, f"/sso/{app_id}/general")
    assert '<span class="muted">' in admin.get(f"/sso/{app_id}/general").text.split("<h1>")[1].split("</h1>")[0]
