"""Churn under lost answers: with `500:0.2:after` and `truncate:0.05` on the receiver, users are created,
suspended, deleted and unbound; once the faults clear, no user that must not be active has an active
StrongDM account (issue #15, item 1: 16 such accounts were left after 25 s of this)."""

import random

import pytest

from sim.faults import middleware as faults
from tests.loop.helpers import Harness

RULES = ["500:0.2:after@POST /provisioning/*", "truncate:0.05@* /provisioning/*"]


@pytest.fixture
def loop(tmp_path):
    harness = Harness(state_dir=str(tmp_path), settings={"PUSH_RETRY_BASE": 0.05, "PUSH_RETRY_CAP": 0.3})
    yield harness
    harness.stop()


def test_no_offboarded_user_keeps_an_active_account_after_churn_with_lost_answers(loop):
    loop.connect()
    faults.set_faults(loop.sdm_app, RULES, seed=3)
    rng = random.Random(5)
    groups = sorted(loop.directory.bound_group_ids(loop.app_id))
    created = []
    for n in range(60):
        action = rng.random()
        if action < 0.5 or not created:
            user = loop.new_user(f"churn.{n}@example.com")
            loop.directory.change_membership(rng.choice(groups), "add", user["_id"])
            created.append(user["_id"])
        else:
            victim = rng.choice(created)
            kind = rng.choice(["suspend", "delete", "unbind"])
            if kind == "suspend":
                loop.directory.set_user_state(victim, "SUSPENDED")
            elif kind == "delete":
                loop.directory.delete_user(victim)
                created.remove(victim)
            else:
                for group in loop.directory.user_group_ids(victim):
                    loop.directory.change_membership(group, "remove", victim)
        loop.pusher.wait_idle(rng.choice([0, 0, 0.05]))  # some changes land mid-push, some after a failure
    faults.clear_faults(loop.sdm_app)
    loop.wait(120)
    active, _ = loop.expected()
    users, _ = loop.strongdm_state()
    stray = sorted(email for email, user in users.items()
                   if not user["suspended"] and email.startswith("churn.") and email not in active)
    assert stray == []
    assert {e for e in active if e.startswith("churn.")} <= {e for e, u in users.items() if not u["suspended"]}
