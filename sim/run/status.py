"""`sim status` and `sim reset`: summarise a state dir (counts, wiring, pushes) and clear it. Never shows a secret."""

import contextlib
import glob
import os
import re
import sqlite3

from sim.jumpcloud import state as jumpcloud_state
from sim.run import runner
from sim.run.state.lock import StateDirBusy
from sim.run.state.lock import StateLock
from sim.run.state.lock import describe
from sim.run.state.lock import holder
from sim.store import integrity_problem

# What each StrongDM org model means, as `sim status` says it (sim/strongdm/org.py ORG_MODELS).
ORG_MODEL_WORDS = {"groups": "groups (SCIM Groups are StrongDM Groups; roles are granted to groups)",
                   "roles": "roles (a legacy org: SCIM Groups are roles)"}
STATE_PATTERNS = ("*.sqlite3", "*.sqlite3-wal", "*.sqlite3-shm", "endpoints.json", "endpoints.env", "sim.log",
                  "classroom.json")
SEAT_DIR = re.compile(r"seat-\d{2,}")  # the seats of `sim classroom`, each a state dir (sim.classroom.seats.seat_dir)


def seat_dirs(state_dir: str) -> list[str]:
    """The seat folders of a classroom's state dir (seat-01, ...), [] for any other state dir."""
    try:
        names = os.listdir(state_dir)
    except OSError:
        return []
    return sorted(os.path.join(state_dir, n) for n in names
                  if SEAT_DIR.fullmatch(n) and os.path.isdir(os.path.join(state_dir, n)))


def own_state_files(state_dir: str) -> list[str]:
    """The state files directly in `state_dir`: the SQLite state, endpoints.json/.env, sim.log, classroom.json."""
    found = []
    for pattern in STATE_PATTERNS:
        found += glob.glob(os.path.join(glob.escape(state_dir), pattern))
    return sorted(found)


def state_files(state_dir: str) -> list[str]:
    """The files `sim reset` removes: the state dir's own, and its classroom seats' (nothing else in them)."""
    return own_state_files(state_dir) + [path for seat in seat_dirs(state_dir) for path in own_state_files(seat)]


def reset_state(state_dir: str) -> list[str]:
    """Delete the state files of a state dir (not its seats'); returns their paths. Stop `sim up` first."""
    removed = []
    for path in own_state_files(state_dir):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            removed.append(path)
    return removed


def refuse_if_busy(state_dir: str) -> None:
    """Raise StateDirBusy, naming the holder, while a `sim up` or `sim classroom` holds the state dir or a seat."""
    for folder in [state_dir, *seat_dirs(state_dir)]:
        held_by = holder(folder)
        if held_by is not None:  # deleting a running sandbox's files leaves its consoles on unlinked files
            raise StateDirBusy(f"{folder} is in use by {describe(held_by)}")


def reset_locked(state_dir: str) -> list[str]:
    """`sim reset`: delete the state files of the state dir and of its classroom seats, holding every one's lock
    (StateDirBusy, and nothing deleted, if anyone holds one); a seat folder left empty goes too."""
    seats = seat_dirs(state_dir)
    locks: list[StateLock] = []
    try:
        for folder in [state_dir, *seats]:
            locks.append(StateLock(folder, "sim reset").acquire())
        removed = [path for folder in [state_dir, *seats] for path in reset_state(folder)]
    finally:
        for lock in locks:
            lock.release()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock.path)
    for seat in seats:
        with contextlib.suppress(OSError):  # not empty: the trainer kept something of their own there
            os.rmdir(seat)
    return removed


@contextlib.contextmanager
def _open(path: str):
    """A connection to an existing database (mode=rw: never creates one); None when the file is missing."""
    if not os.path.exists(path):
        yield None
        return
    db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=30)
    db.execute("PRAGMA busy_timeout=30000")
    try:
        yield db
    finally:
        db.close()


def checked_summary(path: str, summarize_db) -> dict | None:
    """`summarize_db(db)` of a state file after an integrity check, or None when there is none.

    A corrupt file (not a database, or damaged pages) gives `{"path", "corrupt": reason}` and no counts; a sound
    one gives the counts with `corrupt: None`.
    """
    with _open(path) as db:
        if db is None:
            return None
        problem = integrity_problem(db)
        if problem is None:
            try:
                return {**summarize_db(db), "path": path, "corrupt": None}
            except sqlite3.DatabaseError as error:  # damage the quick check does not see (an index's contents)
                problem = str(error)
        return {"path": path, "corrupt": problem}


def jumpcloud_summary(path: str) -> dict | None:
    """Counts, wiring and queue of a JumpCloud state file, or None when there is none (JumpCloud's own summary)."""
    return checked_summary(path, jumpcloud_state.summary)


