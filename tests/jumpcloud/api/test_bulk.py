"""Bulk jobs over real HTTP: `/api/v2/bulk/users` (+ results) and scheduled state changes `/api/v2/bulk/userstates`."""

import datetime as dt

import pytest

from sim.fake import directory as fake
from tests.jumpcloud.api.helpers import v2_error


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(4, 3, 1)


def people(*names):
    return [{"username": n, "email": f"{n}@example.com", "firstname": n, "lastname": "Bulk"} for n in names]


def at(clock, seconds):
    return (clock.now() + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def some_user(api):
    return api.get("/api/systemusers", params={"limit": 1, "sort": "username"}).json()["results"][0]


def test_bulk_create_answers_a_job_id_and_per_user_results(api):
    response = api.post("/api/v2/bulk/users", json=people("bk1", "bk2") + [{"username": "bk3"}])
    assert response.status_code == 201
    job = response.json()["jobId"]
    results = api.get(f"/api/v2/bulk/users/{job}/results").json()
    assert [r["status"] for r in results] == ["finished", "finished", "failed"]
    assert "email" in results[2]["statusMsg"]
    made = api.jc.directory.find_user(username="bk1")
    assert results[0]["id"] == made["_id"] and results[0]["persistedFields"]["username"] == "bk1"
    assert made["state"] == "ACTIVATED" and made["creationSource"] == "jumpcloud:bulk"


def test_an_application_creation_source_stages_the_users(api):
    api.post("/api/v2/bulk/users", json=people("bk4"), headers={"creation-source": "jumpcloud:scim"})
    made = api.jc.directory.find_user(username="bk4")
    assert made["state"] == "STAGED" and made["creationSource"] == "jumpcloud:scim"


def test_bulk_update_patches_users_by_id(api):
    user = some_user(api)
    response = api.patch("/api/v2/bulk/users", json=[{"id": user["_id"], "department": "Bulked"},
                                                     {"id": "f" * 24, "department": "x"}])
    assert response.status_code == 201
    results = api.get(f"/api/v2/bulk/users/{response.json()['jobId']}/results").json()
    assert [r["status"] for r in results] == ["finished", "failed"]
    assert api.jc.directory.get_user(user["_id"])["department"] == "Bulked"


@pytest.mark.parametrize(("body", "headers"), [
    ({"username": "x"}, {}), ([], {}), (["x"], {}), (people("ok"), {"creation-source": "jumpcloud:nope"})])
def test_bad_bulk_requests_are_400_and_create_nothing(api, body, headers):
    before = api.jc.directory.user_count()
    assert v2_error(api.post("/api/v2/bulk/users", json=body, headers=headers), 400)
    assert api.jc.directory.user_count() == before


def test_unknown_job_results_are_404(api):
    assert v2_error(api.get(f"/api/v2/bulk/users/{'f' * 24}/results"), 404)


def test_a_scheduled_suspension_waits_until_due(clocked_api, clock):
    api = clocked_api
    user = some_user(api)
    response = api.post("/api/v2/bulk/userstates", json={"user_ids": [user["_id"]], "state": "SUSPENDED",
                                                         "start_date": at(clock, 3600)})
    assert response.status_code == 201
    [scheduled] = response.json()
    assert scheduled["systemUserId"] == user["_id"] and scheduled["state"] == "SUSPENDED"
    assert api.get("/api/v2/bulk/userstates").json() == [scheduled]
    assert api.jc.bulk.run_due() == 0 and api.jc.directory.get_user(user["_id"])["state"] == "ACTIVATED"
    clock.advance(3601)
    assert api.jc.bulk.run_due() == 1
    assert api.jc.directory.get_user(user["_id"])["state"] == "SUSPENDED"
    assert api.get("/api/v2/bulk/userstates").json() == []


def test_a_cancelled_job_never_runs(clocked_api, clock):
    api = clocked_api
    user = some_user(api)
    [scheduled] = api.post("/api/v2/bulk/userstates", json={"user_ids": [user["_id"]], "state": "SUSPENDED",
                                                            "start_date": at(clock, 60)}).json()
    assert api.delete(f"/api/v2/bulk/userstates/{scheduled['scheduledJobId']}").status_code == 204
    clock.advance(61)
    assert api.jc.bulk.run_due() == 0 and api.jc.directory.get_user(user["_id"])["state"] == "ACTIVATED"
    assert v2_error(api.delete(f"/api/v2/bulk/userstates/{scheduled['scheduledJobId']}"), 404)


def test_list_filters_by_user(clocked_api, clock):
    api = clocked_api
    users = api.get("/api/systemusers", params={"limit": 2}).json()["results"]
    api.post("/api/v2/bulk/userstates", json={"user_ids": [u["_id"] for u in users], "state": "SUSPENDED",
                                              "start_date": at(clock, 60)})
    listed = api.get("/api/v2/bulk/userstates", params={"userid": users[1]["_id"]}).json()
    assert [s["systemUserId"] for s in listed] == [users[1]["_id"]]


@pytest.mark.parametrize("body", [
    {"state": "SUSPENDED", "start_date": "2030-01-01T00:00:00Z"},
    {"user_ids": [], "state": "SUSPENDED", "start_date": "2030-01-01T00:00:00Z"},
    {"user_ids": ["{user}"], "state": "STAGED", "start_date": "2030-01-01T00:00:00Z"},
    {"user_ids": ["{user}"], "state": "SUSPENDED", "start_date": "next tuesday"},
    {"user_ids": ["{user}"], "state": "SUSPENDED"},
    {"user_ids": ["f" * 24], "state": "SUSPENDED", "start_date": "2030-01-01T00:00:00Z"},
    {"user_ids": ["nope"], "state": "SUSPENDED", "start_date": "2030-01-01T00:00:00Z"},
])
def test_bad_schedules_are_400_and_schedule_nothing(api, body):
    user = some_user(api)
    body = {k: [user["_id"] if v == "{user}" else v for v in val] if k == "user_ids" else val
            for k, val in body.items()}
    response = api.post("/api/v2/bulk/userstates", json=body)
    assert response.status_code == 400
    assert api.get("/api/v2/bulk/userstates").json() == []


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2030-13-01T00:00:00Z",
                                   "x" * 5000])
def test_odd_start_dates_are_400_not_500(api, start):
    response = api.post("/api/v2/bulk/userstates", json={"user_ids": [some_user(api)["_id"]], "state": "SUSPENDED",
                                                         "start_date": start})
    assert v2_error(response, 400)
