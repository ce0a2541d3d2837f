"""Secrets shown once, post/redirect/get: the SCIM token and a new API key's secret appear on the GET after the
redirect; reloading that page (F5) shows "already shown" and neither rekeys nor creates another key (#16)."""

import re

from tests.strongdm.admin.helpers import ADMIN
from tests.strongdm.admin.helpers import API_KEYS
from tests.strongdm.admin.helpers import PROVISIONING
from tests.strongdm.admin.helpers import login
from tests.strongdm.admin.helpers import post

TOKEN_FIELD = re.compile(r'id="scim-token" value="([^"]+)"')
SECRET_FIELD = re.compile(r'id="api-secret" value="([^"]+)"')


def test_activating_scim_redirects_and_a_reload_does_not_rekey(admin, sdm):
    response = post(admin, f"{PROVISIONING}/activate", {"provider": "generic"}, PROVISIONING)
    assert response.status_code == 303
    shown = admin.get(response.location)
    token = TOKEN_FIELD.search(shown.text).group(1)
    assert shown.headers["Cache-Control"] == "no-store"
    reloaded = admin.get(response.location)
    assert TOKEN_FIELD.search(reloaded.text) is None and "already shown" in reloaded.text
    assert sdm.org.check_token(token)


def test_regenerating_redirects_and_a_reload_keeps_the_new_token(admin, sdm):
    post(admin, f"{PROVISIONING}/activate", {"provider": "generic"}, PROVISIONING)
    response = post(admin, f"{PROVISIONING}/regenerate", {}, PROVISIONING)
    assert response.status_code == 303
    token = TOKEN_FIELD.search(admin.get(response.location).text).group(1)
    assert "already shown" in admin.get(response.location).text
    assert sdm.org.check_token(token)


def test_creating_an_api_key_redirects_and_a_reload_creates_no_other(admin, sdm):
    response = post(admin, API_KEYS, {"name": "ci"}, API_KEYS)
    assert response.status_code == 303
    assert SECRET_FIELD.search(admin.get(response.location).text)
    reloaded = admin.get(response.location)
    assert SECRET_FIELD.search(reloaded.text) is None and "already shown" in reloaded.text
    assert reloaded.text.count("<td>ci</td>") == 1


def test_one_admins_secret_is_not_shown_to_another_session(admin, app, sdm):
    response = post(admin, f"{PROVISIONING}/activate", {"provider": "generic"}, PROVISIONING)
    other = app.test_client()
    login(other, *ADMIN)
    assert TOKEN_FIELD.search(other.get(response.location).text) is None
