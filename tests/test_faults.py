"""Faults on demand: the rule syntax, the seeded middleware on both apps, /_sim/faults, the fault log."""

import datetime as dt

import pytest
import requests

from sim import faults
from sim import ratelimit
from sim.fault_rules import FaultSyntaxError
from sim.fault_rules import parse_rule
from sim.fault_rules import rule_from
from sim.jumpcloud import create_app as create_jumpcloud
from sim.jumpcloud.models import seed_if_empty
from sim.serve import ServerThread
from sim.store import Store
from sim.strongdm import create_app as create_strongdm

TOKEN = "fault-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
USERS = "/provisioning/generic/v2/Users"
NOW = 1_800_000_000.0


class FakeTime:
    """A clock the test moves, and a sleep that only records."""

    def __init__(self):
        self.now = NOW
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)


def strongdm_app(rules=(), seed=None, **settings):
    return create_strongdm(Store(None), token=TOKEN,
                           settings={"FAULTS": list(rules), **({"FAULT_SEED": seed} if seed is not None else {}),
                                     **settings})


def timed(rules, fake):
    """A StrongDM app whose faults use a fake clock and sleep (rules set after, so outages start at fake now)."""
    app = strongdm_app()
    state = app.extensions["faults"]
    state.clock, state.sleep = fake.clock, fake.sleep
    faults.set_faults(app, rules)
    return app


def user(email="ada@example.test"):
    return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": "Ada", "familyName": "Lovelace"}}


def user_count(app):
    return app.extensions["strongdm"].accounts.count_users()


@pytest.fixture(scope="module")
def jumpcloud():
    app = create_jumpcloud(Store(None))
    key = seed_if_empty(app.extensions["jumpcloud"], seed=3, users=3, groups=1)["api_key"]
    return app, key


# -- the compact syntax -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("503:0.2@POST /provisioning/*", {"kind": "503", "status": 503, "rate": 0.2, "method": "POST",
                                      "path": "/provisioning/*"}),
    ("500", {"kind": "500", "status": 500, "rate": 1.0, "method": "*", "path": None}),
    ("502:25%", {"status": 502, "rate": 0.25}),
    ("429:0.1:retry-after=2", {"status": 429, "rate": 0.1, "retry_after": 2}),
    ("429", {"status": 429, "retry_after": 1}),
    ("latency:50ms±20ms", {"kind": "latency", "ms": 50.0, "jitter_ms": 20.0, "status": None}),
    ("latency:1s+-250ms:rate=0.5", {"ms": 1000.0, "jitter_ms": 250.0, "rate": 0.5}),
    ("latency:80", {"ms": 80.0, "jitter_ms": 0.0}),
    ("outage:30s", {"kind": "outage", "status": 503, "start": NOW, "end": NOW + 30}),
    ("outage:2m:status=502", {"status": 502, "end": NOW + 120}),
    ("outage", {"start": None, "end": None}),
    ("revoked", {"kind": "revoked", "status": 401}),
    ("truncate:0.5:keep=0.1", {"kind": "truncate", "rate": 0.5, "keep": 0.1}),
    ("slow:2s@GET /api/*", {"kind": "slow", "ms": 2000.0, "method": "GET", "path": "/api/*"}),
    ("500:after@PATCH,PUT", {"after": True, "method": "PATCH,PUT", "path": None}),
    ("503@/provisioning/generic/v2/Groups*", {"method": "*", "path": "/provisioning/generic/v2/Groups*"}),
])
def test_compact_rules_parse_into_their_fields(text, expected):
    rule = parse_rule(text, now=NOW)
    assert {k: getattr(rule, k) for k in expected} == expected


def test_an_outage_between_times_parses_iso_8601():
    rule = parse_rule("outage:2026-05-01T10:00:00Z..2026-05-01T10:05:00Z")
    assert rule.start == dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC).timestamp()
    assert rule.end - rule.start == 300


@pytest.mark.parametrize("text", ["503:0.2@POST /provisioning/*", "latency:50ms±20ms", "429:0.1:retry-after=2",
                                  "truncate:0.3:keep=0.2", "500:after@DELETE", "slow:300ms@/api/*",
                                  "outage:30s:status=502", "revoked:0.5"])
