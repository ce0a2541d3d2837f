"""Directory Insights as documented: state-change event types, `systemuser` resources, `@version`, and the
`/events/count`, `/events/distinct` and `/events/interval` queries with search terms (over real HTTP)."""

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sim.fake import directory as fake
from sim.jumpcloud import create_app

SINCE = {"service": ["all"], "start_time": "2000-01-01T00:00:00Z"}


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(5, 8, 2)


def di(api, route="", **body):
    return api.post(f"/insights/directory/v1/events{route}", json={**SINCE, **body})


def user_events(api, user_id):
    return [e for e in di(api).json() if e.get("resource", {}).get("id") == user_id]


def new_user(api, **fields):
    return api.post("/api/systemusers", json={"username": "ada", "email": "ada@example.com", **fields}).json()


def test_state_changes_have_their_own_event_types(api):
    user = new_user(api, state="STAGED")
    api.post(f"/api/systemusers/{user['_id']}/state/activate")
    api.post(f"/api/systemusers/{user['_id']}/state/suspend")
    api.put(f"/api/systemusers/{user['_id']}", json={"state": "ACTIVATED"})
    api.put(f"/api/systemusers/{user['_id']}", json={"suspended": True, "jobTitle": "CTO"})
    assert [e["event_type"] for e in user_events(api, user["_id"])] == [
        "user_create", "user_activated", "user_suspended", "user_unsuspended", "user_suspended", "user_update"]


def test_a_state_event_carries_the_state_change_and_an_update_the_rest(api):
    user = new_user(api)
    api.put(f"/api/systemusers/{user['_id']}", json={"suspended": True, "jobTitle": "CTO"})
    suspended, updated = user_events(api, user["_id"])[-2:]
    assert {c["field"] for c in suspended["changes"]} == {"state", "suspended"}
    assert updated["changes"] == [{"field": "jobTitle", "from": "", "to": "CTO"}]


def test_user_resources_are_systemusers_and_documents_carry_at_version(api):
    user = new_user(api)
    event = user_events(api, user["_id"])[0]
    assert event["resource"] == {"id": user["_id"], "type": "systemuser", "username": "ada"}
    assert event["@version"] == "1" and "version" not in event


def test_count_is_the_number_of_events_the_same_query_lists(api):
    new_user(api)
    listed = di(api).json()
    assert di(api, "/count").json() == {"count": len(listed)}
    assert di(api, "/count", service=["sso"]).json() == {"count": 0}


def test_search_terms_and_or_not_and_the_operator_form(api):
    user = new_user(api)
    api.post(f"/api/systemusers/{user['_id']}/state/suspend")
    def types(term):
        return [e["event_type"] for e in di(api, search_term=term).json()]
    assert types({"and": [{"event_type": "user_suspended"}, {"resource.username": "ADA"}]}) == ["user_suspended"]
    assert types({"or": [{"event_type": ["user_suspended", "user_create"]}]}).count("user_suspended") == 1
    assert "user_create" not in types({"not": [{"event_type": "user_create"}]})
    assert types({"and": [{"field": "event_type", "operator": "startsWith", "value": "user_sus"}]}) == ["user_suspended"]
    assert types({"and": [{"field": "success", "operator": "eq", "value": False}]}) == []
    count = di(api, "/count", search_term={"and": [{"field": "event_type", "operator": "contains", "value": "create"}]})
    assert count.json()["count"] == len(types({"and": [{"field": "event_type", "operator": "contains", "value": "create"}]}))


def test_fields_and_skip_shape_the_listing(api):
    new_user(api)
    everything = di(api).json()
    rows = di(api, fields=["event_type", "resource.type"], skip=1).json()
    assert rows == [{"event_type": e["event_type"], **({"resource": {"type": e["resource"]["type"]}} if "resource" in e else {})}
                    for e in everything[1:]]


def test_distinct_counts_each_value_of_a_field(api):
    user = new_user(api)
    api.post(f"/api/systemusers/{user['_id']}/state/suspend")
    api.post(f"/api/systemusers/{user['_id']}/state/activate")
    body = di(api, "/distinct", field="event_type").json()
    events = di(api).json()
    expected = {}
    for e in events:
        expected[e["event_type"]] = expected.get(e["event_type"], 0) + 1
    assert {b["key"]: b["doc_count"] for b in body["buckets"]} == expected
    assert [b["doc_count"] for b in body["buckets"]] == sorted(expected.values(), reverse=True)
    assert body["doc_count_error_upper_bound"] == 0 and body["sum_other_doc_count"] == 0


def test_interval_buckets_events_by_time(api):
    insights = api.jc.insights
    for stamp in ("2026-03-01T10:05:00.000Z", "2026-03-01T10:55:00.000Z", "2026-03-01T12:30:00.000Z"):
        insights.record_event("sso", "user_login_attempt", timestamp=stamp)
    body = di(api, "/interval", service=["sso"], interval_unit="h").json()
    assert body == {"buckets": [
        {"key": 1772359200000, "key_as_string": "2026-03-01T10:00:00.000Z", "doc_count": 2},
        {"key": 1772362800000, "key_as_string": "2026-03-01T11:00:00.000Z", "doc_count": 0},
        {"key": 1772366400000, "key_as_string": "2026-03-01T12:00:00.000Z", "doc_count": 1}]}
    daily = di(api, "/interval", service=["sso"], interval_unit="d", timezone="America/Denver").json()["buckets"]
    assert daily == [{"key": 1772348400000, "key_as_string": "2026-03-01T00:00:00.000-07:00", "doc_count": 3}]
    two_hours = di(api, "/interval", service=["sso"], interval_unit="h", interval_value="2").json()["buckets"]
    assert [b["doc_count"] for b in two_hours] == [2, 1]


