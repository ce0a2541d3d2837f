"""JumpCloud Identity Management's pusher: outbox -> durable queue -> background worker -> SCIM.

Every directory mutation writes an outbox row in its own transaction; the worker turns new rows
into queue rows (moving the cursor in the same transaction), then pushes due rows, users before
groups, users on a small thread pool (JumpCloud's ordering only requires that a group's members
exist before the group is given them). Retry policy (undocumented for JumpCloud's SCIM pushes;
ours): 429 waits `Retry-After`, 5xx/408/connection errors back off exponentially with seeded
jitter up to a cap, other 4xx park the row until the object changes. No row is ever dropped.
"""

import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sim.config import env_overrides
from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.pusher.client import DEFAULT_CONTENT_TYPE
from sim.jumpcloud.pusher.client import DEFAULT_DEADLINE
from sim.jumpcloud.pusher.client import DEFAULT_MAX_RESPONSE
from sim.jumpcloud.pusher.client import DEFAULT_USER_AGENT
from sim.jumpcloud.pusher.client import ScimClientError
from sim.jumpcloud.pusher.fanout import affected
from sim.jumpcloud.pusher.health import Receivers
from sim.jumpcloud.pusher.queue import SyncState
from sim.jumpcloud.pusher.settings import IdentityManagement
from sim.jumpcloud.pusher.sync import AppContext
from sim.jumpcloud.pusher.sync import SyncEngine

log = logging.getLogger(__name__)

PUSH_DEFAULTS = {
    "PUSH_WORKERS": 4,  # concurrent user pushes per process
    "PUSH_BATCH": 256,  # queue rows claimed per round
    "PUSH_DELAY": 0.0,  # seconds a change waits before it is pushed (debounce)
    "PUSH_RETRY_BASE": 1.0,  # first backoff, doubled per attempt
    # Longest backoff: JumpCloud's advice for its own API tops out at 240 s ("30/60/120/240", quoted by
    # saltext-jumpcloud from https://jumpcloud.com/support/best-practices-jumpcloud-api).
    "PUSH_RETRY_CAP": 240.0,
    "PUSH_SEED": 0,  # seed of the jitter
    # After a recovery the app's backed-off rows are due at once, at most this often (doubling while it flaps).
    "PUSH_RECOVERY_INTERVAL": 0.5,
    "PUSH_TIMEOUT": 30.0,  # each connect and each read
    "PUSH_DEADLINE": DEFAULT_DEADLINE,  # a whole request, however slowly the server trickles
    "PUSH_MAX_RESPONSE": DEFAULT_MAX_RESPONSE,  # bytes; a larger answer is refused unread
    "PUSH_MEMBER_CHUNK": 1000,  # members per PATCH
    "PUSH_USER_AGENT": DEFAULT_USER_AGENT,
    "PUSH_CONTENT_TYPE": DEFAULT_CONTENT_TYPE,
}


STOP_WAIT = 5.0  # seconds stop() waits for the worker; requests in flight were cut, so it ends sooner


def push_settings(overrides: dict | None = None) -> dict:
    """PUSH_DEFAULTS, then SIM_PUSH_* environment variables, then `overrides` (PUSH_* keys only)."""
    out = dict(PUSH_DEFAULTS)
    out.update(env_overrides(PUSH_DEFAULTS))
    out.update({k: v for k, v in (overrides or {}).items() if k in PUSH_DEFAULTS and v is not None})
    return out


