"""`--rate-limits` against a hostile caller: one token is one quota however it is spelled, and junk credentials
use up nobody's quota (StrongDM counts requests per authenticated caller)."""

import pytest

from tests.faults.helpers import AUTH
from tests.faults.helpers import TOKEN
from tests.faults.helpers import USERS
from tests.faults.helpers import strongdm_app
from tests.faults.helpers import user
from tests.strongdm.admin.helpers import FAST
from tests.strongdm.admin.helpers import login

SPELLINGS = [f"Bearer {TOKEN}", f"bearer {TOKEN}", f"BEARER {TOKEN}", f"Bearer   {TOKEN}", f"Bearer {TOKEN}  "]


@pytest.fixture
def app():
    app = strongdm_app(RATE_LIMITS=True, **FAST)
    limiter = app.extensions["ratelimit"]
    limiter.limits["write"], limiter.org_limits["write"] = 3, 5
    return app


def test_every_spelling_of_the_bearer_scheme_and_spacing_shares_one_quota(app):
    client = app.test_client()
    statuses = [client.post(USERS, json=user(f"u{i}@example.test"), headers={"Authorization": spelling}).status_code
                for i, spelling in enumerate(SPELLINGS)]
    assert statuses == [201, 201, 201, 429, 429]


def test_unauthenticated_requests_do_not_use_up_the_org_quota(app):
    client = app.test_client()
    junk = [client.post(USERS, json=user("junk@example.test"), headers={"Authorization": f"Bearer junk-{i}"})
            for i in range(50)]
    assert {r.status_code for r in junk} == {401}
    nothing = [client.post(USERS, json=user("none@example.test")).status_code for _ in range(10)]
    assert set(nothing) == {401}
    ok = [client.post(USERS, json=user(f"real{i}@example.test"), headers=AUTH).status_code for i in range(3)]
    assert ok == [201, 201, 201]


def test_a_signed_in_admin_has_a_quota_of_their_own_and_the_login_page_is_not_counted(app):
    sdm = app.extensions["strongdm"]
    sdm.ensure_admin("root@strongdm.test", "root password 1")
    admin = app.test_client()
    for _ in range(4):
        admin.get("/login")  # unauthenticated reads
    login(admin, "root@strongdm.test", "root password 1")  # a write before sign-in: not counted
    limiter = app.extensions["ratelimit"]
    limiter.limits["read"] = 2
    assert [admin.get("/users").status_code for _ in range(3)] == [200, 200, 429]
    scim = app.test_client()
    assert scim.get(USERS, headers=AUTH).status_code == 200  # the SCIM token's reads are its own
