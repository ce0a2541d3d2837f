"""JumpCloud API over real HTTP: x-api-key and x-org-id, roles, error shapes, body limits, Directory Insights."""

import json
import types

import pytest
import requests

from sim.jumpcloud import create_app
from sim.store import FixedClock
from sim.store import Store

ORG = "a" * 24
USER = f"{1:024x}"
GROUP = f"{9:024x}"
ANY_KEY_PATHS = [("get", "/api/systemusers"), ("get", "/api/applications"), ("get", "/api/v2/usergroups"),
                 ("post", "/insights/directory/v1/events"), ("post", "/api/search/systemusers")]


def tiny_directory():
    users = [{"_id": USER, "username": "alice", "email": "alice@example.com", "state": "ACTIVATED"}]
    return types.SimpleNamespace(org_id=ORG, company="Tiny", users=users,
                                 groups=[{"id": GROUP, "name": "Engineering"}], memberships=[])


@pytest.fixture
def make(tmp_path, server):
    """Build a seeded app with these settings and serve it; returns (base url, api key, JumpCloud state)."""
    stores = []

    def build(**settings):
        store = Store(tmp_path / f"jc{len(stores)}.sqlite3", clock=FixedClock(), id_salt="t", synchronous="OFF")
        stores.append(store)
        app = create_app(store, settings=settings)
        jc = app.extensions["jumpcloud"]
        key = jc.seed(tiny_directory(), {"email": "admin@example.com", "password": "pw"})
        server.current["app"] = app
        return server.url, key, jc

    yield build
    for store in stores:
        store.close()


@pytest.fixture
def site(make):
    return make()


def call(site, method, path, key="default", **kwargs):
    url, good_key, _ = site
    headers = kwargs.pop("headers", {})
    if key is not None:
        headers["x-api-key"] = good_key if key == "default" else key
    return requests.request(method, url + path, headers=headers, timeout=10, **kwargs)


@pytest.mark.parametrize(("method", "path"), ANY_KEY_PATHS)
def test_a_missing_key_is_401_by_default(site, method, path):
    response = call(site, method, path, key=None, allow_redirects=False)
    assert response.status_code == 401 and response.json()["message"] == "Unauthorized"


def test_a_missing_key_can_redirect_to_login_as_measured_by_a_third_party(make):
    site = make(JUMPCLOUD_MISSING_KEY="redirect")
    response = call(site, "get", "/api/systemusers", key=None, allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


@pytest.mark.parametrize(("method", "path"), ANY_KEY_PATHS)
def test_a_wrong_key_is_401(site, method, path):
    response = call(site, method, path, key="0" * 40)
    assert response.status_code == 401
    expected = {"message": "Unauthorized"} if "/v2/" not in path else \
        {"code": 401, "message": "Unauthorized", "status": "unauthorized"}
    assert response.json() == expected


def test_a_revoked_key_stops_working(site):
    _, key, jc = site
    assert call(site, "get", "/api/systemusers").status_code == 200
    jc.org.revoke_api_key(key)
    assert call(site, "get", "/api/systemusers").status_code == 401


@pytest.mark.parametrize(("org_id", "status"), [(ORG, 200), ("b" * 24, 404), ("not-an-org", 400)])
def test_x_org_id_must_name_this_org_when_given(site, org_id, status):
    assert call(site, "get", "/api/systemusers", headers={"x-org-id": org_id}).status_code == status


@pytest.mark.parametrize(("role", "method", "path", "body", "status"), [
    ("Read Only", "get", "/api/systemusers", None, 200),
    ("Read Only", "post", "/api/search/systemusers", {}, 200),
    ("Read Only", "post", "/api/systemusers", {"username": "x", "email": "x@example.com"}, 403),
    ("Read Only", "delete", f"/api/systemusers/{USER}", None, 403),
    ("Help Desk", "post", "/api/systemusers", {"username": "x", "email": "x@example.com"}, 200),
    ("Help Desk", "post", "/api/v2/applications/{app}/associations", {"op": "add", "type": "user", "id": USER}, 403),
    ("Administrator", "post", "/api/v2/applications/{app}/associations", {"op": "add", "type": "user", "id": USER}, 204),
])
def test_roles_limit_what_a_key_may_do(site, role, method, path, body, status):
    _, _, jc = site
    admin = jc.org.create_admin(f"{role.replace(' ', '')}@example.com", "pw", role=role)
    key = jc.org.create_api_key(admin["_id"])
    path = path.format(app=jc.directory.find_app("strongdm")["_id"])
    response = call(site, method, path, key=key, json=body)
    assert response.status_code == status
    if status == 403:
        assert jc.directory.last_seq() == 0


def test_an_oversized_body_is_413_in_json(make):
    site = make(MAX_CONTENT_LENGTH=1024)
    response = call(site, "post", "/api/systemusers", json={"username": "x", "email": "x@example.com",
                                                            "description": "y" * 5000})
    assert response.status_code == 413 and response.json()["code"] == 413
    assert site[2].directory.user_count() == 1


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/api/nothing-here", 404), ("get", "/api/v2/nothing", 404), ("patch", "/api/systemusers", 405),
    ("delete", "/api/v2/usergroups", 405)])
