"""Every route the mock JumpCloud serves answers in the shapes of JumpCloud's published spec, success and error.

The schemas in tests/jumpcloud/api/schemas are JumpCloud's own (console and Directory Insights specs);
routes.json says which one each route and status must match.
"""

import json
import re
from pathlib import Path

import pytest
import requests

from sim.fake import directory as fake
from sim.jumpcloud import create_app
from tests.jumpcloud.api.helpers import ROUTES
from tests.jumpcloud.api.helpers import document_violations
from tests.jumpcloud.api.helpers import route_key
from tests.jumpcloud.api.helpers import schema_for
from tests.jumpcloud.api.helpers import served_routes
from tests.jumpcloud.api.helpers import spec_properties
from tests.jumpcloud.api.helpers import spec_violations
from tests.loop.helpers import Harness

FIXTURES = Path(__file__).parents[3] / "fixtures"
MISSING = "f" * 24
SINCE = {"service": ["all"], "start_time": "2020-01-01T00:00:00Z"}
APP_BODY = {"name": "custom", "displayLabel": "Custom", "ssoUrl": "https://sso.example.com/", "config": {}}
ACCOUNT_BODY = {"name": "ci-bot", "roleId": "{role}",
                "authConfig": {"authType": "CLIENT_SECRET", "clientSecretConfig": {"lifetime": "30 Days"}}}
SCHEDULE_BODY = {"user_ids": ["{user}"], "state": "SUSPENDED", "start_date": "2030-01-01T00:00:00Z"}
CLIENT_CREDENTIALS = {"grant_type": "client_credentials", "client_id": "{client}", "client_secret": "{secret}"}


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(3, 12, 3)


