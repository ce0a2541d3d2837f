"""Eight clients at once over real HTTP, creating overlapping users, groups and memberships on both apps:
uniqueness holds, nothing is lost, nothing answers 500."""

import random
import threading
from collections import Counter

import pytest
import requests

from sim.jumpcloud import create_app as create_jumpcloud
from sim.jumpcloud.state import seed_if_empty
from sim.serve import ServerThread
from sim.store import Store
from sim.strongdm import create_app as create_strongdm
from tests.hostile.helpers import SCIM
from tests.hostile.helpers import TOKEN

THREADS = 8
EMAILS = [f"user{i:02d}@example.test" for i in range(40)]
GROUPS = ["Alpha", "Beta", "Gamma", "Delta"]


def run_all(worker) -> list:
    """Run `worker(n)` in THREADS threads started together; returns their results, re-raising any error."""
    barrier = threading.Barrier(THREADS)
    results, errors = [None] * THREADS, []

    def run(n):
        try:
            barrier.wait()
            results[n] = worker(n)
        except BaseException as exc:  # surface it in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors[0]
    return results


@pytest.fixture
def strongdm():
    store = Store(None, synchronous="OFF")
    with ServerThread(create_strongdm(store, token=TOKEN)) as server:
        yield server
    store.close()


def scim(session, method, server, path, **kwargs):
    return session.request(method, f"{server.url}{SCIM}{path}", headers={"Authorization": f"Bearer {TOKEN}"},
                           timeout=30, **kwargs)


def test_overlapping_scim_creates_make_each_user_and_group_once(strongdm):
    def worker(n):
        session, statuses = requests.Session(), Counter()
        rng = random.Random(n)
        for email in rng.sample(EMAILS, len(EMAILS)):
            statuses[scim(session, "POST", strongdm, "/Users", json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
                "name": {"givenName": "Con", "familyName": f"Current {n}"}}).status_code] += 1
        for name in rng.sample(GROUPS, len(GROUPS)):
            statuses[scim(session, "POST", strongdm, "/Groups", json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": name}).status_code] += 1
        return statuses

    totals = sum(run_all(worker), Counter())
    assert totals == {201: len(EMAILS) + len(GROUPS), 409: (THREADS - 1) * (len(EMAILS) + len(GROUPS))}
    accounts = strongdm.app.extensions["strongdm"].accounts
    assert sorted(u["email"] for u in accounts.all_users()) == EMAILS
    assert sorted(r["name"] for r in accounts.list_roles(0, 100)) == sorted(GROUPS)


def test_overlapping_membership_patches_lose_nothing(strongdm):
    session = requests.Session()
    ids = {email: scim(session, "POST", strongdm, "/Users", json={
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
        "name": {"givenName": "A", "familyName": "B"}}).json()["id"] for email in EMAILS}
    groups = {name: scim(session, "POST", strongdm, "/Groups", json={
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": name}).json()["id"]
        for name in GROUPS}
    wanted = {name: set() for name in GROUPS}
    plans = []
    for n in range(THREADS):
        rng = random.Random(100 + n)
        plan = [(rng.choice(GROUPS), rng.sample(EMAILS, 5)) for _ in range(10)]
        for name, emails in plan:
            wanted[name] |= set(emails)
        plans.append(plan)

    def worker(n):
        session, statuses = requests.Session(), Counter()
        for name, emails in plans[n]:
            response = scim(session, "PATCH", strongdm, f"/Groups/{groups[name]}", json={
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "add", "path": "members", "value": [{"value": ids[e]} for e in emails]}]})
            statuses[response.status_code] += 1
        return statuses

    totals = sum(run_all(worker), Counter())
    assert set(totals) <= {200, 204}, totals
    accounts = strongdm.app.extensions["strongdm"].accounts
    for name, role_id in groups.items():
        members = [user["email"] for user, *_ in accounts.members(role_id)]
        assert sorted(members) == sorted(wanted[name]), name


@pytest.fixture
def jumpcloud():
    store = Store(None, synchronous="OFF")
    app = create_jumpcloud(store)
    key = seed_if_empty(app.extensions["jumpcloud"], seed=9, users=2, groups=1)["api_key"]
    with ServerThread(app) as server:
        yield server, key
    store.close()


def test_overlapping_jumpcloud_creates_and_member_adds_keep_uniqueness_and_lose_nothing(jumpcloud):
    server, key = jumpcloud
    headers = {"x-api-key": key}
    names = [e.split("@")[0] for e in EMAILS]
    group_ids = {}
    for name in GROUPS:
        response = requests.post(f"{server.url}/api/v2/usergroups", json={"name": name}, headers=headers, timeout=30)
        group_ids[name] = response.json()["id"]

    def create(n):
        session, statuses = requests.Session(), Counter()
        for name in random.Random(n).sample(names, len(names)):
            statuses[session.post(f"{server.url}/api/systemusers", headers=headers, timeout=30, json={
                "username": name, "email": f"{name}@example.com", "firstname": "Con",
                "lastname": f"Current {n}"}).status_code] += 1
        return statuses

    totals = sum(run_all(create), Counter())
    assert totals[200] == len(names) and set(totals) <= {200, 400, 409}, totals
    directory = server.app.extensions["jumpcloud"].directory
    users = {directory.find_user(username=name)["_id"]: name for name in names}
    assert len(users) == len(names)
    wanted = {name: set() for name in GROUPS}
    plans = []
    for n in range(THREADS):
        rng = random.Random(200 + n)
        plan = [(rng.choice(GROUPS), rng.choice(list(users))) for _ in range(25)]
        for group, user_id in plan:
            wanted[group].add(user_id)
        plans.append(plan)

    def add(n):
        session, statuses = requests.Session(), Counter()
        for group, user_id in plans[n]:
            statuses[session.post(f"{server.url}/api/v2/usergroups/{group_ids[group]}/members", headers=headers,
                                  timeout=30, json={"op": "add", "type": "user", "id": user_id}).status_code] += 1
        return statuses

    totals = sum(run_all(add), Counter())
    assert set(totals) <= {204, 409}, totals
    for group, group_id in group_ids.items():
        assert set(directory.group_member_ids(group_id)) == wanted[group], group
