"""Identity Management: settings, the Activate connection test, control endpoints, retries, restarts, any SCIM server."""

import socket
import time

import pytest
import requests

from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.pusher.settings import ActivationError
from tests.loop.helpers import TOKEN
from tests.loop.helpers import Harness
from tests.loop.helpers import ScimDouble


@pytest.fixture
def loop():
    harness = Harness()
    yield harness
    harness.stop()


@pytest.fixture(scope="module")
def idle_loop():
    """One unconfigured pair for tests that change nothing."""
    harness = Harness()
    yield harness
    harness.stop()


def double_harness(**options):
    double = ScimDouble(**options)
    return double, Harness(receiver=double.app)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- settings --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("base_url, message", [
    ("http://127.0.0.1:9/scim/v2/", "trailing slash"),
    ("ftp://127.0.0.1/scim", "http(s)"),
    ("", "required"),
    ("http://127.0.0.1/scim?x=1", "query"),
    ("http://admin:secret@127.0.0.1/scim", "user name or password"),
])
def test_bad_base_urls_are_refused_with_a_reason(idle_loop, base_url, message):
    with pytest.raises(BadRequestError, match=message.replace("(", r"\(").replace(")", r"\)")):
        idle_loop.pusher.configure(idle_loop.app_id, base_url=base_url, token=TOKEN)
    assert idle_loop.pusher.idm.get(idle_loop.app_id) is None


@pytest.mark.parametrize("field, value", [("update_method", "POST"), ("delete_mode", "purge"),
                                          ("group_management", "yes"), ("token", "")])
def test_bad_settings_are_refused(idle_loop, field, value):
    with pytest.raises(BadRequestError):
        idle_loop.pusher.configure(idle_loop.app_id, **{"base_url": idle_loop.base_url, "token": TOKEN, field: value})
    assert idle_loop.pusher.idm.get(idle_loop.app_id) is None


def test_the_token_is_stored_but_never_returned(loop):
    public = loop.pusher.configure(loop.app_id, base_url=loop.base_url, token=TOKEN, test_user_email="t@example.com")
    assert public["token_set"] is True and TOKEN not in str(public)
    response = requests.get(f"{loop.jc_server.url}/_sim/identity-management/{loop.app_id}",
                            headers={"x-api-key": loop.api_key}, timeout=5)
    assert response.status_code == 200 and TOKEN not in response.text
    assert loop.pusher.idm.get(loop.app_id)["token"] == TOKEN  # it must be sent, so it is kept


def test_a_new_base_url_needs_the_token_again_so_the_stored_token_never_moves(loop):
    loop.pusher.configure(loop.app_id, base_url=loop.base_url, token=TOKEN)
    elsewhere = "http://127.0.0.1:9/listener/v2"
    with pytest.raises(BadRequestError, match="enter the Token Key again"):
        loop.pusher.configure(loop.app_id, base_url=elsewhere)
    assert loop.pusher.idm.get(loop.app_id)["base_url"] == loop.base_url
    loop.pusher.configure(loop.app_id, base_url=elsewhere, token="a-new-token")
    assert loop.pusher.idm.get(loop.app_id)["base_url"] == elsewhere


def test_editing_an_active_configuration_pauses_pushing_until_activated_again(loop):
    loop.connect()
    loop.pusher.configure(loop.app_id, base_url=loop.base_url, test_user_email="again@example.com")
    assert loop.pusher.idm.active() == []
    user = loop.new_user("waiting@example.com")
    loop.directory.change_binding(loop.app_id, "add", "user", user["_id"])
    time.sleep(0.2)
    assert loop.sdm.accounts.find_user_by_email("waiting@example.com") is None
    loop.pusher.activate(loop.app_id)
    loop.wait()
    assert loop.sdm.accounts.find_user_by_email("waiting@example.com") is not None


# -- activation --------------------------------------------------------------------------------------------------


def test_activation_runs_the_test_in_order_and_leaves_nothing_behind():
    double, harness = double_harness()
    try:
        harness.pusher.configure(harness.app_id, base_url=harness.base_url, token=TOKEN,
                                 test_user_email="probe@example.com")
        harness.pusher.activate(harness.app_id)
        first = [(m, p.split("/")[1]) for m, p in double.log[:6]]
        assert first == [("GET", "Users"), ("POST", "Users"), ("POST", "Groups"), ("PATCH", "Groups"),
                         ("DELETE", "Groups"), ("DELETE", "Users")]
        assert double.user_by_name("probe@example.com") is None
        event = harness.events("integration_activate")[-1]
        assert event["success"] is True and event["resource"]["id"] == harness.app_id
        assert [(s["method"], s["status"]) for s in event["steps"]] == [
            ("GET", 200), ("POST", 201), ("POST", 201), ("PATCH", 204), ("DELETE", 204), ("DELETE", 204)]
    finally:
        harness.stop()