# (method, path, keyword arguments for requests, expected status); {user} {leaf} {stranger} {group} {app} {missing} {bad}
# are filled in, and the names extras_of makes; "needs" names what a case needs made without sending it.
CASES = [
    ("GET", "/api/openapi.json", {}, 200),
    ("GET", "/api/organizations", {}, 200),
    ("GET", "/api/organizations", {"params": {"limit": "x"}}, 400),
    ("GET", "/api/organizations/{org}", {}, 200),
    ("GET", "/api/organizations/{bad}", {}, 400),
    ("GET", "/api/v2/applications/{app}", {}, 200),
    ("GET", "/api/v2/applications/{missing}", {}, 404),
    ("GET", "/api/systemusers", {"params": {"limit": 100}}, 200),
    ("GET", "/api/systemusers", {"params": {"filter": "nope"}}, 400),
    ("POST", "/api/systemusers", {"json": {"username": "ada", "email": "ada@example.com"}}, 200),
    ("POST", "/api/systemusers", {"json": {"username": "ada"}}, 400),
    ("GET", "/api/systemusers/{user}", {}, 200),
    ("GET", "/api/systemusers/{missing}", {}, 404),
    ("PUT", "/api/systemusers/{user}", {"json": {"department": "Ops"}}, 200),
    ("PUT", "/api/systemusers/{user}", {"json": {"sudo": "yes"}}, 400),
    ("DELETE", "/api/systemusers/{leaf}", {}, 200),
    ("DELETE", "/api/systemusers/{bad}", {}, 400),
    ("POST", "/api/systemusers/{user}/state/activate", {}, 200),
    ("POST", "/api/systemusers/{missing}/state/activate", {}, 404),
    ("POST", "/api/systemusers/{user}/state/suspend", {}, 200),
    ("POST", "/api/systemusers/{missing}/state/suspend", {}, 404),
    ("POST", "/api/search/systemusers", {"json": {"filter": {"and": [{"state": "ACTIVATED"}]}}}, 200),
    ("POST", "/api/search/systemusers", {"json": {"searchFilter": 3}}, 400),
    ("GET", "/api/applications", {"params": {"limit": 100}}, 200),
    ("GET", "/api/applications", {"params": {"filter": "nope"}}, 400),
    ("POST", "/api/applications", {"json": APP_BODY}, 200),
    ("POST", "/api/applications", {"json": {"name": "x"}}, 400),
    ("GET", "/api/applications/{app}", {}, 200),
    ("GET", "/api/applications/{missing}", {}, 404),
    ("PUT", "/api/applications/{app}", {"json": {"displayLabel": "SDM"}}, 200),
    ("PUT", "/api/applications/{app}", {"json": {"active": "yes"}}, 400),
    ("DELETE", "/api/applications/{app}", {}, 200),
    ("DELETE", "/api/applications/{missing}", {}, 404),
    ("GET", "/api/v2/usergroups", {"params": {"limit": 100}}, 200),
    ("GET", "/api/v2/usergroups", {"params": {"limit": 1000}}, 400),
    ("POST", "/api/v2/usergroups", {"json": {"name": "Ops"}}, 201),
    ("POST", "/api/v2/usergroups", {"json": {}}, 400),
    ("GET", "/api/v2/usergroups/{group}", {}, 200),
    ("GET", "/api/v2/usergroups/{missing}", {}, 404),
    ("PUT", "/api/v2/usergroups/{group}", {"json": {"name": "Renamed"}}, 200),
    ("PUT", "/api/v2/usergroups/{group}", {"json": {"name": ""}}, 400),
    ("DELETE", "/api/v2/usergroups/{group}", {}, 200),
    ("DELETE", "/api/v2/usergroups/{missing}", {}, 404),
    ("GET", "/api/v2/usergroups/{group}/members", {}, 200),
    ("GET", "/api/v2/usergroups/{missing}/members", {}, 404),
    ("POST", "/api/v2/usergroups/{group}/members", {"json": {"op": "add", "type": "user", "id": "{stranger}"}}, 204),
    ("POST", "/api/v2/usergroups/{group}/members", {"json": {"op": "add", "type": "system", "id": "{leaf}"}}, 400),
    ("GET", "/api/v2/usergroups/{group}/membership", {}, 200),
    ("GET", "/api/v2/usergroups/{group}/membership", {"params": {"limit": -1}}, 400),
    ("GET", "/api/v2/usergroups/{group}/associations", {"params": {"targets": "application"}}, 200),
    ("GET", "/api/v2/usergroups/{group}/associations", {}, 400),
    ("POST", "/api/v2/usergroups/{group}/associations", {"json": {"op": "add", "type": "application", "id": "{app}"}}, 204),
    ("POST", "/api/v2/usergroups/{group}/associations", {"json": {"op": "add", "type": "application", "id": "{missing}"}}, 404),
    ("GET", "/api/v2/users/{user}/memberof", {}, 200),
    ("GET", "/api/v2/users/{missing}/memberof", {}, 404),
    ("GET", "/api/v2/users/{user}/associations", {"params": {"targets": "application"}}, 200),
    ("GET", "/api/v2/users/{user}/associations", {"params": {"targets": "nope"}}, 400),
    ("POST", "/api/v2/users/{leaf}/associations", {"json": {"op": "add", "type": "application", "id": "{app}"}}, 204),
    ("POST", "/api/v2/users/{leaf}/associations", {"json": {"op": "jump"}}, 400),
    ("GET", "/api/v2/applications/{app}/associations", {"params": {"targets": "user_group"}}, 200),
    ("GET", "/api/v2/applications/{app}/associations", {"params": {"targets": "system"}}, 400),
    ("POST", "/api/v2/applications/{app}/associations", {"json": {"op": "add", "type": "user", "id": "{leaf}"}}, 204),
    ("POST", "/api/v2/applications/{app}/associations", {"json": {}}, 400),
    ("GET", "/api/v2/applications/{app}/users", {"params": {"limit": 100}}, 200),
    ("GET", "/api/v2/applications/{missing}/users", {}, 404),
    ("GET", "/api/v2/applications/{app}/usergroups", {}, 200),
    ("GET", "/api/v2/applications/{app}/usergroups", {"params": {"skip": "x"}}, 400),
    ("POST", "/insights/directory/v1/events", {"json": SINCE}, 200),
    ("POST", "/insights/directory/v1/events", {"json": {"service": ["all"]}}, 400),
    ("POST", "/insights/directory/v1/events/count", {"json": SINCE}, 200),
    ("POST", "/insights/directory/v1/events/count", {"json": {"service": "nope"}}, 400),
    ("POST", "/insights/directory/v1/events/distinct", {"json": {**SINCE, "field": "event_type"}}, 200),
    ("POST", "/insights/directory/v1/events/distinct", {"json": SINCE}, 400),
    ("POST", "/insights/directory/v1/events/interval", {"json": {**SINCE, "interval_unit": "h"}}, 200),
    ("POST", "/insights/directory/v1/events/interval", {"json": {**SINCE, "interval_unit": "y"}}, 400),
    ("GET", "/api/v2/roles", {}, 200),
    ("GET", "/api/v2/roles", {"params": {"limit": "x"}}, 400),
    ("POST", "/api/v2/service-accounts", {"json": ACCOUNT_BODY}, 201),
    ("POST", "/api/v2/service-accounts", {"json": {"name": "ci-bot"}}, 400),
    ("GET", "/api/v2/service-accounts", {"params": {"search.searchTerm": "ci-bot"}, "needs": "{account}"}, 200),
    ("GET", "/api/v2/service-accounts", {"params": {"limit": "x"}}, 400),
    ("GET", "/api/v2/service-accounts/{account}", {}, 200),
    ("GET", "/api/v2/service-accounts/{missing}", {}, 404),
    ("DELETE", "/api/v2/service-accounts/{account}", {}, 200),
    ("DELETE", "/api/v2/service-accounts/{missing}", {}, 404),
    ("POST", "/oauth2/token", {"data": CLIENT_CREDENTIALS}, 200),
    ("POST", "/oauth2/token", {"data": {**CLIENT_CREDENTIALS, "grant_type": "password"}}, 400),
    ("POST", "/api/v2/bulk/users", {"json": [{"username": "bulky", "email": "bulky@example.com"}]}, 201),
    ("POST", "/api/v2/bulk/users", {"json": []}, 400),
    ("PATCH", "/api/v2/bulk/users", {"json": [{"id": "{user}", "department": "Ops"}]}, 201),
    ("PATCH", "/api/v2/bulk/users", {"json": {"id": "{user}"}}, 400),
    ("GET", "/api/v2/bulk/users/{job}/results", {}, 200),
    ("GET", "/api/v2/bulk/users/{missing}/results", {}, 404),
    ("POST", "/api/v2/bulk/userstates", {"json": SCHEDULE_BODY}, 201),
    ("POST", "/api/v2/bulk/userstates", {"json": {**SCHEDULE_BODY, "state": "STAGED"}}, 400),
    ("GET", "/api/v2/bulk/userstates", {"params": {"userid": "{scheduled_user}"}}, 200),
    ("GET", "/api/v2/bulk/userstates", {"params": {"skip": "x"}}, 400),
    ("DELETE", "/api/v2/bulk/userstates/{scheduled}", {}, 204),
    ("DELETE", "/api/v2/bulk/userstates/{missing}", {}, 404),
    ("GET", "/api/v2/usergroups/{review}/suggestions", {}, 200),
    ("GET", "/api/v2/usergroups/{missing}/suggestions", {}, 404),
    ("POST", "/api/v2/usergroups/{review}/suggestions", {"json": {"user_ids": ["{user}"]}}, 200),
    ("POST", "/api/v2/usergroups/{review}/suggestions", {"json": {"user_ids": "{user}"}}, 400),
    # Without active Identity Management the import routes are 404s; their successes are checked in IMPORT_CASES.
    ("GET", "/api/v2/applications/{app}/import/users", {}, 404),
    ("POST", "/api/v2/applications/{app}/import/jobs", {"json": {}}, 404),
    ("GET", "/api/v2/applications/import/{missing}/detailedresults", {}, 404),
]
# Against a JumpCloud whose StrongDM app provisions a real StrongDM receiver ({job}: an import job of it).
IMPORT_CASES = [
    ("GET", "/api/v2/applications/{app}/import/users", {"params": {"limit": 100}}, 200),
    ("GET", "/api/v2/applications/{app}/import/users", {"params": {"sort": "age"}}, 400),
    ("POST", "/api/v2/applications/{app}/import/jobs", {"json": {"operations": ["users.create"]}}, 200),
    ("POST", "/api/v2/applications/{app}/import/jobs", {"json": {"operations": ["users.delete"]}}, 400),
    ("GET", "/api/v2/applications/import/{job}/detailedresults", {"params": {"limit": 100}}, 200),
    ("GET", "/api/v2/applications/import/{job}/detailedresults", {"params": {"limit": 1000}}, 400),
]
PUBLIC = {"/api/openapi.json"}  # the document needs no key
UNAUTHORIZED = sorted({(method, path) for method, path, _, _ in CASES + IMPORT_CASES if path not in PUBLIC})
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def ids_of(api, wanted: set = frozenset()) -> dict:
    """Ids to fill the paths: a user, one who manages no one, one not in the group, a group, the StrongDM app, an
    unknown id and a malformed one; and what only some cases name, made when `wanted` names it (see extras_of)."""
    users = api.get("/api/systemusers", params={"limit": 100, "sort": "_id"}).json()["results"]
    managers = {u.get("manager") for u in users}
    for group in (g["id"] for g in api.get("/api/v2/usergroups", params={"limit": 100}).json()):
        members = {c["to"]["id"] for c in api.get(f"/api/v2/usergroups/{group}/members", params={"limit": 100}).json()}
        strangers = [u["_id"] for u in users if u["_id"] not in members]
        if strangers:  # not All Staff
            break
    return {"user": users[0]["_id"], "leaf": next(u["_id"] for u in users if u["_id"] not in managers),
            "stranger": strangers[0], "group": group,
            "app": api.get("/api/applications", params={"filter": "name:$eq:strongdm"}).json()["results"][0]["_id"],
            "org": api.jc.org.id, "missing": MISSING, "bad": "zz", **extras_of(api, users[0], wanted)}


