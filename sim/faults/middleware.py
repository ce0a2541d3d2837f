"""Faults on demand: each rule with its seeded random source, and the WSGI middleware that applies them.

A rule is written `KIND[:ARG][:OPTION...][@[METHOD ]PATH]` (see `SYNTAX`) or as JSON (see `FaultRule.to_dict`).
Rules without a path apply to the app's API paths only (the SCIM receiver, the JumpCloud API), never to
`/_sim/*` and never to console pages unless a rule names them. Each rule draws from its own random source
seeded from (seed, position, rule), so the k-th request a rule sees gets the same fate in every run.
"""

import random
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from http import HTTPStatus

from sim.faults import control
from sim.faults.rules import FaultRule
from sim.faults.rules import rule_from

LOG_DDL = """
CREATE TABLE IF NOT EXISTS faults_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    status INTEGER,
    rule TEXT NOT NULL
);
"""


@dataclass
class Plan:
    """What the middleware does to one request."""

    delay: float = 0.0
    error: FaultRule | None = None
    truncate: FaultRule | None = None
    slow: FaultRule | None = None
    fired: list = field(default_factory=list)


class Faults:
    """An app's fault rules, their random sources and its fault log."""

    def __init__(self, store, render, default_paths: tuple[str, ...], *, seed: int = 0, authorize=None,
                 clock=time.time, sleep=time.sleep):
        self.store = store
        self.render = render
        self.default_paths = default_paths
        self.authorize = authorize or (lambda req: False)
        self.clock = clock
        self.sleep = sleep
        self.seed = seed
        self.rules: list[FaultRule] = []
        self._rngs: list[random.Random] = []
        self._lock = threading.Lock()
        self.delayed = 0
        if store is not None:
            store.schema(LOG_DDL)

    def replace(self, rules, seed: int | None = None) -> None:
        """Swap in a new rule set (parsed whole first, so a bad rule changes nothing)."""
        now = self.clock()
        parsed = [rule_from(r, now) for r in rules]
        with self._lock:
            if seed is not None:
                self.seed = seed
            self.rules = parsed
            self._rngs = [random.Random(f"{self.seed}:{i}:{r.text()}") for i, r in enumerate(parsed)]

    def active(self) -> list[dict]:
        """Rules in force now or later (expired outages drop out)."""
        now = self.clock()
        return [r.to_dict() for r in self.rules if not r.expired(now)]

    def plan(self, method: str, path: str) -> Plan | None:
        """Decide, with each rule's own random source, what happens to this request."""
        if not self.rules:
            return None
        plan = Plan()
        now = self.clock()
        with self._lock:
            for rule, rng in zip(self.rules, self._rngs, strict=True):
                if not rule.live(now) or not rule.matches(method, path, self.default_paths):
                    continue
                if rule.rate < 1.0 and rng.random() >= rule.rate:
                    continue
                if rule.kind == "latency":
                    plan.delay += max(0.0, rule.ms + rng.uniform(-rule.jitter_ms, rule.jitter_ms)) / 1000
                elif rule.kind == "truncate":
                    plan.truncate = plan.truncate or rule
                elif rule.kind == "slow":
                    plan.slow = plan.slow or rule
                elif plan.error is None:
                    plan.error = rule
            if plan.delay:
                self.delayed += 1
        return plan if (plan.delay or plan.error or plan.truncate or plan.slow) else None

    def record(self, rule: FaultRule, method: str, path: str) -> None:
        """Write one injected fault to the app's `faults_log` table."""
        if self.store is None:
            return
        with self.store.write() as db:
            db.execute("INSERT INTO faults_log(at, method, path, kind, status, rule) VALUES (?, ?, ?, ?, ?, ?)",
                       (self.store.now(), method, path[:500], rule.kind, rule.status, rule.text()))

    def log(self, limit: int = 50) -> list[dict]:
        """The most recent injected faults, newest first."""
        if self.store is None:
            return []
        rows = self.store.read().execute(
            "SELECT at, method, path, kind, status, rule FROM faults_log ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [dict(r) for r in rows]

    def count(self) -> int:
        """How many faults were injected (latency aside, which is counted in `delayed`)."""
        if self.store is None:
            return 0
        return self.store.read().execute("SELECT COUNT(*) FROM faults_log").fetchone()[0]


def is_control(path: str) -> bool:
    """`/_sim/*` is never faulted: tests must always be able to steer and observe the simulator."""
    return path == "/_sim" or path.startswith("/_sim/")


class FaultMiddleware:
    """WSGI middleware applying an app's `Faults` before (or, for `after` and body faults, around) the app."""

    def __init__(self, wsgi_app, faults: Faults):
        self.wsgi_app = wsgi_app
        self.faults = faults

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        plan = None if is_control(path) else self.faults.plan(method, path)
        if plan is None:
            return self.wsgi_app(environ, start_response)
        if plan.delay:
            self.faults.sleep(plan.delay)
        if plan.error is not None and not plan.error.after:
            self.faults.record(plan.error, method, path)
            return self._error(plan.error, path, start_response)
        status, headers, body = _run(self.wsgi_app, environ)
        if plan.error is not None:
            self.faults.record(plan.error, method, path)
            return self._error(plan.error, path, start_response)
        if plan.truncate is not None:
            self.faults.record(plan.truncate, method, path)
            body = body[:int(len(body) * plan.truncate.keep)]
            # Fewer octets than Content-Length, then a close: an incomplete message to the client (RFC 9112 §8).
            headers = [(k, v) for k, v in headers if k.lower() != "connection"] + [("Connection", "close")]
        if plan.slow is not None:
            self.faults.record(plan.slow, method, path)
            start_response(status, headers)
            return self._trickle(body, plan.slow.ms / 1000)
        start_response(status, headers)
        return [body]

    def _error(self, rule: FaultRule, path: str, start_response):
        body, content_type, extra = self.faults.render(rule.status, path)
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if rule.retry_after is not None:  # delay-seconds, RFC 9110 §10.2.3
            headers.append(("Retry-After", str(rule.retry_after)))
        headers.extend(extra.items())
        start_response(f"{rule.status} {_reason(rule.status)}", headers)
        return [body]

    def _trickle(self, body: bytes, seconds: float):
        pieces = max(1, min(20, len(body)))
        step = -(-len(body) // pieces) if body else 0
        for i in range(pieces):
            self.faults.sleep(seconds / pieces)
            yield body[i * step:(i + 1) * step]


def _run(wsgi_app, environ) -> tuple[str, list, bytes]:
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, list(headers)
        return lambda data: None

    result = wsgi_app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return captured["status"], captured["headers"], body


def _reason(status: int) -> str:
    return HTTPStatus(status).phrase


def install(app, store, *, render, paths: tuple[str, ...], authorize, rules=(), seed: int | None = None,
            clock=time.time, sleep=time.sleep) -> Faults:
    """Wrap `app` in the fault middleware and register `/_sim/faults`; the factory says how its product answers.

    `render(status, path) -> (body, content_type, headers)` is the product's error body, `paths` the
    patterns a rule without a path applies to, `authorize(request) -> bool` who may steer faults.
    """
    faults = Faults(store, render, paths, seed=0 if seed is None else seed, authorize=authorize, clock=clock,
                    sleep=sleep)
    faults.replace(rules or ())
    app.extensions["faults"] = faults
    app.wsgi_app = FaultMiddleware(app.wsgi_app, faults)
    app.register_blueprint(control.bp)
    return faults


def rules_from_settings(settings: dict, name: str) -> tuple[list, int]:
    """The rules and seed `settings` give app `name`: FAULTS, then `<NAME>_FAULTS` (rules for this app only, as
    `sim up` passes one settings dict to both), FAULT_SEED (else SEED)."""
    seed = settings.get("FAULT_SEED", settings.get("SEED", 0))
    return [*(settings.get("FAULTS") or ()), *(settings.get(f"{name.upper()}_FAULTS") or ())], int(seed)


def set_faults(app, rules, *, seed: int | None = None) -> list[dict]:
    """Replace an app's fault rules (strings, dicts or FaultRules); returns the active rules."""
    app.extensions["faults"].replace(rules, seed)
    return active_faults(app)


def clear_faults(app) -> None:
    """Remove every fault rule."""
    app.extensions["faults"].replace(())


def active_faults(app) -> list[dict]:
    """The rules in force (for the consoles): each a `to_dict()` with its compact `text`."""
    faults = app.extensions.get("faults")
    return faults.active() if faults else []


def fault_log(app, limit: int = 50) -> list[dict]:
    """The most recent injected faults, newest first (for the consoles)."""
    faults = app.extensions.get("faults")
    return faults.log(limit) if faults else []
