"""The convergence-under-faults figure: the same seeded directory synced fault-free and under a fault rule.

Runs in a bench child (`python -m sim.bench.server loop-faults`). Each sync runs as `sim up`'s does (same
functions, both apps and the pusher in this process, the pusher's default retry settings); the rule is set
on the receiver once the connection test has passed, so it meets the whole first sync. Afterwards every
user that must be live in StrongDM is counted: `lost` (missing or suspended) and `duplicated` (two accounts
for one email or one externalId).
"""

import os
import time

from sim.bench.loop import RequestCounter
from sim.bench.loop import start_seeded

DEFAULT_RULE = "503:0.3@* /provisioning/*"


def converge(*, users: int, groups: int, state_dir: str, seed: int, rules: list[str], timeout: float) -> dict:
    """One first sync from a seeded directory to idle (or `timeout`); seconds, requests and the outcome."""
    from sim.faults import middleware as faults
    from sim.run import up

    loop = start_seeded(users=users, groups=groups, state_dir=state_dir, seed=seed)
    try:
        sdm_app = loop.strongdm.app
        counter = RequestCounter(sdm_app.wsgi_app)
        sdm_app.wsgi_app = counter
        sdm = sdm_app.extensions["strongdm"]
        token = sdm.org.activate_scim("generic")
        start = time.perf_counter()
        up.connect_scim(loop.jumpcloud.app, f"{loop.strongdm.url}/provisioning/generic/v2", token)
        if rules:
            faults.set_faults(sdm_app, rules, seed=seed)
        status = up.first_sync(loop, timeout=timeout)
        seconds = time.perf_counter() - start
        faults.clear_faults(sdm_app)
        jc = loop.jumpcloud.app.extensions["jumpcloud"]
        app_id = jc.directory.find_app("strongdm")["_id"]
        wanted = {u["email"].lower(): u["_id"] for u in jc.directory.users_bound_to_app(app_id)
                  if u["state"] == "ACTIVATED"}
        accounts = [u for u in sdm.accounts.all_users() if u.get("managed_by")]
        live = {u["email"].lower() for u in accounts if not u["suspended"]}
        emails = [u["email"].lower() for u in accounts]
        external = [u["external_id"] for u in accounts if u.get("external_id")]
        return {
            "seconds": seconds, "converged": bool(status["idle"]), "pending": status["pending"],
            "users_wanted": len(wanted), "lost": len(set(wanted) - live),
            "duplicated": (len(emails) - len(set(emails))) + (len(external) - len(set(external))),
            "scim_requests": counter.total, "injected": sdm_app.extensions["faults"].count(),
        }
    finally:
        loop.stop()


def run(*, users: int, groups: int, state_dir: str, seed: int = 42, rule: str = DEFAULT_RULE,
        timeout: float = 600.0) -> dict:
    """Fault-free, then under `rule`: both outcomes and the time ratio."""
    clean = converge(users=users, groups=groups, state_dir=os.path.join(state_dir, "clean"), seed=seed, rules=[],
                     timeout=timeout)
    faulty = converge(users=users, groups=groups, state_dir=os.path.join(state_dir, "faulty"), seed=seed,
                      rules=[rule], timeout=timeout)
    return {"users": users, "groups": groups, "rule": rule, "clean": clean, "faulty": faulty,
            "ratio": faulty["seconds"] / clean["seconds"] if clean["seconds"] else float("nan")}