def extras_of(api, user: dict, wanted: set) -> dict:
    """Made through the API only for the cases that name them: a role, a service account and its client
    credentials, a bulk job, a scheduled suspension, a review-required group suggesting `user`."""
    out = {}
    if wanted & {"role", "account", "client", "secret"}:
        roles = api.get("/api/v2/roles").json()["results"]
        out["role"] = next(r["id"] for r in roles if r["name"] == "Administrator")
    if wanted & {"account", "client", "secret"}:
        body = fill(ACCOUNT_BODY, out)
        account = api.post("/api/v2/service-accounts", json=body).json()["serviceAccount"]
        config = account["authConfigList"][0]["clientSecretConfig"]
        out.update(account=account["objectId"], client=config["clientId"], secret=config["clientSecret"])
    if "job" in wanted:
        out["job"] = api.post("/api/v2/bulk/users", json=[{"username": "bulkjob", "email": "bulkjob@example.com"}]).json()["jobId"]
    if wanted & {"scheduled", "scheduled_user"}:
        scheduled = api.post("/api/v2/bulk/userstates", json=fill(SCHEDULE_BODY, {"user": user["_id"]})).json()
        out.update(scheduled=scheduled[0]["scheduledJobId"], scheduled_user=user["_id"])
    if "review" in wanted:
        query = {"queryType": "FilterQuery", "filters": [{"field": "username", "operator": "eq", "value": user["username"]}]}
        out["review"] = api.post("/api/v2/usergroups", json={"name": "Review", "membershipMethod": "DYNAMIC_REVIEW_REQUIRED",
                                                             "memberQuery": query}).json()["id"]
    return out


