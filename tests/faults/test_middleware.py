"""Faults on demand: the seeded middleware on both apps, /_sim/faults, the fault log."""

import datetime as dt

import pytest
import requests

from sim.faults import middleware as faults
from sim.faults.rules import FaultSyntaxError
from sim.jumpcloud import create_app as create_jumpcloud
from sim.jumpcloud.state import seed_if_empty
from sim.serve import ServerThread
from sim.store import Store
from tests.faults.helpers import AUTH
from tests.faults.helpers import NOW
from tests.faults.helpers import TOKEN
from tests.faults.helpers import USERS
from tests.faults.helpers import FakeTime
from tests.faults.helpers import strongdm_app
from tests.faults.helpers import timed
from tests.faults.helpers import user
from tests.faults.helpers import user_count


@pytest.fixture(scope="module")
def jumpcloud():
    app = create_jumpcloud(Store(None, synchronous="OFF"))
    key = seed_if_empty(app.extensions["jumpcloud"], seed=3, users=3, groups=1)["api_key"]
    return app, key


# -- the middleware on StrongDM -------------------------------------------------------------------------------

def test_an_error_rule_answers_with_a_scim_body_and_changes_nothing():
    app = strongdm_app(["503@POST /provisioning/*"])
    response = app.test_client().post(USERS, json=user(), headers=AUTH)
    assert response.status_code == 503
    assert response.json == {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                             "detail": "Service temporarily unavailable.", "status": "503"}
    assert user_count(app) == 0


def test_an_after_rule_applies_the_write_then_answers_with_the_error():
    app = strongdm_app(["500:after@POST /provisioning/*"])
    response = app.test_client().post(USERS, json=user(), headers=AUTH)
    assert response.status_code == 500
    assert user_count(app) == 1


def test_rules_target_only_their_method():
    client = strongdm_app(["503@POST"]).test_client()
    assert client.get(USERS, headers=AUTH).status_code == 200
    assert client.post(USERS, json=user(), headers=AUTH).status_code == 503


def test_rate_limit_faults_send_retry_after():
    response = strongdm_app(["429:retry-after=7"]).test_client().get(USERS, headers=AUTH)
    assert (response.status_code, response.headers["Retry-After"], response.json["status"]) == (429, "7", "429")


def test_a_revoked_token_looks_exactly_like_a_wrong_one():
    client = strongdm_app(["revoked"]).test_client()
    revoked = client.get(USERS, headers=AUTH)
    wrong = strongdm_app().test_client().get(USERS, headers={"Authorization": "Bearer wrong"})
    assert revoked.status_code == wrong.status_code == 401
    assert revoked.json == wrong.json
    assert revoked.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"]


def fates(seed, n=200):
    client = strongdm_app(["503:0.2"], seed=seed).test_client()
    return [client.get(USERS, headers=AUTH).status_code for _ in range(n)]


def test_a_seed_makes_a_run_reproducible_and_the_rate_roughly_holds():
    first = fates(7)
    assert first == fates(7)
    assert first != fates(8)
    assert 20 <= first.count(503) <= 60  # 20% of 200, with room for chance
    assert set(first) == {200, 503}


def test_each_rule_draws_from_its_own_source_so_adding_a_rule_elsewhere_changes_nothing():
    alone = strongdm_app(["503:0.3@GET"], seed=1).test_client()
    paired = strongdm_app(["503:0.3@GET", "500:0.5@POST"], seed=1).test_client()
    seen = []
    for client in (alone, paired):
        statuses = []
        for i in range(60):
            statuses.append(client.get(USERS, headers=AUTH).status_code)
            if client is paired and i % 3 == 0:
                client.post(USERS, json=user(f"u{i}@example.test"), headers=AUTH)
        seen.append(statuses)
    assert seen[0] == seen[1]


def test_rules_without_a_path_never_touch_consoles_or_control_paths():
    app = strongdm_app(["503"])
    client = app.test_client()
    assert client.get("/").status_code != 503
    assert client.get("/_sim/faults", headers=AUTH).status_code == 200


