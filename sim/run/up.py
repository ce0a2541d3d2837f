"""`sim up`: both apps in one process on loopback, wired the way the seed guide wires them, first sync.

Non-blank: seed the directory, activate Generic SCIM in StrongDM, configure the StrongDM app's
Identity Management in JumpCloud with that base URL and token (group management on), bind every
user group to the app, activate (connection test), and push. `--blank` seeds the directory only, with
no StrongDM app in JumpCloud's SSO list (the other catalog apps are there): the guide's `+` step adds it.
A restart without `--fresh` keeps both states and the credentials in endpoints.json.
"""

from dataclasses import dataclass
from dataclasses import field

from sim.faults.middleware import rules_from_settings
from sim.jumpcloud.pusher.settings import DEFAULT_TEST_USER_EMAIL as TEST_USER_EMAIL
from sim.run import runner
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

    @property
    def pusher(self):
        """The JumpCloud app's Identity Management pusher."""
        return self.jumpcloud.app.extensions["jumpcloud"].pusher

    def stop(self) -> None:
        """Stop pushing, then both servers, then close the stores."""
        self.pusher.close()
        if self.sdk is not None:
            self.sdk.stop()
        self.jumpcloud.stop()
        self.strongdm.stop()
        self.jumpcloud.app.extensions["jumpcloud"].store.close()
        self.strongdm.app.extensions["strongdm"].store.close()


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


def _jumpcloud_credentials(jc, seeded: dict | None, previous: dict) -> dict:
    """The API key and admin login: from seeding, else from the previous endpoints.json, else a new key."""
    if seeded:
        return {"api_key": seeded["api_key"], "admin": seeded["admin"]}
    key = previous.get("api_key")
    if not key or jc.org.authenticate(key) is None:
        # Keys are stored hashed: a lost key cannot be shown again, so issue a new one.
        key = jc.org.create_api_key(jc.org.admins()[0]["_id"])
    admin = previous.get("admin") or {"email": jc.org.admins()[0]["email"], "password": None}
    return {"api_key": key, "admin": admin}


def _without_receiver_faults(settings: dict | None) -> tuple[dict | None, list]:
    """Split the receiver's fault rules off, so they start after the connection test, not during it."""
    if not settings:
        return settings, []
    rest = {k: v for k, v in settings.items() if k not in {"FAULTS", "STRONGDM_FAULTS"}}
    return rest, rules_from_settings(settings, "strongdm")[0]  # the list the factory would have installed


def start(*, seed: int = 42, users: int = 50, groups: int = 8, jumpcloud_port: int = 8400,
          strongdm_port: int = 8401, state_dir: str | None = ".sim", fresh: bool = False, blank: bool = False,
          host: str = "127.0.0.1", settings: dict | None = None, grpc_port: int | None = None,
          make_directory=None, synchronous: str | None = None, orphans: str = "stop") -> Loop:
    """Start both apps and wire them (unless `blank`); returns before the first sync finishes.

    `grpc_port=None` (the default) leaves StrongDM's SDK API off, as does a missing `sdk` extra; 0 picks a port.
    `make_directory` (the directory generator) and `synchronous` (both stores' SQLite sync mode) are seams.
    `orphans`: what to do with StrongDM accounts a lost JumpCloud state left behind (sim.run.lost_state).
    """
    from sim.faults import middleware as faults
    from sim.jumpcloud import create_app
    from sim.jumpcloud.state import seed_if_empty
    from sim.strongdm.sdk.serve import start_sdk_api

    if fresh and state_dir is not None:
        discard_state(state_dir)
    previous = runner.read_endpoints(state_dir) if state_dir is not None else {}
    prev_sdm, prev_jc = previous.get("strongdm") or {}, previous.get("jumpcloud") or {}
    receiver_settings, receiver_faults = _without_receiver_faults(settings)
    sdm_server, sdm_admin = runner.start_strongdm(state_dir, host=host, port=strongdm_port,
                                                  admin=prev_sdm.get("admin"), settings=receiver_settings,
                                                  synchronous=synchronous)
    sdm = sdm_server.app.extensions["strongdm"]
    scim_base = f"{sdm_server.url}/provisioning/generic/v2"
    token = None
    if not blank:
        token = prev_sdm.get("scim_token")
        if not (token and sdm.org.check_token(token)):
            token = sdm.org.activate_scim("generic")  # Settings > User Management > Provisioning > Activate

    store = open_store(state_dir, "jumpcloud", synchronous=synchronous)
    jc_app = create_app(store, settings=settings, make_directory=make_directory)
    jc = jc_app.extensions["jumpcloud"]
    seeded = seed_if_empty(jc, seed=seed, users=users, groups=groups, skip_apps=("strongdm",) if blank else ())
    credentials = _jumpcloud_credentials(jc, seeded, prev_jc)
    jc_server = ServerThread(jc_app, host, jumpcloud_port).start()
    loop = Loop(jc_server, sdm_server, {}, state_dir)
    if not seeded:
        loop.notes.append("existing state kept (--seed/--users/--groups apply to a fresh state only)")

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
        loop.sdk = start_sdk_api(sdm, host, grpc_port, previous=prev_sdm)
        if loop.sdk is not None:
            loop.endpoints["strongdm"].update(loop.sdk.endpoints())
    if state_dir is not None:
        runner.write_endpoints(state_dir, loop.endpoints)
    return loop


def first_sync(loop: Loop, progress=None, *, timeout: float = FIRST_SYNC_WAIT, poll: float = 0.1) -> dict:
    """Wait for the queue to drain, calling `progress(done, total)`; returns the pusher's status."""
    return loop.pusher.drain(progress, timeout=timeout, poll=poll)