def wanted_by(path: str, kwargs: dict) -> set:
    """The placeholder names a case's path and arguments use."""
    return set(PLACEHOLDER.findall(path + json.dumps(kwargs)))


def fill(value, ids: dict):
    """`value` with every {name} placeholder in its strings replaced by the id of that name."""
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


def check_against_spec(method: str, path: str, response) -> None:
    """The response's body matches the spec schema for its route and status (204s have no body)."""
    schema = schema_for(route_key(method, path), response.status_code)
    if schema is None:
        assert response.content == b""
        return
    violations = spec_violations(schema, response.json())
    assert not violations, f"{method} {path} {response.status_code}:\n" + "\n".join(violations[:20])


@pytest.fixture(scope="module")
def served_document():
    app = create_app()
    yield app.test_client().get("/api/openapi.json").get_json()
    app.extensions["jumpcloud"].pusher.stop()


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), CASES,
                         ids=[f"{m} {p} {s}" for m, p, _, s in CASES])
def test_the_answer_has_the_spec_shape_and_the_documented_one(api, served_document, method, path, kwargs, status):
    ids = ids_of(api, wanted_by(path, kwargs))
    arguments = {k: v for k, v in fill(kwargs, ids).items() if k != "needs"}
    response = api.http.request(method, api.url + path.format(**ids), timeout=10, **arguments)
    assert response.status_code == status, response.text[:300]
    check_against_spec(method, path, response)
    violations = document_violations(served_document, method, path, response)
    assert not violations, f"{method} {path} {response.status_code} vs /api/openapi.json:\n" + "\n".join(violations[:20])


@pytest.fixture(scope="module")
def provisioned():
    """A seeded JumpCloud whose StrongDM app is wired to a real StrongDM receiver and synced, and one import job."""
    harness = Harness()
    harness.connect()
    url, headers = harness.jc_server.url, {"x-api-key": harness.api_key}
    job = requests.post(f"{url}/api/v2/applications/{harness.app_id}/import/jobs", json={}, headers=headers, timeout=30)
    assert job.status_code == 200, job.text
    harness.ids = {"app": harness.app_id, "job": job.json()["jobId"]}
    yield harness
    harness.stop()


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), IMPORT_CASES,
                         ids=[f"{m} {p} {s}" for m, p, _, s in IMPORT_CASES])