def test_without_user_delete_the_test_user_is_deactivated_instead():
    double, harness = double_harness(user_delete=False)
    try:
        harness.pusher.configure(harness.app_id, base_url=harness.base_url, token=TOKEN,
                                 test_user_email="probe@example.com")
        harness.pusher.activate(harness.app_id)
        assert double.user_by_name("probe@example.com")["active"] is False
    finally:
        harness.stop()


def failing_receivers():
    def exists(double):
        double.users["x"] = {"id": "x", "userName": "probe@example.com"}

    def server_error(double):
        double.fail[("POST", "/Users")] = (500, "database on fire")

    return [
        ("test user exists", {}, exists, {}, "already exists"),
        ("non-string ids", {"int_ids": True}, None, {}, "not a string"),
        ("no group CRUD", {"groups": False}, None, {}, "does not support group creation"),
        ("HTTP error", {}, server_error, {}, "HTTP 500 on POST /Users while trying to create the test user: database on fire"),
        ("bad token", {}, None, {"token": "wrong-token-0123456789abcdef"}, "rejected the Token Key (HTTP 401"),
    ]


@pytest.mark.parametrize("case, options, prepare, settings, reason", failing_receivers(), ids=lambda v: v if isinstance(v, str) else "")
def test_activation_failures_give_their_reason(case, options, prepare, settings, reason):
    double, harness = double_harness(**options)
    try:
        if prepare:
            prepare(double)
        harness.pusher.configure(harness.app_id, base_url=harness.base_url, token=settings.get("token", TOKEN),
                                 test_user_email="probe@example.com")
        with pytest.raises(ActivationError) as caught:
            harness.pusher.activate(harness.app_id)
        assert reason in caught.value.reason
        assert caught.value.message.startswith("There was a problem activating identity management")
        assert harness.pusher.idm.public(harness.app_id)["status"] == "failed"
        assert harness.pusher.idm.active() == []
        event = harness.events("integration_activate")[-1]
        assert event["success"] is False and reason in event["message"]
        if case not in ("test user exists", "non-string ids"):  # a failed test cleans up what it can address
            assert double.user_by_name("probe@example.com") is None
    finally:
        harness.stop()


def test_group_management_off_activates_against_a_server_without_groups():
    double, harness = double_harness(groups=False)
    try:
        harness.connect(group_management=False)
        assert double.groups == {} and len(double.users) > 0
    finally:
        harness.stop()


def test_an_unreachable_base_url_is_connection_refused(loop):
    loop.pusher.configure(loop.app_id, base_url=f"http://127.0.0.1:{free_port()}/scim", token=TOKEN,
                          test_user_email="probe@example.com")
    with pytest.raises(ActivationError, match="connection refused"):
        loop.pusher.activate(loop.app_id)


def test_the_strongdm_receiver_passes_the_connection_test_and_keeps_no_test_user(loop):
    loop.connect()
    assert loop.sdm.accounts.find_user_by_email("scim-test@example.com") is None
    assert loop.sdm.accounts.find_role_by_name("JumpCloud Test Group") is None


# -- control endpoints ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method, path", [("POST", "/_sim/sync"), ("GET", "/_sim/idle"),
                                          ("GET", "/_sim/identity-management/x")])
@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_control_endpoints_need_the_api_key(idle_loop, method, path, key):
    headers = {"x-api-key": key} if key else {}
    response = requests.request(method, idle_loop.jc_server.url + path, headers=headers, timeout=5)
    assert response.status_code == 401


@pytest.mark.parametrize("timeout", ["abc", "-1", "301", "nan", "inf"])
def test_idle_refuses_a_bad_timeout(idle_loop, timeout):
    response = requests.get(f"{idle_loop.jc_server.url}/_sim/idle", params={"timeout": timeout},
                            headers={"x-api-key": idle_loop.api_key}, timeout=5)
    assert response.status_code == 400


def test_sync_repairs_drift_on_the_receiver_and_idle_reports_it(loop):
    loop.connect()
    victim = next(u for u in loop.sdm.accounts.all_users() if u.get("managed_by"))
    loop.sdm.accounts.update_user({**victim, "suspended": True}, actor=None)  # someone suspends it in StrongDM
    headers = {"x-api-key": loop.api_key}
    response = requests.post(f"{loop.jc_server.url}/_sim/sync", headers=headers, timeout=5)
    assert response.status_code == 202 and response.json()["queued"] > 0
    idle = requests.get(f"{loop.jc_server.url}/_sim/idle", params={"timeout": 20}, headers=headers, timeout=30).json()
    assert idle == {"idle": True, "pending": 0, "failing": [], "unresolved": 0}
    assert not loop.sdm.accounts.find_user(victim["id"])["suspended"]
    loop.assert_converged()