def test_a_rule_naming_a_console_path_applies_there_but_never_to_sim_paths():
    client = strongdm_app(["503@/*"]).test_client()
    assert client.get("/").status_code == 503
    assert client.get("/_sim/faults", headers=AUTH).status_code == 200


def test_latency_sleeps_for_the_delay_with_seeded_jitter():
    fake = FakeTime()
    app = timed(["latency:50ms±20ms"], fake)
    client = app.test_client()
    for _ in range(30):
        assert client.get(USERS, headers=AUTH).status_code == 200
    assert len(fake.slept) == 30
    assert all(0.030 <= s <= 0.070 for s in fake.slept)
    assert len(set(fake.slept)) > 10  # jittered, not fixed
    assert app.extensions["faults"].delayed == 30


def test_an_outage_fails_everything_for_its_window_then_ends():
    fake = FakeTime()
    app = timed(["outage:30s"], fake)
    client = app.test_client()
    assert client.get(USERS, headers=AUTH).status_code == 503
    assert [r["kind"] for r in faults.active_faults(app)] == ["outage"]
    fake.now += 29.9
    assert client.get(USERS, headers=AUTH).status_code == 503
    fake.now += 0.2
    assert client.get(USERS, headers=AUTH).status_code == 200
    assert faults.active_faults(app) == []


def test_an_outage_in_the_future_waits_for_its_start():
    fake = FakeTime()
    start = dt.datetime.fromtimestamp(NOW + 60, dt.UTC).isoformat()
    end = dt.datetime.fromtimestamp(NOW + 120, dt.UTC).isoformat()
    app = timed([f"outage:{start}..{end}:status=502"], fake)
    client = app.test_client()
    assert client.get(USERS, headers=AUTH).status_code == 200
    fake.now += 90
    assert client.get(USERS, headers=AUTH).status_code == 502


def test_a_truncated_response_keeps_its_content_length_but_not_its_body():
    client = strongdm_app(["truncate:keep=0.5"]).test_client()
    response = client.get(USERS, headers=AUTH)
    assert len(response.get_data()) == int(response.headers["Content-Length"]) // 2


def test_a_truncated_response_over_http_breaks_the_client_read():
    with ServerThread(strongdm_app(["truncate"])) as server:
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(server.url + USERS, headers=AUTH, timeout=5)


def test_a_slow_response_trickles_the_whole_body_out_over_its_duration():
    fake = FakeTime()
    client = timed(["slow:2s"], fake).test_client()
    response = client.get(USERS, headers=AUTH)
    assert response.status_code == 200 and response.json["totalResults"] == 0
    assert len(fake.slept) > 1 and sum(fake.slept) == pytest.approx(2.0)


def test_each_injected_fault_is_logged_newest_first():
    app = strongdm_app(["503@POST", "429@DELETE"])
    client = app.test_client()
    client.post(USERS, json=user(), headers=AUTH)
    client.delete(USERS + "/a-0000000000000000", headers=AUTH)
    log = faults.fault_log(app)
    assert [(e["method"], e["kind"], e["status"], e["rule"]) for e in log] == [
        ("DELETE", "429", 429, "429:retry-after=1@DELETE"), ("POST", "503", 503, "503@POST")]
    assert log[0]["path"] == USERS + "/a-0000000000000000"


def test_set_faults_replaces_the_rules_and_clear_faults_removes_them():
    app = strongdm_app(["500"])
    active = faults.set_faults(app, ["503:0.5@POST", {"kind": "latency", "ms": 10}], seed=3)
    assert [r["text"] for r in active] == ["503:0.5@POST", "latency:10ms"]
    assert app.extensions["faults"].seed == 3
    faults.clear_faults(app)
    assert faults.active_faults(app) == []
    assert app.test_client().get(USERS, headers=AUTH).status_code == 200


def test_a_bad_rule_in_set_faults_leaves_the_old_rules():
    app = strongdm_app(["500"])
    with pytest.raises(FaultSyntaxError):
        faults.set_faults(app, ["503", "nonsense"])
    assert [r["text"] for r in faults.active_faults(app)] == ["500"]


