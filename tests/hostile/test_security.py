"""Security: every endpoint wants its credential, secrets are stored hashed and compared in constant time,
rotation bites at once, consoles have CSRF and signed sessions, control endpoints leak nothing, loopback binds."""

import inspect
import re

import pytest

from sim.cli import cli
from sim.jumpcloud import create_app as create_jumpcloud
from sim.jumpcloud.state import seed_if_empty
from sim.run import up
from sim.serve import ServerThread
from sim.store import Store
from sim.strongdm import create_app as create_strongdm
from tests.hostile.helpers import ADMIN
from tests.hostile.helpers import CSRF
from tests.hostile.helpers import TOKEN
from tests.hostile.helpers import fingerprint
from tests.hostile.helpers import sign_in

SCIM = "/provisioning/generic/v2"
# What may be called without a credential: sign-in pages, static files (`/` only redirects to sign-in) and the
# mock JumpCloud's OpenAPI document (JumpCloud publishes its specs).
# `/_sim/health` answers without one by design (issue #16: for CI waiters and container health checks).
PUBLIC = {"static", "web.static", "admin.login", "console.login", "sim_common.health", "jumpcloud_openapi.openapi_document"}


def url_for_rule(app, rule) -> str:
    """A concrete URL for a rule: `generic` for the SCIM provider, `x` (or `x/y`) for every other argument."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = "generic" if name == "provider" else ("x/y" if converter.part_isolating is False else "x")
        if type(converter).__name__ == "AnyConverter":
            values[name] = re.findall(r"\w+", converter.regex)[0]
    return app.url_map.bind("localhost").build(rule.endpoint, values, force_external=False)


def every_route(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def refused(response) -> bool:
    """401/403, a redirect to the sign-in page, or a console's CSRF refusal (400) for a form post."""
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        return "/login" in response.headers.get("Location", "")
    return response.status_code == 400 and b"CSRF" in response.data


@pytest.mark.parametrize("name", ["strongdm", "jumpcloud"])
def test_every_route_refuses_callers_without_a_credential(apps, name):
    app = apps.app(name)
    seen = 0
    for rule, method in every_route(app):
        before = fingerprint(app)
        response = app.test_client().open(url_for_rule(app, rule), method=method, json={})
        assert refused(response), (method, rule.rule, response.status_code)
        assert fingerprint(app) == before, (method, rule.rule)
        seen += 1
    assert seen > 20


@pytest.mark.parametrize("name", ["strongdm", "jumpcloud"])
def test_console_form_posts_with_a_valid_csrf_token_but_no_session_go_to_sign_in(apps, name):
    app = apps.app(name)
    for rule, method in every_route(app):
        if method != "POST" or rule.rule.startswith(("/provisioning", "/api", "/insights", "/_sim", "/logout", "/oauth2")):
            continue
        client = app.test_client()
        with client.session_transaction() as session:
            session["csrf_token"] = CSRF
        response = client.post(url_for_rule(app, rule), data={"csrf_token": CSRF})
        assert response.status_code == 302 and "/login" in response.headers["Location"], (rule.rule, response.status_code)


@pytest.mark.parametrize("name, headers", [
    ("strongdm", {"Authorization": "Bearer wrong-token-0123456789abcdef"}),
    ("strongdm", {"Authorization": f"bearer{TOKEN}"}),
    ("jumpcloud", {"x-api-key": "0" * 40}),
    ("jumpcloud", {"Authorization": "Bearer 0000"}),
])
def test_api_and_control_routes_refuse_a_wrong_credential(apps, name, headers):
    app = apps.app(name)
    for rule, method in every_route(app):
        if not rule.rule.startswith(("/provisioning", "/api", "/insights", "/_sim")):
            continue
        response = app.test_client().open(url_for_rule(app, rule), method=method, json={}, headers=headers)
        assert response.status_code == 401, (method, rule.rule, response.status_code)


# -- secrets at rest ------------------------------------------------------------------------------------------

