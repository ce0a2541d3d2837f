"""Deterministic fixture export: run the whole loop in-process with a fixed clock and ids, write both sides as files.

Two runs with the same arguments (and the same pinned Faker) write byte-identical files: both stores use
a `FixedClock` and fixed id salts, the API key, SCIM token and backoff jitter come from the seed, the
pusher pushes with one worker so the SCIM traffic has one order, and the ephemeral loopback ports are
rewritten to `sim up`'s default ports. A scenario (sim.scenario) is played after the first sync with the pusher
running only during its waits, so its traffic keeps one order too.
"""

import datetime as dt
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from dataclasses import field
from importlib import metadata

import requests

from sim.export.folder import prepare
from sim.export.formats import FORMATS
from sim.export.formats import format_texts
from sim.export.formats import ndjson_text
from sim.export.readme import FILES
from sim.export.readme import FORMAT_FILES
from sim.export.readme import SCENARIO_FILE
from sim.export.readme import readme
from sim.scenario.engine import play
from sim.scenario.load import check as check_scenario
from sim.scenario.load import load as load_scenario
from sim.scenario.local import DirectoryDriver
from sim.scenario.observe import StrongDMView
from sim.scim.schemas import list_response
from sim.serve import ServerThread
from sim.store import FixedClock
from sim.store import Store

# Where `sim up` listens by default: exported URLs name these, whatever ports the export really used.
CANONICAL = {"jumpcloud": "http://127.0.0.1:8400", "strongdm": "http://127.0.0.1:8401"}
CLOCK_START = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
SCIM_PATH = "/provisioning/generic/v2"
PAGE = 100  # the most JumpCloud's list endpoints return at once
SYNC_TIMEOUT = 3600.0
ADMIN_PASSWORD = "export-admin-password"  # never exported; fixed so nothing random touches the stores


def secret_for(seed: int, what: str) -> str:
    """A credential derived from the seed (the export must not draw randomness, and never writes these)."""
    return hashlib.sha256(f"sim-export:{seed}:{what}".encode()).hexdigest()[:40]


def push_settings(seed: int) -> dict:
    """One worker (one request order), seeded jitter, no debounce: the pusher settings an export runs with."""
    from sim.jumpcloud.pusher.worker import PUSH_DEFAULTS

    return {**PUSH_DEFAULTS, "PUSH_WORKERS": 1, "PUSH_SEED": seed, "PUSH_DELAY": 0.0}


class Recorder:
    """Collects the pusher's SCIM exchanges in the order they happened (thread-safe)."""

    def __init__(self):
        self.exchanges: list[dict] = []
        self._lock = threading.Lock()

    def __call__(self, exchange: dict) -> None:
        with self._lock:
            self.exchanges.append(exchange)


@dataclass
class ExportLoop:
    """Both apps served on ephemeral loopback ports over stores in a scratch directory."""

    jumpcloud: ServerThread
    strongdm: ServerThread
    api_key: str
    scim_token: str
    app_id: str
    recorder: Recorder
    stores: list = field(default_factory=list)

    @property
    def jc(self):
        """The JumpCloud state object."""
        return self.jumpcloud.app.extensions["jumpcloud"]

    @property
    def sdm(self):
        """The StrongDM state object."""
        return self.strongdm.app.extensions["strongdm"]

    def stop(self) -> None:
        """Stop the pusher, both servers, then close the stores."""
        self.jc.pusher.close()
        self.jumpcloud.stop()
        self.strongdm.stop()
        for store in self.stores:
            store.close()


def _store(state_dir: str, name: str, seed: int) -> Store:
    # Durability is pointless for a scratch store; speed is not.
    return Store(os.path.join(state_dir, f"{name}.sqlite3"), clock=FixedClock(CLOCK_START),
                 id_salt=f"sim-export:{seed}:{name}", synchronous="OFF")


def start_loop(state_dir: str, *, seed: int, users: int, groups: int, edge: str = "default",
               username_style: str = "auto") -> ExportLoop:
    """Seed JumpCloud, activate StrongDM's Generic SCIM, wire and activate Identity Management as `sim up` does."""
    from sim.jumpcloud import create_app as jumpcloud_app
    from sim.jumpcloud.state import seed_if_empty
    from sim.run.up import connect_scim
    from sim.strongdm import create_app as strongdm_app

    token = secret_for(seed, "scim-token")
    sdm_store = _store(state_dir, "strongdm", seed)
    sdm_server = ServerThread(strongdm_app(sdm_store, token=token), "127.0.0.1", 0).start()
    jc_store = _store(state_dir, "jumpcloud", seed)
    recorder = Recorder()  # every SCIM client the pusher builds (connection test and pushes) is given it
    from sim.fake.directory import make_directory

    def directory(seed_, users_, groups_):
        return make_directory(seed_, users_, groups_, edge=edge, username_style=username_style)

    jc_app = jumpcloud_app(jc_store, settings=push_settings(seed), scim_recorder=recorder,
                           make_directory=directory)
    jc = jc_app.extensions["jumpcloud"]
    api_key = secret_for(seed, "jumpcloud-api-key")
    seed_if_empty(jc, seed=seed, users=users, groups=groups, api_key=api_key, admin_password=ADMIN_PASSWORD)
    jc_server = ServerThread(jc_app, "127.0.0.1", 0).start()
    loop = ExportLoop(jc_server, sdm_server, api_key, token, jc.directory.find_app("strongdm")["_id"], recorder,
                      [jc_store, sdm_store])
    try:
        connect_scim(jc_app, sdm_server.url + SCIM_PATH, token)
    except Exception:
        loop.stop()
        raise
    return loop


