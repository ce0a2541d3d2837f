"""External conformance: scim2-tester must find nothing but SUCCESS against an empty org, in both profiles."""

import pytest
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status
from scim2_tester import check_server

from sim.store import Store
from sim.strongdm import create_app

TOKEN = "conformance-token-0123456789"


@pytest.mark.parametrize("profile", ["strongdm", "rfc"])
def test_scim2_tester_reports_only_success(profile):
    store = Store(None, synchronous="OFF")
    app = create_app(store, profile=profile, token=TOKEN)
    client = WSGISCIMClient(app, base_url="http://localhost/provisioning/generic/v2",
                            headers={"Authorization": f"Bearer {TOKEN}"})
    results = check_server(client)
    problems = [(r.title, r.status.name, r.reason) for r in results if r.status != Status.SUCCESS]
    store.close()
    assert results, "scim2-tester ran no check"
    assert problems == []