def test_every_rule_reads_back_from_its_text_and_its_json(text):
    rule = parse_rule(text, now=NOW)
    assert parse_rule(rule.text(), now=NOW) == rule
    assert rule_from(rule.to_dict(), now=NOW) == rule


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("404", "unknown fault kind '404'"),
    ("503:x", "rate 'x' is not a number"),
    ("503:1.5", "between 0 and 1"),
    ("latency", "latency needs a duration"),
    ("latency:fast", "duration 'fast'"),
    ("slow", "slow needs a duration"),
    ("outage:2026-05-01T10:05:00Z..2026-05-01T10:00:00Z", "must end after it starts"),
    ("outage:yesterday..", "not ISO 8601"),
    ("429:retry-after=soon", "whole seconds"),
    ("503:keep=0.5", "does not apply to 503"),
    ("503@FETCH /x", "unknown method 'FETCH'"),
    ("503@GET provisioning", "must start with /"),
    ("503@GET /a /b", "must be `METHOD PATH`"),
])
def test_bad_rules_fail_with_a_message_naming_the_problem(text, message):
    with pytest.raises(FaultSyntaxError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse_rule(text)


@pytest.mark.parametrize("data, message", [
    ({"kind": "teapot"}, "unknown fault kind"),
    ({"kind": "503", "rate": "0.5"}, "rate must be a number"),
    ({"kind": "503", "colour": "red"}, "unknown rule field 'colour'"),
    ({"kind": "latency", "ms": -1}, "ms must be a number"),
    ({"kind": "429", "retry_after": 1.5}, "whole seconds"),
    ({"kind": "503", "method": ["GET"]}, "must be strings"),
    ([1], "string or a JSON object"),
])
def test_bad_json_rules_fail_with_a_message(data, message):
    with pytest.raises(FaultSyntaxError, match=message):
        rule_from(data)


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


# -- rate limits ----------------------------------------------------------------------------------------------

def test_the_limiter_admits_the_documented_numbers_a_minute_per_credential():
    fake = FakeTime()
    limiter = ratelimit.RateLimiter(clock=fake.clock)
    assert all(limiter.check("a", "write") is None for _ in range(500))
    assert limiter.check("a", "write") == pytest.approx(60.0)
    assert limiter.check("b", "write") is None  # another token has its own budget
    assert all(limiter.check("a", "read") is None for _ in range(5000))
    assert limiter.check("a", "read") is not None
    fake.now += 60
    assert limiter.check("a", "write") is None


def test_the_org_wide_limit_binds_across_credentials():
    limiter = ratelimit.RateLimiter(writes=10, org_writes=15, clock=FakeTime().clock)
    admitted = [limiter.check(f"token-{i % 3}", "write") is None for i in range(30)]
    assert admitted.count(True) == 15


@pytest.mark.parametrize("method, path, kind", [
    ("GET", USERS, "read"), ("POST", USERS, "write"), ("PATCH", USERS + "/a-1", "write"),
    ("DELETE", USERS + "/a-1", "write"), ("POST", USERS + "/.search", "read"), ("HEAD", "/", "read"),
])
def test_requests_count_as_reads_or_writes(method, path, kind):
    assert ratelimit.request_kind(method, path) == kind


def test_over_the_limit_strongdm_answers_429_with_retry_after_and_a_scim_body():
    app = strongdm_app(RATE_LIMITS=True)
    app.extensions["ratelimit"].limits["write"] = 3
    client = app.test_client()
    statuses = [client.post(USERS, json=user(f"u{i}@example.test"), headers=AUTH).status_code for i in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    response = client.post(USERS, json=user("late@example.test"), headers=AUTH)
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert user_count(app) == 3
    assert client.get("/_sim/faults", headers=AUTH).status_code == 200  # control paths are not limited


def test_rate_limits_are_off_unless_asked_for():
    assert "ratelimit" not in strongdm_app().extensions


# -- the command line ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["strongdm", "jumpcloud", "up"])
def test_a_bad_fault_flag_stops_the_command_with_the_syntax(command):
    from click.testing import CliRunner

    from sim.cli import cli

    result = CliRunner().invoke(cli, [command, "--fault", "503:often"])
    assert result.exit_code == 2
    assert "rate 'often' is not a number" in result.output and "KIND[:ARG]" in result.output


def test_sim_strongdm_serves_with_the_faults_of_its_flags(tmp_path):
    import json
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-m", "sim", "strongdm", "--port", "0", "--grpc-port", "0",
                                "--state-dir", str(tmp_path), "--token", TOKEN, "--fault", "503@GET /provisioning/*",
                                "--fault", "latency:1ms"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (tmp_path / "endpoints.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        url = json.loads((tmp_path / "endpoints.json").read_text())["strongdm"]["url"]
        assert requests.get(url + USERS, headers=AUTH, timeout=5).status_code == 503
        rules = requests.get(url + "/_sim/faults", headers=AUTH, timeout=5).json()["rules"]
        assert [r["text"] for r in rules] == ["503@GET /provisioning/*", "latency:1ms"]
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "Fault              503@GET /provisioning/*" in output