@pytest.mark.parametrize("limit", [0, 10001, "ten", 1e30, True, 10**30])
def test_a_nonsensical_limit_gets_the_default_row_count_as_documented(api, limit):
    response = di(api, limit=limit)
    assert response.status_code == 200 and response.headers["X-Limit"] == "1000"


@pytest.mark.parametrize(("sort", "answered"), [("DESC", "DESC"), ("desc", "DESC"), ("sideways", "ASC"), (3, "ASC")])
def test_sort_is_case_insensitive_and_nonsense_silently_ascending(api, sort, answered):
    new_user(api)
    response = di(api, sort=sort)
    assert response.status_code == 200 and response.headers["X-Sort"] == answered
    stamps = [e["timestamp"] for e in response.json()]
    assert stamps == sorted(stamps, reverse=answered == "DESC")


def test_x_search_after_is_epoch_millis_and_id_and_always_sent(api):
    new_user(api)
    new_user(api, username="bob", email="bob@example.com")
    first = di(api, limit=1)
    cursor = json.loads(first.headers["X-Search_after"])
    event = first.json()[0]
    assert cursor == [int(dt.datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp() * 1000), event["id"]]
    second = di(api, limit=1, search_after=cursor).json()
    assert second and second[0]["id"] != event["id"]
    assert "X-Search_after" in di(api, start_time="2999-01-01T00:00:00Z").headers


@pytest.mark.parametrize(("route", "body"), [
    ("/count", {"search_term": {"and": "x"}}),
    ("/count", {"search_term": {"xor": []}}),
    ("/count", {"search_term": {"and": [{"field": "event_type", "operator": "like", "value": "x"}]}}),
    ("/count", {"search_term": {"and": [{"bad field!": "x"}]}}),
    ("/count", {"search_term": {"and": [{"event_type": {"nested": "x"}}]}}),
    ("/count", {"search_term": {"and": [{"event_type": "x"}] * 101}}),
    ("/count", {"search_term": {"and": [{"event_type": ["x"] * 1001}]}}),
    ("", {"fields": "event_type"}),
    ("", {"skip": -1}),
    ("", {"skip": 10**20}),
    ("", {"fields": []}),
    ("", {"fields": ["nothing_known"]}),
    ("", {"exact_match": "x"}),
    ("/distinct", {}),
    ("/distinct", {"field": ""}),
    ("/interval", {}),
    ("/interval", {"interval_unit": "y"}),
    ("/interval", {"interval_unit": "h", "interval_value": "0"}),
    ("/interval", {"interval_unit": "h", "interval_value": "ten"}),
    ("/interval", {"interval_unit": "h", "timezone": "Mars/Olympus"}),
    ("/interval", {"interval_unit": "s", "start_time": "2000-01-01T00:00:00Z", "end_time": "2030-01-01T00:00:00Z",
                   "search_term": {"or": [{"event_type": "a"}, {"event_type": "b"}]}, "_spread": True}),
])
def test_bad_queries_are_400_with_the_spec_error_and_bounded(api, route, body):
    if body.pop("_spread", False):  # two events years apart in one-second buckets: far too many buckets
        api.jc.insights.record_event("directory", "a", timestamp="2001-01-01T00:00:00.000Z")
        api.jc.insights.record_event("directory", "b", timestamp="2029-01-01T00:00:00.000Z")
    response = di(api, route, **body)
    assert response.status_code == 400, response.text[:200]
    assert set(response.json()) == {"message"}


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(["event_type", "resource.type", "h", "d", "w", "eq", "in",
                                                           "contains", "before", "UTC", "+05:30", "2026-01-01T00:00:00Z"]))
TERMS = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.sampled_from(["and", "or", "not", "field", "operator", "value", "event_type", "success"]),
                    children, max_size=4)), max_leaves=12)
BODIES = st.fixed_dictionaries({"service": st.just(["all"]), "start_time": st.just("2000-01-01T00:00:00Z")}, optional={
    "search_term": TERMS, "field": TERMS, "interval_unit": TERMS, "interval_value": TERMS, "timezone": TERMS,
    "fields": TERMS, "skip": TERMS, "limit": TERMS, "sort": TERMS, "search_after": TERMS, "q": TERMS, "end_time": TERMS})


@pytest.fixture(scope="module")
def client(generated):
    app = create_app()
    key = app.extensions["jumpcloud"].seed(generated, {"email": "admin@example.com", "password": "pw"})
    return app.test_client(), key


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(["", "/count", "/distinct", "/interval"]), body=BODIES)
def test_random_query_bodies_are_answered_or_refused_never_a_500(client, route, body):
    test_client, key = client
    response = test_client.post(f"/insights/directory/v1/events{route}", json=body, headers={"x-api-key": key})
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 400:
        assert set(response.get_json()) == {"message"}
