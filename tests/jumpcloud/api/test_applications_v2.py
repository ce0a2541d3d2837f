"""`GET /api/v2/applications/{id}` over real HTTP."""

import pytest

from sim.fake import directory as fake
from tests.jumpcloud.api.helpers import v2_error


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(4, 5, 2)


def test_v2_get_application_is_the_application_object(api):
    app_id = api.jc.directory.find_app("strongdm")["_id"]
    body = api.get(f"/api/v2/applications/{app_id}").json()
    assert body == api.get(f"/api/applications/{app_id}").json()
    assert body["_id"] == app_id and body["name"] == "strongdm"


def test_v2_get_application_errors_are_v2_shaped(api):
    assert v2_error(api.get(f"/api/v2/applications/{'f' * 24}"), 404)
    assert v2_error(api.get("/api/v2/applications/nope"), 400)
