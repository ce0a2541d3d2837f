"""Hostile review (issue 15): a search's CPU is bounded, `/_sim` needs an Administrator key, filters are literal."""

import pytest

from sim.fake import directory as fake


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(4, 12, 2)


def some_user(api) -> dict:
    return api.get("/api/systemusers", params={"limit": 1}).json()["results"][0]


def key_with_role(api, role: str) -> str:
    admin = api.jc.org.create_admin(f"{role.replace(' ', '').lower()}@example.com", "pw", role=role)
    return api.jc.org.create_api_key(admin["_id"])


def test_a_regex_that_backtracks_for_ever_is_cut_off_and_refused(api):
    user = some_user(api)
    assert api.put(f"/api/systemusers/{user['_id']}", json={"description": "a" * 80}).status_code == 200
    # Passes every shape check (no quantified group holding a quantifier) yet backtracks exponentially.
    body = {"filter": {"and": [{"description": {"$regex": "(a|aa){40}b"}}]}}
    response = api.post("/api/search/systemusers", json=body)
    assert response.status_code == 400
    assert "took too long" in response.json()["message"]


def test_a_regex_with_nested_repetition_or_a_backreference_now_runs_under_the_time_limit(api):
    user = some_user(api)
    api.put(f"/api/systemusers/{user['_id']}", json={"description": "abab"})
    for pattern in ("^(ab)+$", "(a)b\\1"):
        body = {"filter": {"and": [{"description": {"$regex": pattern}}]}}
        response = api.post("/api/search/systemusers", json=body)
        assert response.status_code == 200, response.text
        assert [u["_id"] for u in response.json()["results"]] == [user["_id"]]


@pytest.mark.parametrize("value", ["%00", "%25", "_", "%5C"])
def test_a_contains_filter_on_a_strange_character_matches_only_users_holding_it(api, value):
    for path in ("/api/systemusers?filter=username:$co:" + value, "/api/v2/usergroups?filter=name:search:" + value):
        response = api.get(path)
        assert response.status_code in (200, 400), response.text
        if response.status_code == 200:
            body = response.json()
            assert (body.get("totalCount", len(body)) if isinstance(body, dict) else len(body)) == 0, path


@pytest.mark.parametrize("role", ["Read Only", "Help Desk", "Manager"])
@pytest.mark.parametrize("method, path", [("put", "/_sim/faults"), ("delete", "/_sim/faults"),
                                          ("get", "/_sim/faults"), ("post", "/_sim/sync"), ("get", "/_sim/idle")])
def test_sim_control_needs_an_administrator_key(api, role, method, path):
    key = key_with_role(api, role)
    kwargs = {"json": {"rules": ["revoked@* /api/*"]}} if method == "put" else {}
    response = api.http.request(method.upper(), api.url + path, headers={"x-api-key": key}, timeout=10, **kwargs)
    assert response.status_code == 403, (path, response.status_code)
    assert "Administrator" in response.text
    assert api.get("/api/systemusers").status_code == 200  # the Administrator key still works: nothing was changed


def test_sim_control_takes_an_administrator_key(api):
    assert api.get("/_sim/faults").status_code == 200
    assert api.get("/_sim/idle").status_code == 200
