"""pytest plugin: fixtures that run the simulator's apps on ephemeral loopback ports.

Registered through the `pytest11` entry point, so `pip install jumpcloud-strongdm-sim` is enough:
`strongdm_server` (a SCIM receiver with a token), `jumpcloud_server` (the JumpCloud API, seeded) and
`provisioning_loop` (both, wired as `sim up` wires them, first sync done). Size and seed come from the
`sim` marker, then `--sim-seed/--sim-users/--sim-groups/--sim-org-model`, then sim.config's defaults. Each
fixture is function-scoped, with its SQLite state in a fresh temporary directory: a copy of a template built once
per session for each distinct size, seed and settings (`sim.testing.snapshots`), served on fresh ports.
"""

import json
import secrets

import requests

try:
    import pytest
except ModuleNotFoundError:  # the plugin is installed with the package; pytest comes with the extra
    raise ModuleNotFoundError("sim.testing needs pytest: pip install 'jumpcloud-strongdm-sim[pytest]'") from None

from sim.config import DEFAULTS
from sim.testing.snapshots import Template
from sim.testing.snapshots import restore_jumpcloud
from sim.testing.snapshots import restore_loop
from sim.testing.snapshots import restore_strongdm

# Retries a test can wait for: the pusher's own defaults back off for minutes.
FAST_RETRIES = {"PUSH_RETRY_BASE": 0.05, "PUSH_RETRY_CAP": 0.5}
TEST_SYNC = "NORMAL"  # durable against a killed process, without an fsync per commit: tests do not lose power
FIRST_SYNC_TIMEOUT = 120.0
_CACHE = pytest.StashKey[dict]()  # per-session cache of generated directories, on config.stash
_TEMPLATES = pytest.StashKey[dict]()  # per-session templates: (fixture, seed, size, settings) -> Template
MARKER_HELP = ("sim(seed=None, users=None, groups=None, org_model=None, settings=None): seed and size of the "
               "simulator's fixtures for this test, StrongDM's org model (groups or roles), and settings (e.g. PUSH_* "
               "or STRONGDM_DELETE_MODE) passed to both apps")


def pytest_addoption(parser):
    """--sim-seed, --sim-users, --sim-groups, --sim-org-model."""
    group = parser.getgroup("jumpcloud-strongdm-sim", "JumpCloud -> StrongDM simulator fixtures")
    group.addoption("--sim-seed", type=int, default=None,
                    help=f"Faker seed of the fixtures' JumpCloud directory (default {DEFAULTS['SEED']}).")
    group.addoption("--sim-users", type=int, default=None,
                    help=f"Users in the fixtures' JumpCloud directory (default {DEFAULTS['USERS']}).")
    group.addoption("--sim-groups", type=int, default=None,
                    help=f"User groups in the fixtures' JumpCloud directory (default {DEFAULTS['GROUPS']}).")
    group.addoption("--sim-org-model", choices=("groups", "roles"), default=None,
                    help=f"StrongDM's org model in the fixtures (default {DEFAULTS['STRONGDM_ORG_MODEL']}).")


def pytest_configure(config):
    """Declare the `sim` marker (so --strict-markers accepts it) and the directory cache."""
    config.addinivalue_line("markers", MARKER_HELP)
    config.stash[_CACHE] = {}
    config.stash[_TEMPLATES] = {}


def _cached_maker(cache: dict, original):
    """`make_directory` through a per-session cache when called as seeding calls it (no keyword arguments)."""

    def make_directory(seed, users, groups, **kwargs):
        if kwargs:
            return original(seed, users, groups, **kwargs)
        key = (seed, users, groups)
        if key not in cache:
            cache[key] = original(seed, users, groups)
        return cache[key]

    return make_directory