def wait_for_sync(loop: ExportLoop, progress=None, *, timeout: float = SYNC_TIMEOUT) -> dict:
    """Wait until the pusher is idle, calling `progress(done, total)`; then stop it so nothing moves the clocks."""
    pusher = loop.jc.pusher
    status = pusher.drain(progress, timeout=timeout)
    if not status["idle"]:
        raise TimeoutError(f"the export's sync did not finish within {timeout:g}s: {status}")
    pusher.stop()
    return status


# -- reading both sides ---------------------------------------------------------------------------------------


def _get(session: requests.Session, url: str, **params):
    response = session.get(url, params=params, timeout=60)
    response.raise_for_status()
    return response.json()


def _pages(fetch) -> list:
    """Every item of a skip/limit listing."""
    items, skip = [], 0
    while True:
        page = fetch(skip)
        items += page
        if len(page) < PAGE:
            return items
        skip += PAGE


def read_jumpcloud(loop: ExportLoop) -> dict[str, object]:
    """JumpCloud's directory as its API returns it: v1 envelopes for systemusers and applications, v2 for the rest."""
    base = loop.jumpcloud.url
    with requests.Session() as s:
        s.trust_env = False
        s.headers["x-api-key"] = loop.api_key
        users = _pages(lambda skip: _get(s, f"{base}/api/systemusers", limit=PAGE, skip=skip, sort="_id")["results"])
        apps = _pages(lambda skip: _get(s, f"{base}/api/applications", limit=PAGE, skip=skip, sort="_id")["results"])
        groups = _pages(lambda skip: _get(s, f"{base}/api/v2/usergroups", limit=PAGE, skip=skip, sort="name"))
        members = {g["id"]: _pages(lambda skip, gid=g["id"]: _get(
            s, f"{base}/api/v2/usergroups/{gid}/members", limit=PAGE, skip=skip)) for g in groups}
        associations = {loop.app_id: {target: _pages(lambda skip, t=target: _get(
            s, f"{base}/api/v2/applications/{loop.app_id}/associations", targets=t, limit=PAGE, skip=skip))
            for target in ("user", "user_group")}}
    return {
        "jumpcloud/systemusers.json": {"totalCount": len(users), "results": users},
        "jumpcloud/usergroups.json": groups,
        "jumpcloud/usergroup_members.json": members,
        "jumpcloud/applications.json": {"totalCount": len(apps), "results": apps},
        "jumpcloud/application_associations.json": associations,
    }


def _scim_list(session: requests.Session, url: str) -> dict:
    """One ListResponse holding every resource, read a page at a time (RFC 7644 §3.4.2.4)."""
    resources, start = [], 1
    while True:
        page = _get(session, url, startIndex=start, count=PAGE)
        got = page.get("Resources") or []
        resources += got
        start += len(got)
        if not got or start > page["totalResults"]:
            return list_response(resources, len(resources))


def read_strongdm(loop: ExportLoop) -> dict[str, object]:
    """What StrongDM holds: its SCIM view (ListResponses) and its own objects."""
    base = loop.strongdm.url + SCIM_PATH
    with requests.Session() as s:
        s.trust_env = False
        s.headers["Authorization"] = f"Bearer {loop.scim_token}"
        scim_users = _scim_list(s, f"{base}/Users")
        scim_groups = _scim_list(s, f"{base}/Groups")
    accounts = loop.sdm.accounts
    return {
        "strongdm/scim/Users.json": scim_users,
        "strongdm/scim/Groups.json": scim_groups,
        "strongdm/users.json": accounts.all_users(),
        "strongdm/roles.json": accounts.all_roles(),
        "strongdm/attachments.json": accounts.list_attachments(0, -1),
        "strongdm/activities.json": loop.sdm.activities.list(limit=-1, newest_first=False),
    }


# -- writing ---------------------------------------------------------------------------------------------------