def test_unknown_routes_and_methods_get_json_errors(site, method, path, status):
    response = call(site, method, path)
    assert response.status_code == status and response.json()["code"] == status


def test_errors_never_leak_a_traceback(site, monkeypatch):
    _, _, jc = site
    monkeypatch.setattr(jc.directory, "list_users", lambda query: 1 / 0)
    response = call(site, "get", "/api/systemusers")
    assert response.status_code == 500
    assert response.json()["message"] == "Internal Server Error" and "Traceback" not in response.text


def events(site, **body):
    return call(site, "post", "/insights/directory/v1/events", json={"service": ["all"],
                                                                     "start_time": "2000-01-01T00:00:00Z", **body})


def test_directory_changes_show_up_as_di_events_initiated_by_the_admin(site):
    call(site, "post", "/api/systemusers", json={"username": "bob", "email": "bob@example.com"})
    call(site, "put", f"/api/systemusers/{USER}", json={"jobTitle": "CTO"})
    call(site, "post", f"/api/v2/usergroups/{GROUP}/members", json={"op": "add", "type": "user", "id": USER})
    response = events(site)
    assert response.status_code == 200
    rows = response.json()
    assert [e["event_type"] for e in rows] == ["user_create", "user_update", "association_change"]
    assert rows[1]["changes"] == [{"field": "jobTitle", "from": "", "to": "CTO"}]
    assert rows[0]["initiated_by"] == {"id": site[2].org.admins()[0]["_id"], "type": "admin",
                                       "email": "admin@example.com"}
    assert rows[0]["client_ip"] == "127.0.0.1"
    assert response.headers["X-Result-Count"] == "3" and response.headers["X-Limit"] == "1000"


def test_paging_with_search_after_visits_every_event_once(site):
    for n in range(7):
        call(site, "post", "/api/systemusers", json={"username": f"u{n}", "email": f"u{n}@example.com"})
    seen, cursor = [], None
    while True:
        response = events(site, limit=3, **({"search_after": cursor} if cursor else {}))
        page = response.json()
        seen.extend(e["id"] for e in page)
        if not page:
            break
        cursor = json.loads(response.headers["X-Search_after"])
    assert len(seen) == len(set(seen)) == 7


def test_events_filter_by_service_and_time(site):
    _, _, jc = site
    jc.insights.record_event("sso", "user_create_provision", success=True)
    call(site, "post", "/api/systemusers", json={"username": "bob", "email": "bob@example.com"})
    assert [e["event_type"] for e in events(site, service=["sso"]).json()] == ["user_create_provision"]
    assert events(site, start_time="2999-01-01T00:00:00Z").json() == []
    assert events(site, end_time="2000-01-02T00:00:00Z").json() == []


@pytest.mark.parametrize("body", [{"service": ["all"]}, {"start_time": "2000-01-01T00:00:00Z"},
                                  {"service": ["all"], "start_time": "yesterday"},
                                  {"service": ["nope"], "start_time": "2000-01-01T00:00:00Z"},
                                  {"service": ["all"], "start_time": "2000-01-01T00:00:00Z", "search_after": [1]},
                                  []])
def test_bad_event_queries_are_400(site, body):
    response = call(site, "post", "/insights/directory/v1/events", json=body)
    assert response.status_code == 400 and set(response.json()) == {"message"}  # the DI spec's ErrorMessage