def sim_options(request) -> dict:
    """Seed, users, groups and settings for one test: the `sim` marker, then the command line, then defaults."""
    marker = request.node.get_closest_marker("sim")
    kwargs = dict(marker.kwargs) if marker else {}
    unknown = set(kwargs) - {"seed", "users", "groups", "org_model", "settings"}
    if unknown:
        raise pytest.UsageError(f"unknown sim marker arguments: {', '.join(sorted(unknown))}")
    config = request.config
    out = {}
    for name in ("seed", "users", "groups"):
        value = kwargs.get(name)
        if value is None:
            value = config.getoption(f"--sim-{name}")
        out[name] = DEFAULTS[name.upper()] if value is None else int(value)
    out["settings"] = dict(kwargs.get("settings") or {})
    org_model = kwargs.get("org_model") or config.getoption("--sim-org-model")
    if org_model:  # else sim.config decides, as for `sim up`
        out["settings"]["STRONGDM_ORG_MODEL"] = org_model
    return out


def _directory_maker(config):
    """The directory generator the fixtures seed with: each (seed, users, groups) once per session (~1 s each)."""
    from sim.fake import directory as fake

    return _cached_maker(config.stash[_CACHE], fake.make_directory)


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # loopback must not go through a proxy from the environment
    return session


class _Faults:
    """Fault injection on the served app, in `sim up --fault` syntax (e.g. "503:0.5@POST /provisioning/*")."""

    app = None

    def set_faults(self, rules, *, seed: int | None = None) -> list[dict]:
        """Replace the app's fault rules; returns the rules in force."""
        from sim.faults import middleware as faults

        return faults.set_faults(self.app, rules, seed=seed)

    def clear_faults(self) -> None:
        """Remove the app's fault rules."""
        from sim.faults import middleware as faults

        faults.clear_faults(self.app)


