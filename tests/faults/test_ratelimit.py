"""Rate limits: the per-credential and org-wide budgets, read/write classes, and StrongDM's 429 answer."""

import pytest

from sim.faults import ratelimit
from tests.faults.helpers import AUTH
from tests.faults.helpers import USERS
from tests.faults.helpers import FakeTime
from tests.faults.helpers import strongdm_app
from tests.faults.helpers import user
from tests.faults.helpers import user_count

# -- rate limits ----------------------------------------------------------------------------------------------

def test_the_limiter_admits_the_documented_numbers_a_minute_per_credential():
    fake = FakeTime()
    limiter = ratelimit.RateLimiter(clock=fake.clock)
    assert all(limiter.check("a", "write") is None for _ in range(500))
    assert limiter.check("a", "write") == pytest.approx(60.0)
    assert limiter.check("b", "write") is None  # another token has its own budget
    assert all(limiter.check("a", "read") is None for _ in range(5000))
    assert limiter.check("a", "read") is not None
    fake.now += 60
    assert limiter.check("a", "write") is None


def test_the_org_wide_limit_binds_across_credentials():
    limiter = ratelimit.RateLimiter(writes=10, org_writes=15, clock=FakeTime().clock)
    admitted = [limiter.check(f"token-{i % 3}", "write") is None for i in range(30)]
    assert admitted.count(True) == 15


@pytest.mark.parametrize("method, path, kind", [
    ("GET", USERS, "read"), ("POST", USERS, "write"), ("PATCH", USERS + "/a-1", "write"),
    ("DELETE", USERS + "/a-1", "write"), ("POST", USERS + "/.search", "read"), ("HEAD", "/", "read"),
])
def test_requests_count_as_reads_or_writes(method, path, kind):
    assert ratelimit.request_kind(method, path) == kind


def test_over_the_limit_strongdm_answers_429_with_retry_after_and_a_scim_body():
    app = strongdm_app(RATE_LIMITS=True)
    app.extensions["ratelimit"].limits["write"] = 3
    client = app.test_client()
    statuses = [client.post(USERS, json=user(f"u{i}@example.test"), headers=AUTH).status_code for i in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    response = client.post(USERS, json=user("late@example.test"), headers=AUTH)
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert user_count(app) == 3
    assert client.get("/_sim/faults", headers=AUTH).status_code == 200  # control paths are not limited


def test_rate_limits_are_off_unless_asked_for():
    assert "ratelimit" not in strongdm_app().extensions


def test_callers_whose_window_has_emptied_are_forgotten():
    from sim.faults.ratelimit import SWEEP_EVERY
    from sim.faults.ratelimit import RateLimiter

    now = [0.0]
    limiter = RateLimiter(window=60, clock=lambda: now[0])
    for i in range(SWEEP_EVERY):
        limiter.check(f"junk-{i}", "read")
    now[0] = 120.0
    for _ in range(SWEEP_EVERY):
        limiter.check("the one caller", "read")
    assert len(limiter._hits) <= 2  # the one caller and the org-wide window