# -- failures, retries, events ---------------------------------------------------------------------------------------


def test_a_4xx_is_recorded_and_not_retried_until_the_user_changes(loop):
    loop.connect()
    user = loop.new_user("nameless@example.com", lastname="")
    loop.directory.change_binding(loop.app_id, "add", "user", user["_id"])
    status = loop.wait()
    assert [(f["id"], f["status"], f["retrying"]) for f in status["failing"]] == [(user["_id"], 400, False)]
    assert "last name cannot be blank" in status["failing"][0]["error"]
    attempts = len([e for e in loop.events("user_create_provision") if not e["success"]])
    time.sleep(0.3)
    assert len([e for e in loop.events("user_create_provision") if not e["success"]]) == attempts == 1
    event = [e for e in loop.events("user_create_provision") if not e["success"]][-1]
    assert event["error"]["status"] == 400 and "last name cannot be blank" in event["error"]["detail"]
    loop.directory.update_user(user["_id"], {"lastname": "Found"})
    assert loop.wait()["failing"] == []
    assert loop.sdm.accounts.find_user_by_email("nameless@example.com")["last_name"] == "Found"


def test_429_waits_for_retry_after_and_5xx_backs_off_until_it_succeeds():
    double, harness = double_harness()
    try:
        harness.connect()
        calls = []

        def throttle():
            calls.append(time.monotonic())
            if len(calls) == 1:
                return throttled(429, "slow down", {"Retry-After": "1"})
            if len(calls) < 4:
                return throttled(503, "busy", {})
            return None

        from flask import jsonify

        def throttled(status, detail, headers):
            response = jsonify({"detail": detail, "status": str(status)})
            response.status_code = status
            response.headers.update(headers)
            return response

        double.app.before_request_funcs[None].insert(0, lambda: throttle() if _is_put() else None)
        user_id = harness.directory.users_bound_to_app(harness.app_id)[0]["_id"]
        harness.directory.update_user(user_id, {"jobTitle": "Patient"})
        harness.wait(20)
        assert len(calls) == 4
        assert calls[1] - calls[0] >= 0.9  # Retry-After: 1
        statuses = [e["provisioning"]["status"] for e in harness.events("user_update_provision")[-4:]]
        assert statuses == [429, 503, 503, 200]
        assert double.user_by_name(harness.directory.get_user(user_id)["email"])["title"] == "Patient"
    finally:
        harness.stop()


def _is_put():
    from flask import request

    return request.method == "PUT"


def test_backoff_is_exponential_jittered_and_capped(idle_loop):
    from sim.jumpcloud.pusher.worker import Pusher

    settings = {"PUSH_RETRY_BASE": 1.0, "PUSH_RETRY_CAP": 8.0, "PUSH_SEED": 3}
    first, second = Pusher(idle_loop.jc, settings), Pusher(idle_loop.jc, settings)
    delays = [first.backoff(n) for n in range(8)]
    assert delays == [second.backoff(n) for n in range(8)]  # seeded: the same seed, the same jitter
    assert len(set(delays)) == len(delays)  # jittered, not a fixed ladder
    for n, delay in enumerate(delays):
        ceiling = min(8.0, 2 ** n)
        assert ceiling / 2 <= delay <= ceiling
    first.close()
    second.close()


def test_every_push_is_a_directory_insights_event_with_status(loop):
    loop.connect()
    created = loop.events("user_create_provision")
    active, groups = loop.expected()
    assert len(created) == len(active) and all(e["success"] and e["provisioning"]["status"] == 201 for e in created)
    assert {e["resource"]["email"].lower() for e in created} == set(active)
    assert len(loop.events("group_create_provision")) == len([g for g in groups.values() if g])
    assert all(e["application"]["id"] == loop.app_id for e in created)


def test_idle_is_never_reported_while_a_change_is_being_fed(loop):
    """A feed that commits while `status()` runs must not let it say idle with the new rows uncounted."""
    loop.connect()
    loop.pusher.stop()
    user_id = loop.directory.users_bound_to_app(loop.app_id)[0]["_id"]
    loop.directory.update_user(user_id, {"lastname": "Racing"})
    state = loop.pusher.state
    read_cursor = state.cursor

    def cursor_after_a_feed():
        # The worker's feed lands just before status() looks at the cursor.
        state.cursor = read_cursor
        loop.pusher.feed()
        return read_cursor()

    state.cursor = cursor_after_a_feed
    try:
        status = loop.pusher.status()
    finally:
        state.cursor = read_cursor
    assert status["pending"] == 1 and status["idle"] is False


# -- durability and portability ------------------------------------------------------------------------------------


