"""`sim up`: both apps in one process on loopback, wired the way the seed guide wires them, first sync.

Non-blank: seed the directory, activate Generic SCIM in StrongDM, configure the StrongDM app's
Identity Management in JumpCloud with that base URL and token (group management on), bind every
user group to the app, activate (connection test), and push. `--blank` seeds the directory only, with
no StrongDM app in JumpCloud's SSO list (the other catalog apps are there): the guide's `+` step adds it.
A restart without `--fresh` keeps both states and their credentials, which live in the states
(sim.run.state.credentials): endpoints.json is rewritten from them on every start.
"""

import secrets
import time
from dataclasses import dataclass
from dataclasses import field

from sim.config import DEFAULTS
from sim.faults.middleware import rules_from_settings
from sim.jumpcloud.pusher.settings import DEFAULT_TEST_USER_EMAIL as TEST_USER_EMAIL
from sim.run import runner
from sim.run.preflight import StartError
from sim.run.preflight import check_credentials
from sim.run.preflight import check_ports
from sim.run.serving import serve_app
from sim.run.state.credentials import remember
from sim.run.state.credentials import remembered
from sim.run.state.lock import StateDirBusy
from sim.run.state.lock import StateLock
from sim.run.state.snapshot import Snapshot
from sim.serve import ServerThread
from sim.store import open_store

FIRST_SYNC_WAIT = 600.0  # seconds `sim up` waits for the first sync before serving anyway


@dataclass
class Loop:
    """The running pair: servers, the JumpCloud pusher and what endpoints.json says."""

    jumpcloud: ServerThread
    strongdm: ServerThread
    endpoints: dict
    state_dir: str | None
    notes: list[str] = field(default_factory=list)
    sdk: object | None = None  # the StrongDM SDK's gRPC API, when the `sdk` extra is installed
    lock: StateLock | None = None  # held on the state dir while the pair runs (`sim reset` refuses meanwhile)
    snapshot: Snapshot | None = None  # both states right after seeding (blank) or the first sync, for `reset()`

    @property
    def pusher(self):
        """The JumpCloud app's Identity Management pusher."""
        return self.jumpcloud.app.extensions["jumpcloud"].pusher

    def take_snapshot(self) -> None:
        """Keep copies of both states as they are now: what `reset()` goes back to."""
        self.snapshot = self.snapshot or Snapshot({"jumpcloud": self.jumpcloud.app.extensions["jumpcloud"].store,
                                                   "strongdm": self.strongdm.app.extensions["strongdm"].store},
                                                  self.state_dir)
        self.snapshot.take()

    def reset(self) -> dict:
        """Both apps back to the snapshot (same credentials, no restart); consoles' sessions end with it.

        Raises NotResettable before the snapshot exists (a wired pair takes it when its first sync is done).
        """
        from sim.control import NotResettable

        if self.snapshot is None or not self.snapshot.taken:
            raise NotResettable("the sandbox has no snapshot yet: it is taken when the first sync is done")
        began = time.monotonic()
        self.pusher.stop()  # no push may land between the two restores
        self.snapshot.restore()
        # What the apps hold in memory describes the state just replaced: the receiver's SCIM settings, the
        # inspectors' exchanges (the pusher's own pause and health are left: they are the operator's).
        self.strongdm.app.extensions["strongdm"].org.state_replaced()
        for app in (self.jumpcloud.app, self.strongdm.app):
            inspector = app.extensions.get("inspector")
            if inspector is not None:
                inspector.ring.clear()
        if self.pusher.idm.active():
            self.pusher.start()
        return {"reset": True, "seconds": round(time.monotonic() - began, 3)}

    def stop(self) -> None:
        """Stop pushing, then both servers, then close the stores."""
        self.pusher.close()
        if self.sdk is not None:
            self.sdk.stop()
        self.jumpcloud.stop()
        self.strongdm.stop()
        self.jumpcloud.app.extensions["jumpcloud"].store.close()
        self.strongdm.app.extensions["strongdm"].store.close()
        if self.snapshot is not None:
            self.snapshot.discard()
        if self.lock is not None:
            self.lock.release()


def discard_state(state_dir: str) -> None:
    """`--fresh`: delete the SQLite files and endpoints.json of a state dir (nothing else in it)."""
    from sim.run.status import reset_state

    reset_state(state_dir)


def connect_scim(jumpcloud_app, base_url: str, token: str, *, bind_groups: bool = True,
                 test_user_email: str = TEST_USER_EMAIL) -> dict:
    """Configure and activate the StrongDM app's Identity Management in JumpCloud; returns the public settings.

    Raises `ActivationError` (with the connection test's reason) when the SCIM server fails the test.
    """
    jc = jumpcloud_app.extensions["jumpcloud"]
    app = jc.directory.find_app("strongdm")
    if app is None:
        raise RuntimeError("the JumpCloud directory has no StrongDM application")
    if bind_groups:
        every = set(jc.directory.group_ids())
        jc.directory.set_group_bindings(app["_id"], every, every)
    jc.pusher.configure(app["_id"], base_url=base_url, token=token, group_management=True,
                        test_user_email=test_user_email)
    return jc.pusher.activate(app["_id"])


