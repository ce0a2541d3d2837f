"""The loop figure: a seeded directory to converged through `sim up`'s own functions, beside its floor.

Runs in a bench child process (`python -m sim.bench.server loop`), both apps and the pusher in that one
process as `sim up` runs them. The floor is the pusher's kind of client (a keep-alive `requests.Session`
per worker, as many workers as the pusher has) posting a user-sized body to a trivial route on the same
StrongDM server, from the same process.
"""

import json
import os
import threading
import time

import requests

from sim.bench.floor import FLOOR_PATH
from sim.bench.floor import add_floor
from sim.bench.floor import user_body


class RequestCounter:
    """WSGI middleware counting the SCIM requests a server receives (by method)."""

    def __init__(self, wsgi_app, prefix: str = "/provisioning/"):
        self.wsgi_app = wsgi_app
        self.prefix = prefix
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(self.prefix):
            method = environ.get("REQUEST_METHOD", "")
            with self._lock:
                self.counts[method] = self.counts.get(method, 0) + 1
        return self.wsgi_app(environ, start_response)

    @property
    def total(self) -> int:
        """Requests counted so far."""
        return sum(self.counts.values())


def floor_rate(url: str, workers: int, total: int) -> float:
    """Requests/s of `workers` threads, each with a keep-alive Session, POSTing a user body to the floor route."""
    body = json.dumps(user_body(0, "floor")).encode()
    counter = iter(range(total))
    lock = threading.Lock()
    failures = []

    def worker() -> None:
        with requests.Session() as session:
            session.trust_env = False
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                response = session.post(url + FLOOR_PATH, data=body,
                                        headers={"Content-Type": "application/scim+json"})
                if response.status_code != 200:
                    failures.append(response.status_code)
                    return

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"floor requests failed: {failures[:3]}")
    return total / elapsed


def start_seeded(*, users: int, groups: int, state_dir: str, seed: int):
    """Both apps as `sim up` starts them (same functions, same server class), directory seeded, nothing wired."""
    from sim.jumpcloud import create_app
    from sim.jumpcloud.state import seed_if_empty
    from sim.run import runner
    from sim.run import up
    from sim.serve import ServerThread
    from sim.store import open_store

    if os.path.isdir(state_dir):
        up.discard_state(state_dir)
    os.makedirs(state_dir, exist_ok=True)
    sdm_server, _ = runner.start_strongdm(state_dir, port=0)
    jc_app = create_app(open_store(state_dir, "jumpcloud"))
    seed_if_empty(jc_app.extensions["jumpcloud"], seed=seed, users=users, groups=groups)
    jc_server = ServerThread(jc_app, "127.0.0.1", 0).start()
    return up.Loop(jc_server, sdm_server, {}, state_dir)


def run(*, users: int, groups: int, state_dir: str, seed: int = 42, floor_requests: int = 2000,
        timeout: float = 900.0) -> dict:
    """Seed (untimed), then time SCIM activation + the first sync to converged; returns the figure."""
    from sim.jumpcloud.pusher.worker import push_settings
    from sim.run import up

    loop = start_seeded(users=users, groups=groups, state_dir=state_dir, seed=seed)
    try:
        sdm_app = loop.strongdm.app
        add_floor(sdm_app)
        counter = RequestCounter(sdm_app.wsgi_app)
        sdm_app.wsgi_app = counter
        workers = int(push_settings().get("PUSH_WORKERS", 4))
        floor_before = floor_rate(loop.strongdm.url, workers, floor_requests)
        sdm = sdm_app.extensions["strongdm"]
        token = sdm.org.activate_scim("generic")
        base = f"{loop.strongdm.url}/provisioning/generic/v2"

        start = time.perf_counter()
        up.connect_scim(loop.jumpcloud.app, base, token)
        status = up.first_sync(loop, timeout=timeout)
        seconds = time.perf_counter() - start

        floor_after = floor_rate(loop.strongdm.url, workers, floor_requests)
        floor = max(floor_before, floor_after)  # the better of two runs: noise only ever slows a floor down
        requests_made = counter.total
        floor_seconds = requests_made / floor
        return {
            "users": users, "groups": groups, "seconds": seconds, "converged": bool(status["idle"]),
            # As `sim up` runs: the store's default durability unless SIM_SQLITE_SYNC says otherwise.
            "synchronous": sdm.store.synchronous,
            "pending": status["pending"], "failing": len(status["failing"]),
            "strongdm_users": sdm.accounts.count_users(), "strongdm_roles": sdm.accounts.count_roles(),
            "attachments": sdm.accounts.count_attachments(),
            "scim_requests": requests_made, "by_method": dict(sorted(counter.counts.items())),
            "users_per_second": users / seconds, "requests_per_second": requests_made / seconds,
            "push_workers": workers, "floor_rps": floor, "floor_rps_runs": [floor_before, floor_after],
            "floor_seconds": floor_seconds, "ratio": seconds / floor_seconds,
        }
    finally:
        loop.stop()