def test_a_restart_resumes_queued_work(tmp_path):
    harness = Harness(state_dir=str(tmp_path))
    try:
        harness.connect()
        harness.pusher.stop()
        user_id = harness.directory.users_bound_to_app(harness.app_id)[0]["_id"]
        harness.directory.update_user(user_id, {"lastname": "AfterRestart"})
        harness.pusher.feed()  # queued and the cursor moved, then the process "dies"
        assert harness.pusher.state.pending({harness.app_id}) == 1
        late = harness.new_user("late@example.com")
        harness.directory.change_binding(harness.app_id, "add", "user", late["_id"])  # only in the outbox
        harness.restart_jumpcloud()
        harness.wait()
        email = harness.directory.get_user(user_id)["email"]
        assert harness.sdm.accounts.find_user_by_email(email)["last_name"] == "AfterRestart"
        assert harness.sdm.accounts.find_user_by_email("late@example.com") is not None
        harness.assert_converged()
    finally:
        harness.stop()


def test_the_pusher_converges_against_another_scim_server():
    double, harness = double_harness()
    try:
        harness.connect()
        active, groups = harness.expected()
        assert {u["userName"].lower() for u in double.users.values() if u["active"]} == set(active)
        by_id = {u["id"]: u["userName"].lower() for u in double.users.values()}
        pushed = {g["displayName"]: {by_id[m["value"]] for m in g["members"]} for g in double.groups.values()}
        assert pushed == {name: members for name, members in groups.items() if members}
        harness.directory.delete_group(harness.directory.find_group(sorted(pushed)[0])["id"])
        harness.wait()
        assert len(double.groups) == len(pushed) - 1
    finally:
        harness.stop()


def test_requests_carry_the_bearer_token_scim_content_type_and_a_configurable_user_agent():
    double = ScimDouble()
    harness = Harness(receiver=double.app, settings={"PUSH_USER_AGENT": "JumpCloud-Test/9"})
    try:
        harness.connect()
        assert double.headers["Authorization"] == f"Bearer {TOKEN}"
        assert double.headers["Content-Type"] == "application/scim+json"
        assert double.headers["User-Agent"] == "JumpCloud-Test/9"
    finally:
        harness.stop()


def test_an_existing_user_and_group_are_taken_over_not_duplicated():
    double, harness = double_harness()
    try:
        harness.bind_all_groups()
        active, groups = harness.expected()
        email = sorted(active)[0]
        name = next(n for n, m in groups.items() if m)
        double.users["pre"] = {"id": "pre", "userName": email, "active": False, "name": {}}
        double.groups["g-pre"] = {"id": "g-pre", "displayName": name, "members": [{"value": "stranger"}]}
        harness.connect(bind=False)
        assert double.users["pre"]["active"] is True and double.users["pre"]["externalId"] == active[email]["_id"]
        assert sum(1 for u in double.users.values() if u["userName"].lower() == email) == 1
        members = {m["value"] for m in double.groups["g-pre"]["members"]}
        assert "stranger" not in members and len(members) == len(groups[name])
    finally:
        harness.stop()


def test_the_settings_endpoint_changes_the_update_method_and_activates_again(loop):
    loop.connect()
    url = f"{loop.jc_server.url}/_sim/identity-management/{loop.app_id}"
    response = requests.put(url, json={"update_method": "PATCH", "delete_mode": "delete"},
                            headers={"x-api-key": loop.api_key}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "active" and "token" not in response.json()
    config = loop.pusher.idm.get(loop.app_id)
    assert (config["update_method"], config["delete_mode"], config["token"]) == ("PATCH", "delete", TOKEN)


@pytest.mark.parametrize("body, status, message", [
    ({"update_method": "POST"}, 400, "update_method"), ({"token": "x"}, 400, "update_method and/or delete_mode"),
    ([], 400, "update_method and/or delete_mode")])
def test_the_settings_endpoint_refuses_bad_bodies_and_changes_nothing(loop, body, status, message):
    loop.connect()
    before = loop.pusher.idm.get(loop.app_id)
    response = requests.put(f"{loop.jc_server.url}/_sim/identity-management/{loop.app_id}", json=body,
                            headers={"x-api-key": loop.api_key}, timeout=30)
    assert response.status_code == status and message in response.text
    assert loop.pusher.idm.get(loop.app_id) == before


def test_the_settings_endpoint_needs_a_configured_app_and_the_api_key(idle_loop):
    url = f"{idle_loop.jc_server.url}/_sim/identity-management/{idle_loop.app_id}"
    assert requests.put(url, json={"update_method": "PATCH"}, timeout=5).status_code == 401
    response = requests.put(url, json={"update_method": "PATCH"}, headers={"x-api-key": idle_loop.api_key}, timeout=5)
    assert response.status_code == 404