def _jumpcloud_credentials(jc, seeded: dict | None, previous: dict, *, api_key: str | None = None,
                           admin_password: str | None = None) -> tuple[dict, str | None]:
    """The API key and admin login: from seeding, else kept in the state, else the previous endpoints.json.

    Keys and passwords are stored hashed, so one neither source has is issued anew (with a note, returned);
    fixed ones (`api_key`, `admin_password`) are made live when they are not yet.
    """
    if seeded:
        return {"api_key": seeded["api_key"], "admin": seeded["admin"]}, None
    kept = {**previous, **remembered(jc.store)}
    first = jc.org.admins()[0]
    key, notes = api_key or kept.get("api_key"), []
    if not key or jc.org.authenticate(key) is None:
        if not api_key:
            notes.append("a new JumpCloud API key (the state did not keep the old one)")
        key = jc.org.create_api_key(first["_id"], key=key if api_key else None)
    admin = dict(kept.get("admin") or {"email": first["email"], "password": None})
    if admin_password and admin_password != admin.get("password"):
        admin["password"] = admin_password
        jc.org.set_password(first["_id"], admin_password)
    elif not admin.get("password") or (not remembered(jc.store) and not jc.org.check_password(admin["email"],
                                                                                              admin["password"])):
        admin = {"email": first["email"], "password": secrets.token_urlsafe(12)}
        jc.org.set_password(first["_id"], admin["password"])
        notes.append("a new JumpCloud admin password (the state did not keep the old one)")
    return {"api_key": key, "admin": admin}, "; ".join(notes) or None


def _without_receiver_faults(settings: dict | None) -> tuple[dict | None, list]:
    """Split the receiver's fault rules off, so they start after the connection test, not during it."""
    if not settings:
        return settings, []
    rest = {k: v for k, v in settings.items() if k not in {"FAULTS", "STRONGDM_FAULTS"}}
    return rest, rules_from_settings(settings, "strongdm")[0]  # the list the factory would have installed


def start(*, seed: int | None = None, users: int | None = None, groups: int | None = None,
          jumpcloud_port: int = 8400, strongdm_port: int = 8401, state_dir: str | None = ".sim", fresh: bool = False,
          blank: bool = False, host: str = "127.0.0.1", settings: dict | None = None, grpc_port: int | None = None,
          make_directory=None, synchronous: str | None = None, orphans: str = "stop",
          admin_password: str | None = None, api_key: str | None = None, scim_token: str | None = None,
          command: str = "sim up") -> Loop:
    """Start both apps and wire them (unless `blank`); returns before the first sync finishes.

    Raises StartError, before any state is touched, for a busy port, a state dir another `sim up` holds, or a
    fixed credential (`admin_password`, `api_key`, `scim_token`) the products would refuse.
    `seed`, `users`, `groups`: None means not given (the defaults, and no note on a restart that ignores them).
    `grpc_port=None` (the default) leaves StrongDM's SDK API off, as does a missing `sdk` extra; 0 picks a port.
    `make_directory` (the directory generator) and `synchronous` (both stores' SQLite sync mode) are seams.
    `orphans`: what to do with StrongDM accounts a lost JumpCloud state left behind (sim.run.lost_state).
    """
    from sim.strongdm.sdk.serve import sdk_available

    check_credentials(admin_password=admin_password, api_key=api_key, scim_token=scim_token)
    if blank and scim_token:
        raise StartError("--scim-token wires the pair; with --blank the trainee gets a token in the Admin UI")
    lock = None
    if state_dir is not None:
        try:
            lock = StateLock(state_dir, command).acquire()
        except StateDirBusy as exc:
            raise StartError(f"{exc}: stop it first (`sim down`, or Ctrl-C where it runs)") from None
    try:
        check_ports(host, [(jumpcloud_port, "--jumpcloud-port"), (strongdm_port, "--strongdm-port"),
                           (grpc_port if grpc_port and sdk_available() else None, "--grpc-port")])
        loop = _start(seed=seed, users=users, groups=groups, jumpcloud_port=jumpcloud_port,
                      strongdm_port=strongdm_port, state_dir=state_dir, fresh=fresh, blank=blank, host=host,
                      settings=settings, grpc_port=grpc_port, make_directory=make_directory, synchronous=synchronous,
                      orphans=orphans, admin_password=admin_password, api_key=api_key, scim_token=scim_token)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    loop.lock = lock
    return loop


