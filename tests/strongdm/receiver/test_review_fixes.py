"""Regressions found in review: ETags follow membership, no lost updates, honest 204s and totals, linear wildcards."""

import random
import re
import threading

import pytest

from sim.faults.rules import FaultSyntaxError
from sim.faults.rules import parse_rule
from sim.serve import ServerThread
from sim.store import Store
from sim.strongdm import create_app
from sim.strongdm.sdk.filters import Wildcard
from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import BASE
from tests.strongdm.receiver.helpers import TOKEN


@pytest.fixture
def rfc_client():
    store = Store(None, synchronous="OFF")
    yield create_app(store, profile="rfc", token=TOKEN).test_client()
    store.close()


def new_user(client, email):
    response = client.post(f"{BASE}/Users", headers=AUTH, json={
        "userName": email, "name": {"givenName": "A", "familyName": "B"}})
    assert response.status_code == 201, response.json
    return response.json


def patch(client, path, operations):
    return client.patch(f"{BASE}/{path}", headers=AUTH, json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})


def test_a_member_added_by_patch_changes_the_groups_etag(rfc_client):
    ada = new_user(rfc_client, "ada@example.test")
    group = rfc_client.post(f"{BASE}/Groups", headers=AUTH, json={"displayName": "Eng", "members": []}).json
    old = group["meta"]["version"]
    added = patch(rfc_client, f"Groups/{group['id']}", [{"op": "add", "path": "members", "value": [{"value": ada["id"]}]}])
    assert added.status_code == 200 and added.json["meta"]["version"] != old
    stale = rfc_client.put(f"{BASE}/Groups/{group['id']}", headers={**AUTH, "If-Match": old},
                           json={"displayName": "Eng", "members": []})
    assert stale.status_code == 412
    fresh = rfc_client.get(f"{BASE}/Groups/{group['id']}", headers={**AUTH, "If-None-Match": old})
    assert fresh.status_code == 200


def test_a_patch_that_only_changes_a_members_display_is_a_200(rfc_client):
    ada = new_user(rfc_client, "ada@example.test")
    group = rfc_client.post(f"{BASE}/Groups", headers=AUTH, json={
        "displayName": "Eng", "members": [{"value": ada["id"], "display": "OLD"}]}).json
    response = patch(rfc_client, f"Groups/{group['id']}",
                     [{"op": "add", "path": "members", "value": [{"value": ada["id"], "display": "NEW"}]}])
    assert response.status_code == 200
    assert response.json["members"][0]["display"] == "NEW"


def test_concurrent_patches_of_one_group_lose_no_member():
    store = Store(None, synchronous="OFF")
    app = create_app(store, token=TOKEN)
    client = app.test_client()
    ids = [new_user(client, f"user{i}@example.test")["id"] for i in range(8)]
    group = client.post(f"{BASE}/Groups", headers=AUTH, json={"displayName": "Crowd", "members": []}).json
    barrier = threading.Barrier(len(ids))
    with ServerThread(app) as server:
        import requests

        def add(member_id):
            barrier.wait()
            # A path-less add goes through the full PATCH engine (read, apply, write back).
            requests.patch(f"{server.url}{BASE}/Groups/{group['id']}", headers=AUTH, timeout=30, json={
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "add", "value": {"members": [{"value": member_id}]}}]}).raise_for_status()

        threads = [threading.Thread(target=add, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    members = {m["value"] for m in client.get(f"{BASE}/Groups/{group['id']}", headers=AUTH).json["members"]}
    store.close()
    assert members == set(ids)


def test_search_counts_every_match_beyond_one_page_of_each_type():
    store = Store(None, synchronous="OFF")
    client = create_app(store, token=TOKEN, settings={"SCIM_MAX_COUNT": 2}).test_client()
    for i in range(3):
        new_user(client, f"user{i}@example.test")
    for name in ("A", "B"):
        client.post(f"{BASE}/Groups", headers=AUTH, json={"displayName": name, "members": []})
    pages = [client.post(f"{BASE}/.search", headers=AUTH, json={"startIndex": start, "count": 2}).json
             for start in (1, 3, 5)]
    store.close()
    assert [p["totalResults"] for p in pages] == [5, 5, 5]
    seen = [r.get("userName") or r["displayName"] for p in pages for r in p["Resources"]]
    assert seen == ["user0@example.test", "user1@example.test", "user2@example.test", "A", "B"]


@pytest.mark.parametrize("rule", ["outage:99999999999h", "latency:99999s", "slow:1e400s", "outage:inf"])
def test_fault_durations_past_their_limits_are_refused(rule):
    with pytest.raises(FaultSyntaxError):
        parse_rule(rule)


def test_wildcards_match_like_the_regex_they_replace():
    rng = random.Random(7)
    for _ in range(5000):
        pattern = "".join(rng.choice("ab*") for _ in range(rng.randint(0, 6)))
        text = "".join(rng.choice("abAB") for _ in range(rng.randint(0, 7)))
        regex = ".*".join(re.escape(part) for part in pattern.split("*"))
        assert Wildcard(pattern).fullmatch(text) == bool(re.fullmatch(regex, text, re.IGNORECASE | re.DOTALL))


def test_a_pathological_wildcard_is_answered_not_backtracked():
    # With a `.*` regex this takes longer than the age of the universe; piecewise matching is linear.
    assert Wildcard("*a" * 12 + "*b").fullmatch("a" * 10_000) is False