class StrongDMServer(_Faults):
    """The mock StrongDM on a loopback port: `.url`, `.scim_base_url`, `.token`, `.app`, `.admin`."""

    def __init__(self, server, token: str | None, admin: dict):
        self.server = server
        self.app = server.app
        self.url = server.url
        self.scim_base_url = f"{server.url}/provisioning/generic/v2"
        self.token = token
        self.admin = admin
        self.http = _session()

    @property
    def state(self):
        """The StrongDM state object (`accounts`, `activities`, `org`, `store`)."""
        return self.app.extensions["strongdm"]

    def scim(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the SCIM API with the bearer token, e.g. `scim("GET", "/Users", params={"count": 10})`."""
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.http.request(method, self.scim_base_url + path, headers=headers, timeout=30, **kwargs)

    def users(self, *, managed: bool = True) -> list[dict]:
        """StrongDM users in creation order; only SCIM-provisioned ones unless `managed=False`."""
        return [u for u in self.state.accounts.all_users() if u.get("managed_by") or not managed]

    def user(self, email: str) -> dict | None:
        """One StrongDM user by email (any case), or None."""
        return self.state.accounts.find_user_by_email(email)

    def roles(self) -> list[dict]:
        """StrongDM roles in creation order, each with `members`: the sorted emails of its users."""
        accounts = self.state.accounts
        return [{**role, "members": sorted(user["email"] for user, *_ in accounts.members(role["id"]))}
                for role in accounts.all_roles()]

    def groups(self) -> list[dict]:
        """StrongDM Groups (the groups org model) in creation order, each with `members`: the sorted emails."""
        sets = self.state.accounts.group_set
        return [{**group, "members": sorted(user["email"] for user, *_ in sets.members(group["id"]))}
                for group in sets.every()]

    def activities(self, verb: str | None = None) -> list[dict]:
        """The audit log, oldest first (only `verb` if given)."""
        return self.state.activities.list(limit=-1, verb=verb, newest_first=False)

    def close(self) -> None:
        """Stop serving and close the store."""
        self.http.close()
        self.server.stop()
        self.state.store.close()


class JumpCloudServer(_Faults):
    """The mock JumpCloud on a loopback port: `.url`, `.api_key`, `.app`, `.admin`, `.api(method, path, **kw)`."""

    def __init__(self, server, api_key: str, admin: dict | None):
        self.server = server
        self.app = server.app
        self.url = server.url
        self.api_key = api_key
        self.admin = admin
        self.http = _session()

    @property
    def state(self):
        """The JumpCloud state object (`directory`, `org`, `insights`, `pusher`, `store`)."""
        return self.app.extensions["jumpcloud"]

    @property
    def app_id(self) -> str:
        """The StrongDM SSO application's id."""
        return self.state.directory.find_app("strongdm")["_id"]

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the REST API with the key, e.g. `api("POST", "/api/systemusers", json={...})`."""
        headers = {"x-api-key": self.api_key, **kwargs.pop("headers", {})}
        return self.http.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def close(self) -> None:
        """Stop the pusher, stop serving, close the store."""
        self.http.close()
        self.state.pusher.close()
        self.server.stop()
        self.state.store.close()


class ProvisioningLoop:
    """JumpCloud pushing to StrongDM over SCIM, wired and seeded as `sim up` does; `.jumpcloud`, `.strongdm`."""

    def __init__(self, loop, state_dir: str, options: dict, template: str | None = None):
        self.loop = loop
        self.state_dir = state_dir
        self.options = options
        self.template = template  # the state dir this loop's stores were copied from (None: built afresh)
        ends = loop.endpoints
        self.endpoints = ends
        self.jumpcloud = JumpCloudServer(loop.jumpcloud, ends["jumpcloud"]["api_key"], ends["jumpcloud"]["admin"])
        self.strongdm = StrongDMServer(loop.strongdm, ends["strongdm"]["scim_token"], ends["strongdm"]["admin"])
        self.app_id = ends["jumpcloud"]["app_id"]

    @property
    def pusher(self):
        """JumpCloud's Identity Management pusher (`status()`, `reconcile()`, `stop()`, `start()`)."""
        return self.loop.pusher

    def wait_idle(self, timeout: float = 30.0) -> dict:
        """Wait until every change has been pushed; returns the status, fails the test on timeout."""
        status = self.pusher.wait_idle(timeout)
        if not status["idle"]:
            pytest.fail(f"the provisioning loop was not idle after {timeout:g}s: {status}")
        return status

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call JumpCloud's REST API (see JumpCloudServer.api)."""
        return self.jumpcloud.api(method, path, **kwargs)

    def strongdm_users(self, *, managed: bool = True) -> list[dict]:
        """StrongDM's SCIM-provisioned users (all of them with `managed=False`)."""
        return self.strongdm.users(managed=managed)

    def strongdm_roles(self) -> list[dict]:
        """StrongDM's roles, each with `members` (sorted emails)."""
        return self.strongdm.roles()

    def strongdm_groups(self) -> list[dict]:
        """StrongDM's Groups (the groups org model, the default), each with `members` (sorted emails)."""
        return self.strongdm.groups()

    def set_faults(self, rules, *, side: str = "strongdm", seed: int | None = None) -> list[dict]:
        """Inject faults on one side: "strongdm" (the SCIM receiver, default) or "jumpcloud" (its API)."""
        return self._side(side).set_faults(rules, seed=seed)

    def clear_faults(self, side: str | None = None) -> None:
        """Remove fault rules from one side, or both."""
        for name in (side,) if side else ("strongdm", "jumpcloud"):
            self._side(name).clear_faults()

    def _side(self, side: str):
        if side not in ("strongdm", "jumpcloud"):
            raise ValueError(f"side must be 'strongdm' or 'jumpcloud', not {side!r}")
        return getattr(self, side)

    def reconcile(self) -> int:
        """Queue a full re-push of every bound user and group (what `POST /_sim/sync` does)."""
        return self.pusher.reconcile()

    def stop(self) -> None:
        """Stop the pusher, both servers and the stores; the state stays in `state_dir`."""
        self.jumpcloud.http.close()
        self.strongdm.http.close()
        self.loop.stop()


def start_loop(state_dir: str, *, seed: int, users: int, groups: int, settings: dict | None = None,
               wait: bool = True, make_directory=None) -> ProvisioningLoop:
    """Start both apps on ephemeral ports over `state_dir` as `sim up` does; wait for the first sync unless told.

    `make_directory(seed, users, groups)`: what generates the seeded directory (sim.fake.directory's by default).
    """
    from sim.run import up

    loop = up.start(seed=seed, users=users, groups=groups, jumpcloud_port=0, strongdm_port=0, state_dir=state_dir,
                    settings={**FAST_RETRIES, **(settings or {})}, make_directory=make_directory,
                    synchronous=TEST_SYNC)
    wrapped = ProvisioningLoop(loop, state_dir, {"seed": seed, "users": users, "groups": groups,
                                                 "settings": settings or {}})
    if wait:
        status = up.first_sync(loop, timeout=FIRST_SYNC_TIMEOUT)
        if not status["idle"]:
            wrapped.stop()
            raise RuntimeError(f"the first sync did not finish: {status}")
    return wrapped


def _template(request, tmp_path_factory, kind: str, options: dict, build) -> Template:
    """The session's template for this fixture and these options, built (and stopped) the first time."""
    templates = request.config.stash[_TEMPLATES]
    key = (kind, options["seed"], options["users"], options["groups"],
           json.dumps(options["settings"], sort_keys=True, default=repr))
    if key not in templates:
        state_dir = str(tmp_path_factory.mktemp(f"{kind}-template"))
        templates[key] = Template(state_dir, build(state_dir))
    return templates[key]


@pytest.fixture
def strongdm_server(request, tmp_path_factory):
    """The mock StrongDM alone on an ephemeral loopback port, Generic SCIM activated with `.token`."""
    from sim.run import runner

    options = sim_options(request)
    settings = options["settings"] or None

    def build(state_dir):
        token = secrets.token_urlsafe(24)
        server, admin = runner.start_strongdm(state_dir, port=0, token=token, settings=settings,
                                              synchronous=TEST_SYNC)
        server.stop()
        server.app.extensions["strongdm"].store.close()
        return {"strongdm": {"scim_token": token, "admin": admin}}

    template = _template(request, tmp_path_factory, "strongdm", options, build)
    server = restore_strongdm(template, str(tmp_path_factory.mktemp("strongdm")), settings=settings,
                              synchronous=TEST_SYNC)
    sdm = StrongDMServer(server, template.endpoints["strongdm"]["scim_token"], template.endpoints["strongdm"]["admin"])
    yield sdm
    sdm.close()


@pytest.fixture
def jumpcloud_server(request, tmp_path_factory):
    """The mock JumpCloud alone on an ephemeral loopback port, seeded (`--sim-*` or the `sim` marker)."""
    from sim.run.jumpcloud import start_jumpcloud

    options = sim_options(request)
    settings = {**FAST_RETRIES, **options["settings"]}
    maker = _directory_maker(request.config)

    def build(state_dir):
        server, creds = start_jumpcloud(state_dir, port=0, seed=options["seed"], users=options["users"],
                                        groups=options["groups"], settings=settings, make_directory=maker,
                                        synchronous=TEST_SYNC)
        JumpCloudServer(server, creds["api_key"], creds.get("admin")).close()
        return {"jumpcloud": {"api_key": creds["api_key"], "admin": creds.get("admin")}}

    template = _template(request, tmp_path_factory, "jumpcloud", options, build)
    server = restore_jumpcloud(template, str(tmp_path_factory.mktemp("jumpcloud")), settings=settings,
                               synchronous=TEST_SYNC, make_directory=maker)
    jc = JumpCloudServer(server, template.endpoints["jumpcloud"]["api_key"], template.endpoints["jumpcloud"]["admin"])
    yield jc
    jc.close()


@pytest.fixture
def provisioning_loop(request, tmp_path_factory):
    """JumpCloud and StrongDM wired as `sim up` wires them, first sync finished."""
    options = sim_options(request)
    maker = _directory_maker(request.config)

    def build(state_dir):
        loop = start_loop(state_dir, seed=options["seed"], users=options["users"], groups=options["groups"],
                          settings=options["settings"], make_directory=maker)
        loop.stop()
        return loop.endpoints

    template = _template(request, tmp_path_factory, "loop", options, build)
    state_dir = str(tmp_path_factory.mktemp("sim"))
    restored = restore_loop(template, state_dir, settings={**FAST_RETRIES, **options["settings"]},
                            synchronous=TEST_SYNC, make_directory=maker)
    loop = ProvisioningLoop(restored, state_dir, options, template=template.state_dir)
    yield loop
    loop.stop()