def _start(*, seed, users, groups, jumpcloud_port, strongdm_port, state_dir, fresh, blank, host, settings,
           grpc_port, make_directory, synchronous, orphans, admin_password, api_key, scim_token) -> Loop:
    from sim.faults import middleware as faults
    from sim.jumpcloud import create_app
    from sim.jumpcloud.state import seed_if_empty
    from sim.strongdm.sdk.serve import start_sdk_api

    sizes_given = any(v is not None for v in (seed, users, groups))
    seed = DEFAULTS["SEED"] if seed is None else seed
    users = DEFAULTS["USERS"] if users is None else users
    groups = DEFAULTS["GROUPS"] if groups is None else groups
    if fresh and state_dir is not None:
        discard_state(state_dir)
    previous = runner.read_endpoints(state_dir) if state_dir is not None else {}
    prev_sdm, prev_jc = previous.get("strongdm") or {}, previous.get("jumpcloud") or {}
    receiver_settings, receiver_faults = _without_receiver_faults(settings)
    sdm_server, sdm_admin = runner.start_strongdm(state_dir, host=host, port=strongdm_port,
                                                  admin=prev_sdm.get("admin"), settings=receiver_settings,
                                                  synchronous=synchronous, password=admin_password)
    sdm = sdm_server.app.extensions["strongdm"]
    scim_base = f"{sdm_server.url}/provisioning/generic/v2"
    token = None
    if not blank:
        token = scim_token or remembered(sdm.store).get("scim_token") or prev_sdm.get("scim_token")
        if not (token and sdm.org.check_token(token)):
            # Settings > User Management > Provisioning > Activate (with the fixed token when one is given)
            token = sdm.org.activate_scim("generic", token=scim_token)
        remember(sdm.store, scim_token=token)

    store = open_store(state_dir, "jumpcloud", synchronous=synchronous)
    jc_app = create_app(store, settings=settings, make_directory=make_directory)
    jc = jc_app.extensions["jumpcloud"]
    seeded = seed_if_empty(jc, seed=seed, users=users, groups=groups, api_key=api_key,
                           admin_password=admin_password, skip_apps=("strongdm",) if blank else ())
    credentials, reissued = _jumpcloud_credentials(jc, seeded, prev_jc, api_key=api_key,
                                                   admin_password=admin_password)
    remember(jc.store, **credentials)
    jc_server = serve_app(jc_app, host, jumpcloud_port)
    loop = Loop(jc_server, sdm_server, {}, state_dir)
    if not seeded and sizes_given:
        loop.notes.append("existing state kept (--seed/--users/--groups apply to a fresh state only)")
    if reissued:
        loop.notes.append(reissued)
    app = jc.directory.find_app("strongdm")
    config = jc.pusher.idm.get(app["_id"]) if app else None
    if not blank:
        from sim.run import lost_state

        try:
            note = lost_state.check(sdm, jc, app["_id"] if app else None, orphans)
        except lost_state.LostStateError:
            loop.stop()
            raise
        if note:
            loop.notes.append(note)
    if not blank and app and (config is None or config["status"] != "active" or config["base_url"] != scim_base
                              or config["token"] != token):
        try:
            connect_scim(jc_app, scim_base, token)
        except Exception:
            loop.stop()
            raise
        config = jc.pusher.idm.get(app["_id"])
    active = bool(config and config["status"] == "active")
    if receiver_faults:
        seed_of_faults = (settings or {}).get("FAULT_SEED", (settings or {}).get("SEED", 0))
        faults.set_faults(sdm_server.app, receiver_faults, seed=int(seed_of_faults))
    loop.endpoints = {
        "jumpcloud": {"url": jc_server.url, "api_key": credentials["api_key"], "admin": credentials["admin"],
                      "app_id": app["_id"] if app and active and not blank else None},
        "strongdm": {"url": sdm_server.url, "scim_base_url": scim_base, "scim_token": token, "admin": sdm_admin},
    }
    if grpc_port is not None:
        loop.sdk = start_sdk_api(sdm, host, grpc_port, previous={**prev_sdm, **remembered(sdm.store).get("sdk", {})})
        if loop.sdk is not None:
            loop.endpoints["strongdm"].update(loop.sdk.endpoints())
            remember(sdm.store, sdk={k: v for k, v in loop.sdk.endpoints().items() if k != "grpc"})
    if state_dir is not None:
        runner.write_endpoints(state_dir, loop.endpoints)
    for app in (jc_app, sdm_server.app):
        app.extensions["sim_control"].reset = loop.reset
    if blank:
        loop.take_snapshot()  # nothing pushes in a blank pair: this is the state right after seeding
    return loop


def first_sync(loop: Loop, progress=None, *, timeout: float = FIRST_SYNC_WAIT, poll: float = 0.1) -> dict:
    """Wait for the queue to drain, calling `progress(done, total)`; returns the pusher's status.

    Once idle, both states are snapshotted: what `loop.reset()` (and `/_sim/reset`) goes back to.
    """
    status = loop.pusher.drain(progress, timeout=timeout, poll=poll)
    if status["idle"] and (loop.snapshot is None or not loop.snapshot.taken):
        loop.take_snapshot()
    return status