class Pusher:
    """One per JumpCloud app process: `app.extensions["jumpcloud"].pusher`.

    `client_factory` and `recorder`: see IdentityManagement (the SCIM client every push and test goes through).
    """

    def __init__(self, jc, settings: dict | None = None, *, client_factory=None, recorder=None):
        self.jc = jc
        self.store = jc.store
        self.directory = jc.directory
        self.settings = push_settings(settings)
        self.idm = IdentityManagement(self.store, jc.directory, jc.insights, self.settings,
                                      client_factory=client_factory, recorder=recorder)
        self.state = SyncState(self.store)
        self.engine = SyncEngine(self.store, jc.directory, jc.insights, self.state,
                                 member_chunk=int(self.settings["PUSH_MEMBER_CHUNK"]))
        self._rng = random.Random(self.settings["PUSH_SEED"])
        self._rng_lock = threading.Lock()
        self._clients: dict[str, tuple[tuple, object]] = {}
        self._paused: dict[str, float] = {}
        self.receivers = Receivers(float(self.settings["PUSH_RECOVERY_INTERVAL"]), float(self.settings["PUSH_RETRY_CAP"]))
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None
        self._lifecycle = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._unsubscribe = self.directory.subscribe(lambda changes: self._wake.set())

    # -- what the console, CLI and control endpoints call ----------------------------------------------

    def configure(self, app_id: str, **fields) -> dict:
        """Store Identity Management settings (see IdentityManagement.configure); pushing pauses until Activate."""
        return self.idm.configure(app_id, **fields)

    def activate(self, app_id: str, test_user_email: str | None = None) -> dict:
        """Run the connection test; on success queue a full reconcile of the app and start the worker."""
        # The full reconcile is queued in the transaction that makes the app active: a crash cannot leave an
        # active app with nothing queued.
        public = self.idm.activate(app_id, test_user_email, on_active=lambda db: self.reconcile(app_id))
        self.start()
        return public

    def deactivate(self, app_id: str) -> dict:
        """Stop pushing for an app; its queue rows stay for the next activation."""
        return self.idm.deactivate(app_id)

    def reconcile(self, app_id: str | None = None, *, force: bool = True) -> int:
        """Queue every user and group an active app has or had; `force` re-sends even unchanged ones."""
        queued = 0
        with self.store.write() as db:
            for config in self.idm.active():
                app = config["app_id"]
                if app_id is not None and app != app_id:
                    continue
                # Once-bound users without a record are asked about first (a crash mid-POST leaves no
                # marker); the users bound now are remembered after, so a first sync asks nothing extra.
                asked = self.state.ask_about_unrecorded(db, app)
                bound = self._bound_users(app)
                self.state.saw_bound(db, app, [(u["_id"], u.get("email")) for u in bound])
                users = {u["_id"] for u in bound} | set(self.state.user_ids(app)) | set(asked)
                items = [(app, "user", u) for u in sorted(users)]
                if config.get("group_management"):
                    groups = set(self.directory.bound_group_ids(app)) | set(self.state.group_ids(app))
                    items += [(app, "group", g) for g in sorted(groups)]
                queued += self.state.enqueue(db, items, force=force)
        self._wake.set()
        return queued

    def _bound_users(self, app_id: str) -> list[dict]:
        try:
            return self.directory.users_bound_to_app(app_id)
        except JumpCloudError:
            return []

    def _remember_bound(self, db, pairs) -> None:
        """Users a binding change touched are, or were, bound: remember them with their userName."""
        seen: dict[str, list] = {}
        for app_id, user_id in sorted(pairs):
            try:
                email = self.directory.get_user(user_id).get("email")
            except JumpCloudError:
                email = None
            seen.setdefault(app_id, []).append((user_id, email))
        for app_id, users in seen.items():  # one statement per app, not per user, inside the feed's transaction
            self.state.saw_bound(db, app_id, users)

    def status(self) -> dict:
        """`{"idle", "pending", "failing", "unresolved"}`: idle when the outbox is consumed, nothing is due or in
        flight, and no create's outcome is still unknown."""
        return {**self._counts(), "failing": self.state.failing()}

    def _counts(self) -> dict:
        """status() without the failing rows: what waiting for idle reads."""
        apps = {c["app_id"] for c in self.idm.active()}
        # Read the cursor before the queue: a feed that commits in between has queued its rows by the time
        # the count runs. Counting first could miss rows fed after the count yet seen by the cursor read.
        caught_up = not apps or self.state.cursor() >= self.directory.last_seq()
        pending = self.state.pending(apps)
        unresolved = self.state.unresolved_count(apps)
        return {"idle": pending == 0 and caught_up and unresolved == 0, "pending": pending, "unresolved": unresolved}

    def wait_idle(self, timeout: float) -> dict:
        """Wait up to `timeout` seconds for the queue to empty; returns `status()`."""
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            counts = self._counts()  # the failing rows (a 100-row read) only once, for the answer
            remaining = deadline - time.monotonic()
            if counts["idle"] or remaining <= 0:
                return self.status()
            with self._idle:
                self._idle.wait(min(0.05, remaining))

    def drain(self, progress=None, *, timeout: float, poll: float = 0.1) -> dict:
        """Wait up to `timeout` for the queue to empty, calling `progress(done, total)`; returns `status()`."""
        total = max(self.status()["pending"], 1)
        deadline = time.monotonic() + timeout
        while True:
            status = self.wait_idle(poll)
            total = max(total, status["pending"])
            if progress:
                progress(total - status["pending"], total)
            if status["idle"] or time.monotonic() >= deadline:
                return status

    # -- worker ---------------------------------------------------------------------------------------

    def start(self) -> "Pusher":
        """Start the background worker (idempotent: never two workers, whoever calls at the same time)."""
        with self._lifecycle:
            self._each_client("resume")
            if self._thread is not None and self._thread.is_alive():
                self._stopping.clear()  # a stop that timed out mid-push: that same worker carries on
            else:
                self._stopping.clear()
                self._pool = ThreadPoolExecutor(max_workers=int(self.settings["PUSH_WORKERS"]),
                                                thread_name_prefix="push")
                self._thread = threading.Thread(target=self._run, name="jumpcloud-pusher", daemon=True)
                self._thread.start()
        self._wake.set()
        return self

    def stop(self) -> None:
        """Stop the worker after the request in flight; queued work stays in the store (`start()` resumes)."""
        with self._lifecycle:
            self._stopping.set()
            self._wake.set()
            # Requests in flight are cut, so a server that trickles or never answers cannot hold the stop
            # (their rows stay queued and retry on the next start).
            self._each_client("abort")
            if self._thread is not None:
                self._thread.join(timeout=STOP_WAIT)
                if self._thread.is_alive():
                    return  # still in a slow push: it exits at its next check; keep its pool and clients
                self._thread = None
            self._release()

    def _each_client(self, method: str) -> None:
        """Call `abort` or `resume` on every cached client that has it (a custom client factory may not)."""
        for _, client in list(self._clients.values()):
            getattr(client, method, lambda: None)()

    def _release(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        for _, client in self._clients.values():
            client.close()
        self._clients.clear()

    def close(self) -> None:
        """Stop for good: the worker, and the directory's wake-up calls."""
        self.stop()
        self._unsubscribe()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                worked = self.run_once()
            except Exception:  # the worker must outlive any one bad round; the row stays queued
                if getattr(self.store, "_closed", False):
                    return  # the app was torn down without close(): nothing left to push from
                log.exception("pusher round failed")
                worked = 0
                self._stopping.wait(1.0)
            with self._idle:
                self._idle.notify_all()
            if not worked and not self._stopping.is_set():
                self._wake.wait(self._sleep_time())

    def _sleep_time(self) -> float:
        now = time.time()
        # An app paused by Retry-After has due rows the round skips: sleep until its pause ends, not 5 ms.
        paused = {a: until for a, until in self._paused.items() if until > now}
        apps = {c["app_id"] for c in self.idm.active()} - set(paused)
        wake = [t for t in (self.state.next_due(apps), min(paused.values(), default=None)) if t is not None]
        wake += self.receivers.probes(apps)
        if not wake:
            return 5.0
        return min(5.0, max(0.005, min(wake) - now))

    def feed(self, limit: int = 1000) -> int:
        """Turn new outbox rows into queue rows; cursor and rows commit together. Returns rows consumed."""
        consumed = 0
        while True:
            with self.store.write() as db:
                changes = self.directory.changes_since(self.state.cursor(), limit)
                if not changes:
                    return consumed
                configs = self.idm.active()
                items, touched = set(), set()
                for change in changes:
                    found = affected(change, configs, self.directory.member_ids)
                    items.update(found)
                    if change["object_type"] != "user":  # a binding or membership change: "ever bound"
                        touched.update((a, o) for a, k, o in found if k == "user")
                    if change["object_type"] == "application" and change["action"] == "delete":
                        self._forget_app(db, change["object_id"])
                self.state.enqueue(db, sorted(items), delay=float(self.settings["PUSH_DELAY"]))
                self._remember_bound(db, touched)
                self.state.set_cursor(changes[-1]["seq"])
            consumed += len(changes)
            if len(changes) < limit:
                return consumed

    def _forget_app(self, db, app_id: str) -> None:
        """A deleted application stops pushing, and its queue goes (nothing could ever push it)."""
        self.state.drop_app(db, app_id)
        self.idm.retire(db, app_id)

    def run_once(self) -> int:
        """One round: feed the queue, push one batch (users first); returns how many rows were tried."""
        self.feed()
        now = time.time()
        contexts = {}
        for config in self.idm.active():
            if self._paused.get(config["app_id"], 0) > now:
                continue
            try:
                app = self.directory.get_app(config["app_id"])
            except JumpCloudError:
                continue
            contexts[config["app_id"]] = AppContext(config["app_id"], app.get("displayLabel") or app.get("name"),
                                                    config, self._client(config))
        self._probe(set(contexts), now)
        items = self.state.ready(set(contexts), int(self.settings["PUSH_BATCH"]))
        if any(i["kind"] == "user" for i in items):
            items = [i for i in items if i["kind"] == "user"]
        if not items:
            return 0
        if self._pool is not None and len(items) > 1:
            list(self._pool.map(lambda i: self._push_one(contexts[i["app_id"]], i), items))
        else:
            for item in items:
                self._push_one(contexts[item["app_id"]], item)
        return len(items)

    def _client(self, config: dict):
        key = (config["base_url"], config["token"])
        cached = self._clients.get(config["app_id"])
        if cached and cached[0] == key:
            return cached[1]
        if cached:
            cached[1].close()
        client = self.idm.client(config)
        self._clients[config["app_id"]] = (key, client)
        return client

    def _recovered(self, ctx: AppContext) -> None:
        if self.receivers.of(ctx.app_id).succeeded(time.time()):
            with self.store.write() as db:  # the receiver is back: its backed-off rows are due now
                self.state.bring_forward(db, ctx.app_id, time.time())
            self._wake.set()

    def _probe(self, apps: set[str], now: float) -> None:
        """An app whose rows all wait after failures gets one of them tried early (see health.py)."""
        for app_id in sorted(apps):
            health = self.receivers.known(app_id)
            if health is not None and health.probe_due(now):
                with self.store.write() as db:
                    self.state.bring_forward(db, app_id, now, limit=1)

    def _push_one(self, ctx: AppContext, item: dict) -> None:
        if self._stopping.is_set():
            return  # the rest of the batch stays queued for the next start
        answers = getattr(ctx.client, "answers", None)
        try:
            self.engine.push(ctx, item)
            # Only an answer from the receiver says it recovered; a push that needed no request says nothing.
            if answers is None or getattr(ctx.client, "answers", None) != answers:
                self._recovered(ctx)
        except ScimClientError as exc:
            if answers is not None and getattr(ctx.client, "answers", None) != answers:
                self._recovered(ctx)  # an earlier request of this push was answered: the receiver is up
            self._failed(ctx, item, exc)
        except Exception as exc:  # our bug, not the SP's: keep the row and retry later
            log.exception("pushing %s %s failed", item["kind"], item["object_id"])
            self._failed(ctx, item, ScimClientError("-", "-", None, f"internal error: {type(exc).__name__}"))

    def backoff(self, attempts: int, base: float | None = None) -> float:
        """Exponential backoff with seeded jitter: uniform in [cap/2, cap], cap = base * 2**attempts, bounded."""
        base = float(self.settings["PUSH_RETRY_BASE"]) if base is None else base
        ceiling = min(float(self.settings["PUSH_RETRY_CAP"]), base * 2 ** min(attempts, 30))
        with self._rng_lock:
            return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _failed(self, ctx: AppContext, item: dict, exc: ScimClientError) -> None:
        error = f"{exc.method} {exc.path}: {exc.detail}"
        if not exc.transient:
            with self.store.write() as db:
                self.state.park(db, item, exc.status, error)
            return
        # The delay is in-memory work (receiver health, seeded jitter): worked out before taking the write lock
        # the other workers wait on.
        health = self.receivers.of(ctx.app_id)
        if exc.status != 429:
            health.failed(time.time())
        if health.answering():  # an unlucky row, not a receiver in trouble
            delay = self.backoff(0, float(self.settings["PUSH_RECOVERY_INTERVAL"]))
        else:
            delay = self.backoff(health.exponent(item["attempts"]))
        if exc.status == 429 and exc.retry_after is not None:
            # Retry-After speaks for the whole service provider, not just this object (RFC 6585 §4).
            delay = exc.retry_after
            self._paused[ctx.app_id] = time.time() + delay
        with self.store.write() as db:
            self.state.retry_later(db, item, delay, exc.status, error)


def install(app, settings: dict | None = None) -> Pusher:
    """Attach a pusher and the /_sim control endpoints to a JumpCloud Flask app; start it if an app is active."""
    jc = app.extensions["jumpcloud"]
    if getattr(jc, "pusher", None) is None:
        from sim.jumpcloud import control

        merged = {k: app.config[k] for k in PUSH_DEFAULTS if k in app.config}
        merged.update(settings or {})
        jc.pusher = Pusher(jc, merged, client_factory=jc.scim_client, recorder=jc.scim_recorder)
        if "sim_control" not in app.blueprints:
            app.register_blueprint(control.bp)
        if jc.pusher.idm.active():
            jc.pusher.start()
    return jc.pusher
