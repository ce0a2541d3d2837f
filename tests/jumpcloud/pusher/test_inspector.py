"""The pusher's SCIM exchanges reach the request inspector through the client's recorder seam."""

import json

import pytest
import requests

from tests.loop.helpers import TOKEN
from tests.loop.helpers import Harness


@pytest.fixture(scope="module")
def loop():
    harness = Harness(users=6, groups=2)
    harness.connect()
    yield harness
    harness.stop()


def exchanges(loop, **params) -> dict:
    response = requests.get(loop.jc_server.url + "/_sim/exchanges", headers={"x-api-key": loop.api_key},
                            params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_connection_test_and_the_first_sync_are_recorded_relative_to_the_base_url(loop):
    doc = exchanges(loop, size=500)
    oldest = doc["exchanges"][-1]
    assert oldest["method"] == "GET" and oldest["path"].startswith("/Users?filter=userName")
    assert {e["method"] for e in doc["exchanges"]} >= {"GET", "POST", "DELETE"}
    assert doc["total"] == doc["recorded"] > 6


def test_no_exchange_shows_the_scim_token(loop):
    response = requests.get(loop.jc_server.url + "/_sim/exchanges", headers={"x-api-key": loop.api_key},
                            params={"format": "jsonl"}, timeout=30)
    assert response.status_code == 200
    lines = response.text
    assert len([json.loads(line) for line in lines.splitlines()]) > 6
    assert TOKEN not in lines and "Authorization" not in lines


def test_both_sides_see_the_same_pushed_users(loop):
    jc_users = [e for e in exchanges(loop, size=500)["exchanges"] if e["method"] == "POST" and e["path"] == "/Users"]
    sdm_ring = loop.sdm_app.extensions["inspector"].ring
    sdm_users = [e for e in sdm_ring.page(limit=500)[0]
                 if e["method"] == "POST" and e["path"] == "/provisioning/generic/v2/Users"]
    assert sorted(e["response_body"]["id"] for e in jc_users) == sorted(e["response_body"]["id"] for e in sdm_users)


def test_exchanges_need_an_administrator_api_key(loop):
    assert requests.get(loop.jc_server.url + "/_sim/exchanges", timeout=30).status_code == 401
    assert requests.get(loop.jc_server.url + "/_sim/exchanges", headers={"x-api-key": "0" * 40},
                        timeout=30).status_code == 401
