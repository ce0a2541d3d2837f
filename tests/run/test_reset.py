"""`GET /_sim/health`, `POST /_sim/reset` and the consoles' Reset sandbox: back to the start, no restart."""

import requests

from sim import __version__
from sim.run import up
from tests.run.helpers import csrf_of
from tests.run.helpers import login_jumpcloud
from tests.run.helpers import signs_in


def jc_api(loop, method, path, **options):
    jc = loop.endpoints["jumpcloud"]
    return requests.request(method, f"{jc['url']}{path}", headers={"x-api-key": jc["api_key"]}, timeout=10, **options)


def test_health_answers_without_a_credential_on_both_apps(start, tmp_path):
    loop = start(blank=True)
    for name in ("jumpcloud", "strongdm"):
        answer = requests.get(f"{loop.endpoints[name]['url']}/_sim/health", timeout=10)
        assert answer.status_code == 200
        assert answer.json() == {"status": "ok", "app": name, "version": __version__, "state_dir": str(tmp_path)}


def test_reset_needs_the_apps_credential_and_changes_nothing_without_it(start):
    loop = start(blank=True)
    before = jc_api(loop, "GET", "/api/systemusers").json()["totalCount"]
    for name, headers in (("jumpcloud", {"x-api-key": "0" * 40}), ("jumpcloud", {}),
                          ("strongdm", {"Authorization": "Bearer nope"}), ("strongdm", {})):
        answer = requests.post(f"{loop.endpoints[name]['url']}/_sim/reset", headers=headers, timeout=10)
        assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"
    jc_api(loop, "POST", "/api/systemusers", json={"username": "newbie", "email": "newbie@example.com"})
    assert jc_api(loop, "GET", "/api/systemusers").json()["totalCount"] == before + 1


def test_reset_of_a_blank_pair_undoes_the_trainees_work_and_keeps_the_credentials(start):
    loop = start(blank=True)
    jc = loop.jumpcloud.app.extensions["jumpcloud"]
    sdm = loop.strongdm.app.extensions["strongdm"]
    users = jc.directory.user_count()
    jc_api(loop, "POST", "/api/systemusers", json={"username": "newbie", "email": "newbie@example.com"})
    sdm.org.activate_scim("generic")
    answer = jc_api(loop, "POST", "/_sim/reset")
    assert answer.status_code == 200 and answer.json()["reset"] is True
    assert jc.directory.user_count() == users
    assert sdm.org.scim_provider() is None and jc.directory.find_app("strongdm") is None
    assert jc_api(loop, "GET", "/api/systemusers").status_code == 200  # the same key
    for product in ("jumpcloud", "strongdm"):
        assert signs_in(loop.endpoints[product]["url"], loop.endpoints[product]["admin"])


def test_reset_of_a_wired_pair_goes_back_to_the_first_sync(start):
    loop = start()
    assert requests.post(f"{loop.endpoints['strongdm']['url']}/_sim/reset", timeout=10, headers={
        "Authorization": f"Bearer {loop.endpoints['strongdm']['scim_token']}"}).status_code == 409  # no snapshot yet
    up.first_sync(loop, timeout=20)
    sdm = loop.strongdm.app.extensions["strongdm"]
    victim = jc_api(loop, "GET", "/api/systemusers", params={"limit": 1}).json()["results"][0]
    jc_api(loop, "DELETE", f"/api/systemusers/{victim['_id']}")
    loop.pusher.wait_idle(20)
    answer = requests.post(f"{loop.endpoints['strongdm']['url']}/_sim/reset", timeout=10, headers={
        "Authorization": f"Bearer {loop.endpoints['strongdm']['scim_token']}"})
    assert answer.status_code == 200
    assert jc_api(loop, "GET", f"/api/systemusers/{victim['_id']}").status_code == 200
    found = sdm.accounts.find_user_by_email(victim["email"])
    assert found is not None and not found.get("suspended")
    assert loop.pusher.wait_idle(20)["idle"]


def test_the_reset_sandbox_button_resets_and_keeps_the_admin_signed_in(start):
    loop = start(blank=True)
    jc = loop.jumpcloud.app.extensions["jumpcloud"]
    users = jc.directory.user_count()
    http = requests.Session()
    login_jumpcloud(http, loop)
    home = http.get(f"{loop.jumpcloud.url}/users", timeout=10).text
    assert "Reset sandbox" in home
    jc_api(loop, "POST", "/api/systemusers", json={"username": "newbie", "email": "newbie@example.com"})
    page = http.get(f"{loop.jumpcloud.url}/_console/reset-sandbox", timeout=10).text
    done = http.post(f"{loop.jumpcloud.url}/_console/reset-sandbox", data={"csrf_token": csrf_of(page)}, timeout=10)
    assert done.status_code == 200 and "back to its starting state" in done.text
    assert jc.directory.user_count() == users
    assert http.get(f"{loop.jumpcloud.url}/users", timeout=10, allow_redirects=False).status_code == 200


def test_the_button_refuses_a_post_without_the_csrf_token(start):
    loop = start(blank=True)
    http = requests.Session()
    login_jumpcloud(http, loop)
    refused = http.post(f"{loop.jumpcloud.url}/_console/reset-sandbox", timeout=10)
    assert refused.status_code in (400, 403)


def test_reset_forgets_what_the_apps_cached_from_the_state_it_replaced(start):
    """The receiver's cached SCIM settings and both inspectors' rings describe the state before the reset."""
    loop = start(blank=True)
    sdm = loop.strongdm.app.extensions["strongdm"]
    sdm.org.activate_scim("generic")
    assert sdm.org.scim_provider() == "generic"  # read, so cached
    rings = [app.extensions["inspector"].ring for app in (loop.jumpcloud.app, loop.strongdm.app)]
    requests.get(f"{loop.endpoints['strongdm']['scim_base_url']}/Users", timeout=10)  # the receiver records it
    assert rings[1].page()[1] > 0
    assert jc_api(loop, "POST", "/_sim/reset").status_code == 200
    assert sdm.org.scim_provider() is None
    assert [ring.page() for ring in rings] == [([], 0), ([], 0)]
