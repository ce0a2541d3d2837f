"""The hostile-input corpus (tests/hostile/*.json) against both apps: the expected status, never a 500,
and no change of state unless the request succeeded."""

import pytest

from tests.hostile.helpers import CSRF
from tests.hostile.helpers import Apps
from tests.hostile.helpers import expand
from tests.hostile.helpers import fingerprint
from tests.hostile.helpers import load_cases
from tests.hostile.helpers import request_kwargs
from tests.hostile.helpers import sign_in
from tests.hostile.helpers import status_matches

CASES = load_cases()


def prepare(apps: Apps, case: dict):
    """The client and request for one case, the way its fields say: credentials unless `auth` is false, an admin
    session (opened like a real sign-in) if asked."""
    case = expand(case)
    app = apps.app(case["app"])
    client = app.test_client()
    kwargs = request_kwargs(case, apps.ids)
    if case.get("auth", True) and not case.get("session") and case["path"].startswith(("/provisioning", "/api",
                                                                                      "/insights")):
        kwargs["headers"] = {**apps.credentials(case["app"]), **kwargs["headers"]}
    if case.get("session") == "admin":
        sign_in(app, client, apps.console_user(case["app"]))
        if case.get("csrf", True) and isinstance(kwargs.get("data"), dict):
            kwargs["data"] = {**kwargs["data"], "csrf_token": CSRF}
    return client, kwargs


def send(client, kwargs):
    """Send a prepared request."""
    return client.open(kwargs.pop("path"), method=kwargs.pop("method"), **kwargs)


def test_the_corpus_covers_both_apps_and_every_file():
    assert {c["app"] for c in CASES} == {"strongdm", "jumpcloud"}
    assert {c["file"] for c in CASES} >= {"scim_bodies", "scim_patch", "scim_queries", "jumpcloud_api", "consoles"}
    assert len({(c["file"], c["name"]) for c in CASES}) == len(CASES), "case names must be unique"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}: {c['name']}" for c in CASES])
def test_a_hostile_request_gets_its_expected_status_and_changes_nothing_when_refused(apps, case):
    app = apps.app(case["app"])
    client, kwargs = prepare(apps, case)
    before = fingerprint(app)
    response = send(client, kwargs)
    assert status_matches(response.status_code, case["expect"]), (response.status_code,
                                                                   response.get_data(as_text=True)[:300])
    if response.status_code >= 300:
        assert fingerprint(app) == before, "a refused request changed state"
    if case["path"].startswith(("/provisioning", "/api", "/insights")) and response.status_code >= 400:
        assert response.is_json, "API errors are JSON"