def file_bytes(path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_tokens_keys_and_passwords_are_not_in_the_sqlite_files(tmp_path):
    sdm_store = Store(tmp_path / "strongdm.sqlite3", synchronous="OFF")
    sdm_app = create_strongdm(sdm_store, token=TOKEN)
    sdm_app.extensions["strongdm"].ensure_admin(*ADMIN)
    jc_store = Store(tmp_path / "jumpcloud.sqlite3", synchronous="OFF")
    jc_app = create_jumpcloud(jc_store)
    seeded = seed_if_empty(jc_app.extensions["jumpcloud"], seed=2, users=2, groups=1)
    rekeyed = sdm_app.extensions["strongdm"].org.rekey_scim()
    for secret, path in [(TOKEN, "strongdm"), (rekeyed, "strongdm"), (ADMIN[1], "strongdm"),
                         (seeded["api_key"], "jumpcloud"), (seeded["admin"]["password"], "jumpcloud")]:
        assert secret.encode() not in file_bytes(tmp_path / f"{path}.sqlite3"), (path, secret[:6])
    sdm_store.close()
    jc_store.close()


@pytest.mark.parametrize("module, call", [
    ("sim.strongdm.org", lambda apps: apps.strongdm.extensions["strongdm"].org.check_token("wrong-token")),
    ("sim.jumpcloud.org", lambda apps: apps.jumpcloud.extensions["jumpcloud"].org.authenticate("0" * 40)),
])
def test_credentials_are_compared_in_constant_time(apps, monkeypatch, module, call):
    import importlib

    calls = []
    hmac = importlib.import_module(module).hmac
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    call(apps)
    assert calls


def test_a_rotated_scim_token_stops_working_at_once():
    app = create_strongdm(Store(None, synchronous="OFF"), token=TOKEN)
    client = app.test_client()
    assert client.get(f"{SCIM}/Users", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    new = app.extensions["strongdm"].org.rekey_scim()
    for path in (f"{SCIM}/Users", "/_sim/faults"):
        assert client.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 401
        assert client.get(path, headers={"Authorization": f"Bearer {new}"}).status_code == 200
    app.extensions["strongdm"].org.deactivate_scim()
    assert client.get(f"{SCIM}/Users", headers={"Authorization": f"Bearer {new}"}).status_code == 401


def test_regenerating_the_token_in_the_admin_ui_kills_the_old_one_at_once():
    app = create_strongdm(Store(None, synchronous="OFF"), token=TOKEN)
    admin_id = app.extensions["strongdm"].ensure_admin(*ADMIN)["id"]
    client = app.test_client()
    sign_in(app, client, admin_id)
    response = client.post("/settings/user-management/provisioning/regenerate", data={"csrf_token": CSRF})
    assert response.status_code in (200, 302, 303)
    assert client.get(f"{SCIM}/Users", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 401


def test_a_revoked_api_key_stops_working_at_once(apps):
    jc = apps.jumpcloud.extensions["jumpcloud"]
    key = jc.org.create_api_key(jc.org.admins()[0]["_id"])
    client = apps.jumpcloud.test_client()
    assert client.get("/api/systemusers", headers={"x-api-key": key}).status_code == 200
    assert jc.org.revoke_api_key(key)
    for path in ("/api/systemusers", "/_sim/faults", "/_sim/idle"):
        assert client.get(path, headers={"x-api-key": key}).status_code == 401


# -- consoles -----------------------------------------------------------------------------------------------

def signed_in(app, user_id):
    client = app.test_client()
    sign_in(app, client, user_id)
    return client


def test_a_tampered_or_foreign_session_cookie_is_not_a_session(apps):
    app = apps.strongdm
    client = signed_in(app, apps.admin_id)
    assert client.get("/users").status_code == 200
    cookie = client.get_cookie("strongdm_admin_session")
    tampered = app.test_client()
    tampered.set_cookie("strongdm_admin_session", cookie.value[:-4] + ("AAAA" if not cookie.value.endswith("AAAA") else "BBBB"))
    assert tampered.get("/users").status_code == 302
    other = create_strongdm(Store(None, synchronous="OFF"))  # another install: another session secret
    other.extensions["strongdm"].ensure_admin(*ADMIN)
    foreign = app.test_client()
    foreign.set_cookie("strongdm_admin_session", signed_in(other, apps.admin_id).get_cookie("strongdm_admin_session").value)
    assert foreign.get("/users").status_code == 302


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(apps):
    app = apps.strongdm
    client = signed_in(app, apps.admin_id)
    before = fingerprint(app)
    response = client.post("/users/new", data={"email": "csrf@example.test", "first_name": "C", "last_name": "S",
                                                "permission_level": "user"})
    assert response.status_code == 400 and fingerprint(app) == before


def test_non_admins_are_refused_by_the_admin_ui_and_the_control_endpoint(apps):
    sdm = apps.strongdm.extensions["strongdm"]
    auditor = sdm.accounts.find_user_by_email("auditor@strongdm.test") or sdm.accounts.create_user(
        {"email": "auditor@strongdm.test", "first_name": "Audra", "last_name": "Tor", "permission_level": "auditor"})
    client = signed_in(apps.strongdm, auditor["id"])
    assert client.get("/users/new").status_code == 403
    assert client.post("/settings/user-management/provisioning/regenerate", data={"csrf_token": CSRF}).status_code == 403
    assert client.get("/_sim/faults").status_code == 401
    assert signed_in(apps.strongdm, apps.admin_id).get("/_sim/faults").status_code == 200


def test_a_read_only_jumpcloud_key_cannot_write(apps):
    jc = apps.jumpcloud.extensions["jumpcloud"]
    reader = jc.org.admins()[-1] if jc.org.admins()[-1]["role"] == "Read Only" else jc.org.create_admin(
        "reader@example.com", "reader password 1", role="Read Only")
    key = jc.org.create_api_key(reader["_id"])
    client = apps.jumpcloud.test_client()
    assert client.get("/api/systemusers", headers={"x-api-key": key}).status_code == 200
    before = fingerprint(apps.jumpcloud)
    response = client.post("/api/systemusers", headers={"x-api-key": key},
                           json={"username": "nope", "email": "nope@example.com"})
    assert response.status_code == 403 and fingerprint(apps.jumpcloud) == before


# -- control endpoints ----------------------------------------------------------------------------------------

def test_control_endpoints_never_answer_with_a_secret(apps):
    jc = apps.jumpcloud.extensions["jumpcloud"]
    app_id = jc.directory.find_app("strongdm")["_id"]
    outbound = "outbound-scim-token-0123456789abcdef"
    jc.pusher.configure(app_id, base_url="http://127.0.0.1:9/provisioning/generic/v2", token=outbound)
    secrets = [TOKEN, apps.api_key, ADMIN[1], apps.jc_admin["password"], outbound,
               apps.strongdm.secret_key, apps.jumpcloud.secret_key]
    for name in ("strongdm", "jumpcloud"):
        app = apps.app(name)
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/_sim") or "GET" not in rule.methods:
                continue
            path = rule.rule.replace("<app_id>", app_id)
            response = app.test_client().get(path, headers=apps.credentials(name))
            assert response.status_code == 200, path
            body = response.get_data(as_text=True)
            assert not [s for s in secrets if s and str(s) in body], path


# -- binding -------------------------------------------------------------------------------------------------

def test_servers_bind_to_loopback_quietly_and_warn_for_anything_else(apps, capsys):
    with ServerThread(apps.strongdm):
        pass
    assert capsys.readouterr().err == ""
    with ServerThread(apps.strongdm, "0.0.0.0"):
        pass
    assert "warning: binding to 0.0.0.0" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["strongdm", "jumpcloud"])
def test_the_commands_bind_to_loopback_unless_told(command):
    host = next(p for p in cli.commands[command].params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_sim_up_binds_to_loopback():
    assert inspect.signature(up.start).parameters["host"].default == "127.0.0.1"
    host = {p.name: p for p in cli.commands["up"].params}["host"]  # `sim up --host` (issue 18), loopback unless told
    assert host.default == "127.0.0.1"