def canonical_text(text: str, loop: ExportLoop) -> str:
    """Replace the ephemeral ports with `sim up`'s defaults, so URLs in the files do not depend on the run."""
    text = text.replace(loop.jumpcloud.url, CANONICAL["jumpcloud"])
    return text.replace(loop.strongdm.url, CANONICAL["strongdm"])


def json_text(doc) -> str:
    """Sorted keys, two-space indent, UTF-8 as is, one trailing newline."""
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def counts(files: dict[str, object], exchanges: int) -> dict[str, int]:
    """How many records each exported collection holds (for the output's README and the CLI)."""
    return {
        "jumpcloud users": files["jumpcloud/systemusers.json"]["totalCount"],
        "jumpcloud user groups": len(files["jumpcloud/usergroups.json"]),
        "jumpcloud memberships": sum(len(m) for m in files["jumpcloud/usergroup_members.json"].values()),
        "strongdm users": len(files["strongdm/users.json"]),
        "strongdm roles": len(files["strongdm/roles.json"]),
        "strongdm attachments": len(files["strongdm/attachments.json"]),
        "strongdm activities": len(files["strongdm/activities.json"]),
        "scim exchanges": exchanges,
    }


def write_files(out: str, texts: dict[str, str]) -> list[str]:
    """Write each file (LF line ends, UTF-8); returns the paths written, relative to `out`."""
    for rel, text in texts.items():
        path = os.path.join(out, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return sorted(texts)


OWNED = frozenset([name for name, _ in FILES] + [name for name, _, _ in FORMAT_FILES] + ["README.md", SCENARIO_FILE])


def play_scenario(loop: ExportLoop, source: str, say=None) -> dict:
    """Play a scenario (built-in name or file) after the first sync; the pusher runs only in its waits."""
    driver = DirectoryDriver(loop.jc, loop.app_id, hold=True)
    view = StrongDMView(loop.strongdm.url + SCIM_PATH, loop.scim_token)
    first = len(loop.recorder.exchanges)

    def lines() -> dict:  # which lines of exchanges.jsonl a segment sent (1-based, inclusive)
        nonlocal first
        last, start = len(loop.recorder.exchanges), first + 1
        first = last
        return {"exchanges": {"first": start, "last": last}}

    try:
        scenario = load_scenario(source, driver)
        segments = play(scenario, driver, observers=(view, lines), progress=say)
    finally:
        view.close()
    return {"scenario": scenario.to_dict(), "segments": segments}


def export(out: str, *, seed: int = 42, users: int = 50, groups: int = 8, progress=None, edge: str = "default",
           username_style: str = "auto", formats: tuple[str, ...] = ("json",), clean: bool = False,
           scenario: str | None = None, say=None) -> dict:
    """Run the loop in-process and write the fixture set to `out`; returns {"files", "counts", "status"}.

    `out` must be empty, or `clean` removes an earlier export's files first (`FolderNotEmpty` otherwise).
    `scenario` (a built-in name or a JSON/YAML file) is played after the first sync; `say(line)` hears its steps.
    """
    formats = tuple(dict.fromkeys(formats))  # repeated --format is one format
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}: choose from {', '.join(FORMATS)}")
    if scenario is not None:
        check_scenario(scenario)  # a bad file fails before anything is generated
    prepare(out, OWNED.__contains__, clean=clean)
    with tempfile.TemporaryDirectory(prefix="sim-export-") as scratch:
        loop = start_loop(scratch, seed=seed, users=users, groups=groups, edge=edge, username_style=username_style)
        try:
            status = wait_for_sync(loop, progress)
            played = None if scenario is None else play_scenario(loop, scenario, say)
            docs = {**read_jumpcloud(loop), **read_strongdm(loop)}
            texts = {rel: canonical_text(json_text(doc), loop) for rel, doc in docs.items()}
            texts["exchanges.jsonl"] = canonical_text(ndjson_text(loop.recorder.exchanges), loop)
            if played is not None:
                texts[SCENARIO_FILE] = canonical_text(json_text(played), loop)
            domain = admin_domain(seed)
            texts.update({rel: canonical_text(text, loop) for rel, text in format_texts(formats, docs, domain).items()})
        finally:
            loop.stop()
    summary = counts(docs, len(loop.recorder.exchanges))
    texts["README.md"] = readme(seed=seed, users=users, groups=groups, counts=summary,
                                faker=metadata.version("faker"), edge=edge, username_style=username_style,
                                formats=formats, scenario=scenario, played=played)
    return {"files": write_files(out, texts), "counts": summary, "status": status}


def admin_domain(seed: int) -> str:
    """The company's mail domain (the directory's, from the same seed)."""
    from sim.fake.directory import admin_identity

    return admin_identity(seed)["email"].partition("@")[2]