def strongdm_summary(path: str) -> dict | None:
    """Counts and SCIM activation of a StrongDM state file, or None when there is none."""
    from sim.strongdm import state as strongdm_state

    return checked_summary(path, strongdm_state.summary)


def summarize(state_dir: str) -> dict:
    """Everything `sim status` prints, as a dict (no API key, token or password: only whether one is set)."""
    endpoints = runner.read_endpoints(state_dir)
    jc, sdm = endpoints.get("jumpcloud") or {}, endpoints.get("strongdm") or {}
    return {
        "state_dir": state_dir,
        "exists": os.path.isdir(state_dir),
        "jumpcloud": jumpcloud_summary(os.path.join(state_dir, "jumpcloud.sqlite3")),
        "strongdm": strongdm_summary(os.path.join(state_dir, "strongdm.sqlite3")),
        "endpoints": {"jumpcloud_url": jc.get("url"), "strongdm_url": sdm.get("url"),
                      "scim_base_url": sdm.get("scim_base_url"), "app_id": jc.get("app_id")},
    }


def _n(value) -> str:
    return "-" if value is None else str(value)


def corrupt_line(label: str, side: dict) -> str:
    """What `sim status` prints for a state file that failed its integrity check."""
    return (f"{label} CORRUPT: {side['path']} failed SQLite's integrity check ({side['corrupt']}); restore it from "
            "a backup or start over with `sim up --fresh`")


def format_summary(summary: dict) -> str:
    """The summary as the aligned text `sim status` prints."""
    lines = [f"State dir   {summary['state_dir']}"]
    jc, sdm, ends = summary["jumpcloud"], summary["strongdm"], summary["endpoints"]
    if jc is None and sdm is None:
        lines.append("            no state here (sim up creates it)")
        return "\n".join(lines)
    if jc is None:
        lines.append("JumpCloud   no state")
    elif jc["corrupt"]:
        lines.append(corrupt_line("JumpCloud  ", jc))
    else:
        lines.append(f"JumpCloud   {_n(jc['users'])} users, {_n(jc['user_groups'])} user groups, "
                     f"{_n(jc['memberships'])} memberships, {_n(jc['applications'])} applications, "
                     f"{_n(jc['api_keys'])} API keys")
        if ends["jumpcloud_url"]:
            lines.append(f"            last served at {ends['jumpcloud_url']}")
        for w in jc["identity_management"]:
            lines.append(f"Wiring      {w['app'] or w['app_id']} ({w['app_id']}) -> {w['base_url']}  [{w['status']}]"
                         f"  group management {'on' if w['group_management'] else 'off'}"
                         f"  token {'set' if w['token_set'] else 'missing'}")
            if w["last_error"]:
                lines.append(f"            last error: {w['last_error']}")
        if not jc["identity_management"]:
            lines.append("Wiring      Identity Management not configured")
        lines.append(f"Pushes      {_n(jc['pending'])} pending, {_n(jc['failing'])} failing "
                     f"({_n(jc['parked'])} parked until the object changes)")
        if jc.get("unresolved"):
            n = jc["unresolved"]
            lines.append(f"            {n} create{'s' if n != 1 else ''} of unknown outcome: the pusher looks "
                         f"{'them' if n != 1 else 'it'} up before it says idle")
        for item in jc["failing_items"]:
            lines.append(f"            {item['type']} {item['id']}: {_n(item['status'])} {item['error']} "
                         f"({item['attempts']} attempts{', parked' if item['parked'] else ''})")
    if sdm is None:
        lines.append("StrongDM    no state")
    elif sdm["corrupt"]:
        lines.append(corrupt_line("StrongDM   ", sdm))
    else:
        groups = (f"{_n(sdm['groups'])} groups ({_n(sdm['account_groups'])} memberships, "
                  f"{_n(sdm['group_roles'])} role grants), " if sdm.get("org_model") == "groups" else "")
        lines.append(f"StrongDM    {_n(sdm['users'])} users ({_n(sdm['scim_managed_users'])} SCIM-managed, "
                     f"{_n(sdm['suspended_users'])} suspended), {groups}{_n(sdm['roles'])} roles, "
                     f"{_n(sdm['attachments'])} attachments, {_n(sdm['activities'])} activities")
        lines.append(f"            {_n(sdm.get('services'))} service accounts, {_n(sdm.get('tokens'))} tokens")
        lines.append(f"Org model   {ORG_MODEL_WORDS.get(sdm.get('org_model'), 'not recorded yet')}")
        provider = sdm["scim_provider"]
        lines.append(f"            SCIM {provider + ' provider, token set' if provider else 'not activated'}"
                     + (f" at {ends['scim_base_url']}" if provider and ends["scim_base_url"] else ""))
    return "\n".join(lines)