# -- /_sim/faults -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"},
                                     {"Authorization": f"Basic {TOKEN}"}])
@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_the_control_endpoint_refuses_callers_without_the_credential(method, headers):
    app = strongdm_app(["500"])
    response = getattr(app.test_client(), method)("/_sim/faults", json=["503"], headers=headers)
    assert response.status_code == 401
    assert [r["text"] for r in faults.active_faults(app)] == ["500"]


def test_the_control_endpoint_lists_replaces_and_clears_rules():
    app = strongdm_app()
    client = app.test_client()
    put = client.put("/_sim/faults", json={"rules": ["503:0.2@POST /provisioning/*", {"kind": "429"}], "seed": 9},
                     headers=AUTH)
    assert put.status_code == 200
    assert [r["text"] for r in put.json["rules"]] == ["503:0.2@POST /provisioning/*", "429:retry-after=1"]
    assert put.json["seed"] == 9
    client.get(USERS, headers=AUTH)
    got = client.get("/_sim/faults", headers=AUTH).json
    assert got["injected"] == 1 and got["recent"][0]["status"] == 429
    assert client.delete("/_sim/faults", headers=AUTH).json["rules"] == []
    assert client.get(USERS, headers=AUTH).status_code == 200


@pytest.mark.parametrize("body", [{"rules": ["503", "bogus"]}, {"rules": "503"}, {"rules": [], "seed": "x"},
                                  "not json", {"rules": [{"kind": "503", "rate": 7}]}])
def test_a_bad_put_is_a_400_and_changes_nothing(body):
    app = strongdm_app(["500"])
    kwargs = {"data": body} if isinstance(body, str) else {"json": body}
    response = app.test_client().put("/_sim/faults", headers=AUTH, **kwargs)
    assert response.status_code == 400 and response.json["detail"]
    assert [r["text"] for r in faults.active_faults(app)] == ["500"]


def test_the_control_endpoint_never_returns_the_token():
    client = strongdm_app(["500"]).test_client()
    assert TOKEN not in client.get("/_sim/faults", headers=AUTH).get_data(as_text=True)


# -- JumpCloud --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, body", [
    ("/api/systemusers", {"code": 503, "message": "Service Unavailable", "status": "Service Unavailable",
                          "details": []}),
    ("/api/v2/usergroups", {"code": 503, "message": "Service Unavailable", "status": "serviceUnavailable"}),
])
def test_jumpcloud_faults_use_the_v1_or_v2_error_shape(jumpcloud, path, body):
    app, key = jumpcloud
    faults.set_faults(app, ["503@GET"])
    try:
        response = app.test_client().get(path, headers={"x-api-key": key})
    finally:
        faults.clear_faults(app)
    assert (response.status_code, response.json) == (503, body)


def test_a_revoked_jumpcloud_key_gets_the_gateway_401(jumpcloud):
    app, key = jumpcloud
    faults.set_faults(app, ["revoked"])
    try:
        response = app.test_client().get("/api/systemusers", headers={"x-api-key": key})
    finally:
        faults.clear_faults(app)
    assert (response.status_code, response.json) == (401, {"message": "Unauthorized"})


def test_jumpcloud_control_endpoint_takes_the_api_key(jumpcloud):
    app, key = jumpcloud
    client = app.test_client()
    assert client.get("/_sim/faults").status_code == 401
    assert client.put("/_sim/faults", json=["503"], headers={"x-api-key": "0" * 40}).status_code == 401
    assert client.put("/_sim/faults", json=["503@GET /api/v2/*"], headers={"x-api-key": key}).status_code == 200
    assert client.get("/api/v2/usergroups", headers={"x-api-key": key}).status_code == 503
    assert client.get("/api/systemusers", headers={"x-api-key": key}).status_code == 200
    assert client.delete("/_sim/faults", headers={"x-api-key": key}).status_code == 200
    assert key not in client.get("/_sim/faults", headers={"x-api-key": key}).get_data(as_text=True)
