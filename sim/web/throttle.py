"""Console sign-in throttling: failed attempts per account and per client, and a bound on concurrent hashes.

OWASP "Authentication Cheat Sheet" (Protect against automated attacks: account lockout, per-client limits).
The numbers are ours (assumed; neither product publishes its console's): ACCOUNT_FAILURES failed sign-ins
to one account, or CLIENT_FAILURES from one client address, within WINDOW seconds refuse further attempts
with a 429 (even with the right password) until the oldest failure leaves the window. A success clears
that account's failures. At most CONCURRENT_HASHES password checks run at once (each scrypt check takes
32 MiB); an attempt that cannot start one within HASH_WAIT seconds is a 503.
"""

import threading
import time
from collections import OrderedDict
from collections import deque
from contextlib import contextmanager

from flask import current_app
from flask import request

from sim.scim.names import name_key

ACCOUNT_FAILURES = 10
CLIENT_FAILURES = 50
WINDOW = 15 * 60.0
CONCURRENT_HASHES = 4
HASH_WAIT = 10.0
MAX_TRACKED = 10_000  # keys remembered (accounts and clients); the least recently failed are forgotten first


class Throttled(Exception):
    """Sign-in refused before any password is checked; `retry_after` in whole seconds."""

    def __init__(self, message: str, retry_after: int, status: int = 429):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, retry_after)
        self.status = status


class LoginThrottle:
    """Sliding-window failure counts keyed by account and by client, and a semaphore around password checks."""

    def __init__(self, *, account_failures: int = ACCOUNT_FAILURES, client_failures: int = CLIENT_FAILURES,
                 window: float = WINDOW, concurrent_hashes: int = CONCURRENT_HASHES, hash_wait: float = HASH_WAIT,
                 clock=time.monotonic):
        self.limits = {"account": account_failures, "client": client_failures}
        self.window = window
        self.hash_wait = hash_wait
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], deque] = OrderedDict()
        self._lock = threading.Lock()
        self._hashes = threading.BoundedSemaphore(concurrent_hashes)

    def _recent(self, key: tuple[str, str], now: float) -> deque:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def check(self, account: str, client: str) -> None:
        """Raise Throttled when this account or this client has failed too often lately."""
        now = self.clock()
        with self._lock:
            for kind, value in (("account", name_key(account)), ("client", client)):
                times = self._recent((kind, value), now)
                if len(times) >= self.limits[kind]:
                    wait = int(times[0] + self.window - now) + 1
                    who = "this account" if kind == "account" else "your address"
                    raise Throttled(f"Too many failed sign-ins for {who}. Try again in {wait} seconds.", wait)

    def failed(self, account: str, client: str) -> None:
        """Count one failed attempt against the account and the client."""
        now = self.clock()
        with self._lock:
            for key in (("account", name_key(account)), ("client", client)):
                times = self._failures.pop(key, None) or deque(maxlen=max(self.limits.values()))
                times.append(now)
                self._failures[key] = times  # most recently failed last
            while len(self._failures) > MAX_TRACKED:
                self._failures.popitem(last=False)

    def succeeded(self, account: str) -> None:
        """A correct password clears the account's failures (not the client's)."""
        with self._lock:
            self._failures.pop(("account", name_key(account)), None)

    @contextmanager
    def hashing(self):
        """Hold one of the password-check slots for the duration of a check; 503 when none frees up in time."""
        if not self._hashes.acquire(timeout=self.hash_wait):
            raise Throttled("Too many sign-ins are being checked at once. Try again in a few seconds.", 5, 503)
        try:
            yield
        finally:
            self._hashes.release()


def throttled_check(account: str, check):
    """Run `check()` (the password check: a user or None) under the app's throttle; raises Throttled.

    The refusal comes before any hash is computed, so a throttled attempt costs nothing.
    """
    throttle: LoginThrottle = current_app.extensions["login_throttle"]
    client = request.remote_addr or ""
    throttle.check(account, client)
    with throttle.hashing():
        user = check()
    if user:
        throttle.succeeded(account)
    else:
        throttle.failed(account, client)
    return user
