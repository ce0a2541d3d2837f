"""StrongDM's documented rate limits as an option: per-credential reads and writes a minute, then 429.

StrongDM documents 5,000 reads and 500 writes a minute per user, API key or admin token, and 150,000 reads
and 15,000 writes a minute per organisation; every request counts, Admin UI ones included (StrongDM docs,
"Rate Limits", https://www.strongdm.com/docs/get-started/security/rate-limits/). Whether the SCIM endpoint answers 429 with `Retry-After` is not
documented: that part is our assumption, and so is counting only requests whose credential the app accepts
(so junk tokens use up nobody's quota). The app's factory says who is calling (`identify`); this module does
not know which product it is in.
"""

import collections
import json
import math
import threading
import time

from sim.faults.middleware import is_control

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
READ_POSTS = ("/.search",)  # a SCIM .search POST reads (RFC 7644 §3.4.3)
WINDOW = 60.0
SWEEP_EVERY = 1024  # checks between sweeps of emptied windows


class RateLimiter:
    """Sliding one-minute windows per credential and for the whole org; `check` admits or says how long to wait."""

    def __init__(self, *, reads: int = 5000, writes: int = 500, org_reads: int = 150_000, org_writes: int = 15_000,
                 window: float = WINDOW, clock=time.monotonic):
        self.limits = {"read": reads, "write": writes}
        self.org_limits = {"read": org_reads, "write": org_writes}
        self.window = window
        self.clock = clock
        self._hits: dict[tuple, collections.deque] = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()
        self._checks = 0

    def check(self, key: str, kind: str) -> float | None:
        """Count one request of `kind` ("read"/"write") for `key`; None if admitted, else seconds to wait."""
        now = self.clock()
        with self._lock:
            self._checks += 1
            if self._checks % SWEEP_EVERY == 0:
                self._sweep(now)
            mine, org = self._hits[(key, kind)], self._hits[("org", kind)]
            waits = [self._wait(q, limit, now) for q, limit in ((mine, self.limits[kind]),
                                                                  (org, self.org_limits[kind]))]
            if any(w is not None for w in waits):
                # A refused request does not use up quota, so a client that backs off gets back in.
                return max(w for w in waits if w is not None)
            mine.append(now)
            org.append(now)
            return None

    def _sweep(self, now: float) -> None:
        """Forget callers whose window has emptied, so many distinct (or junk) credentials cannot grow memory."""
        for key, hits in list(self._hits.items()):
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if not hits:
                del self._hits[key]

    def _wait(self, hits: collections.deque, limit: int, now: float) -> float | None:
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) < limit:
            return None
        return hits[0] + self.window - now


def request_kind(method: str, path: str) -> str:
    """Reads are GET/HEAD/OPTIONS and SCIM searches; everything else writes."""
    if method in WRITE_METHODS and not path.endswith(READ_POSTS):
        return "write"
    return "read"


class RateLimitMiddleware:
    """WSGI middleware: over the limit, a 429 with `Retry-After` and a SCIM error body; `/_sim/*` is exempt."""

    def __init__(self, wsgi_app, limiter: RateLimiter, identify):
        self.wsgi_app = wsgi_app
        self.limiter = limiter
        self.identify = identify  # environ -> the authenticated caller's key, or None (not counted)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if is_control(path):
            return self.wsgi_app(environ, start_response)
        caller = self.identify(environ)
        if caller is None:  # the app refuses it (401) or serves it to anyone: nobody's quota
            return self.wsgi_app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        kind = request_kind(method, path)
        wait = self.limiter.check(caller, kind)
        if wait is None:
            return self.wsgi_app(environ, start_response)
        limit = self.limiter.limits[kind]
        body = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "429",
                           "detail": f"Rate limit exceeded: {limit} {kind}s a minute."}).encode()
        start_response("429 Too Many Requests", [("Content-Type", "application/json"),
                                                 ("Content-Length", str(len(body))),
                                                 ("Retry-After", str(max(1, math.ceil(wait))))])
        return [body]


def install(app, identify, **limits) -> RateLimiter:
    """Apply StrongDM's rate limits to `app`, counting per `identify(environ)` (keyword arguments override the
    documented numbers)."""
    limiter = RateLimiter(**limits)
    app.extensions["ratelimit"] = limiter
    app.wsgi_app = RateLimitMiddleware(app.wsgi_app, limiter, identify)
    return limiter