def test_the_import_answers_have_the_spec_shape_and_the_documented_one(provisioned, served_document, method, path,
                                                                       kwargs, status):
    response = requests.request(method, provisioned.jc_server.url + path.format(**provisioned.ids), timeout=30,
                                headers={"x-api-key": provisioned.api_key}, **kwargs)
    assert response.status_code == status, response.text[:300]
    check_against_spec(method, path, response)
    violations = document_violations(served_document, method, path, response)
    assert not violations, f"{method} {path} {response.status_code} vs /api/openapi.json:\n" + "\n".join(violations[:20])


@pytest.mark.parametrize(("method", "path"), UNAUTHORIZED, ids=[f"{m} {p}" for m, p in UNAUTHORIZED])
def test_a_wrong_key_gets_the_spec_shaped_401(api, method, path):
    filled = PLACEHOLDER.sub(MISSING, path)
    response = api.http.request(method, api.url + filled, headers={"x-api-key": "nope"}, timeout=10)
    assert response.status_code == 401
    check_against_spec(method, path, response)


def test_every_served_route_has_a_schema_and_a_success_and_an_error_case():
    # GET /api/openapi.json takes no input: nothing to get wrong but the method (test_openapi.py)
    app = create_app()
    served = served_routes(app)
    app.extensions["jumpcloud"].pusher.stop()
    assert served - set(ROUTES) == set(), "served but with no schema in routes.json"
    assert set(ROUTES) - served == set(), "in routes.json but not served"
    for key in ROUTES:
        statuses = {s for m, p, _, s in CASES + IMPORT_CASES if route_key(m, p) == key}
        assert any(s < 300 for s in statuses), f"{key} needs a success case"
        assert any(s >= 400 for s in statuses) or key == "GET /api/openapi.json", f"{key} needs an error case"


@pytest.mark.parametrize(("name", "key"), [("systemusers", "GET /api/systemusers"),
                                           ("applications", "GET /api/applications"),
                                           ("usergroups", "GET /api/v2/usergroups")])
def test_the_committed_fixtures_have_the_spec_shape(name, key):
    body = json.loads((FIXTURES / "jumpcloud" / f"{name}.json").read_text())
    violations = spec_violations(schema_for(key, 200), body)
    assert not violations, "\n".join(violations[:20])


# Properties of a spec schema our answers may leave out, and why (the rest must all be there).
LEFT_OUT = {
    "systemuserreturn": {"alternateEmail", "manager", "recoveryEmail", "employeeIdentifier", "unix_uid", "unix_guid",
                         # typed without null: left out while unset (directory/shapes.py UNSET_OMITTED)
                         "external_password_expiration_date"},  # only for passwords an external directory manages
    "UserGroup": set(), "application": {"parentApp"},  # parentApp: only on an app made from a parent
    "Role": {"providerId", "organizationIds", "createdBy", "lastUpdatedBy"},  # built-in roles: no provider or author
    "jumpcloud.service_accounts.ServiceAccount": {"providerId", "orgCount"},  # only for a provider's (MTP) accounts
    "jumpcloud.service_accounts.AuthConfig": {"apiKeyConfig"},  # a CLIENT_SECRET config has clientSecretConfig
    "job-workresult": set(),
}


@pytest.mark.parametrize(("name", "path", "within"), [
    ("systemuserreturn", "/api/systemusers/{user}", []), ("UserGroup", "/api/v2/usergroups/{group}", []),
    ("application", "/api/applications/{app}", []), ("Role", "/api/v2/roles", ["results", 0]),
    ("jumpcloud.service_accounts.ServiceAccount", "/api/v2/service-accounts/{account}", []),
    ("jumpcloud.service_accounts.AuthConfig", "/api/v2/service-accounts/{account}", ["authConfigList", 0]),
    ("job-workresult", "/api/v2/bulk/users/{job}/results", [0])])
def test_an_answer_has_every_property_of_its_spec_schema(api, name, path, within):
    body = api.get(path.format(**ids_of(api, wanted_by(path, {})))).json()
    for step in within:
        body = body[step]
    assert spec_properties(name) - set(body) - LEFT_OUT[name] == set()
