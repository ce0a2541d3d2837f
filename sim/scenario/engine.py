"""Play a scenario through a driver: one step vocabulary, whatever reaches JumpCloud's directory.

A driver (`sim.scenario.local.DirectoryDriver` in-process, `sim.scenario.rest.RestDriver` over JumpCloud's
REST API) makes the changes; the engine turns each step into those calls, so both drivers mean the
same by a step. After every `wait`, every `configure` (which re-activates Identity Management, and
JumpCloud then syncs everything again) and at the end, the engine waits for the pusher and asks each
observer what reached StrongDM; a report is one segment per wait.
"""

from sim.scenario.steps import WAIT_TIMEOUT
from sim.scenario.steps import Scenario
from sim.scenario.steps import ScenarioError
from sim.scenario.steps import Step


class DriverError(Exception):
    """A change JumpCloud refused (its error message), or a reference that names nothing."""


def _user(driver, step: Step, name: str = "user") -> dict:
    ref = step.fields[name]
    user = driver.find_user(ref)
    if user is None:
        raise DriverError(f"{name}: no JumpCloud user {ref!r} (a username, email, employeeIdentifier or _id)")
    return user


def _group(driver, ref: str, name: str = "group") -> dict:
    group = driver.find_group(ref)
    if group is None:
        raise DriverError(f"{name}: no JumpCloud user group named {ref!r}")
    return group


def _manager_id(driver, ref: str | None) -> str | None:
    if ref is None:
        return None
    manager = driver.find_user(ref)
    if manager is None:
        raise DriverError(f"manager: no JumpCloud user {ref!r} (a username, email, employeeIdentifier or _id)")
    return manager["_id"]


def _join(driver, group: dict, user: dict, op: str = "add") -> None:
    driver.membership(group["id"], op, user["_id"])


def _hire(driver, step: Step) -> str:
    f = dict(step.fields)
    groups = [_group(driver, name, "groups") for name in f.pop("groups", [])]
    if "manager" in f:
        f["manager"] = _manager_id(driver, f["manager"])
    if "displayname" not in f and (f.get("firstname") or f.get("lastname")):
        f["displayname"] = " ".join(p for p in (f.get("firstname"), f.get("lastname")) if p)
    user = driver.create_user(f)
    for group in groups:
        _join(driver, group, user)
    return f"hired {user['username']} ({user['email']})" + (
        f", in {', '.join(g['name'] for g in groups)}" if groups else "")


def _rename(driver, step: Step) -> str:
    user = _user(driver, step)
    f = {k: v for k, v in step.fields.items() if k != "user"}
    if "displayname" not in f and ("firstname" in f or "lastname" in f):
        # The console's edit form keeps the display name in step with the name; a script would too.
        first = f.get("firstname", user.get("firstname") or "")
        f["displayname"] = f"{first} {f.get('lastname', user.get('lastname') or '')}".strip()
    after = driver.update_user(user["_id"], f)
    return f"renamed {user['username']}: " + ", ".join(f"{k} {user.get(k)!r} -> {after.get(k)!r}" for k in sorted(f))


def _transfer(driver, step: Step) -> str:
    user = _user(driver, step)
    old, new = user.get("department") or "", step.fields["department"]
    f = {"department": new}
    if "jobTitle" in step.fields:
        f["jobTitle"] = step.fields["jobTitle"]
    if "manager" in step.fields:
        f["manager"] = _manager_id(driver, step.fields["manager"])
    moves = step.fields.get("groups")
    if moves is None:  # the department groups follow the department, where they exist
        moves = {"remove": [old] if old and driver.find_group(old) else [],
                 "add": [new] if driver.find_group(new) else []}
    remove = [_group(driver, n, "groups.remove") for n in moves.get("remove", [])]
    add = [_group(driver, n, "groups.add") for n in moves.get("add", [])]
    driver.update_user(user["_id"], f)
    member_of = set(driver.user_group_ids(user["_id"]))
    for group in remove:
        if group["id"] in member_of:
            _join(driver, group, user, "remove")
    for group in add:
        if group["id"] not in member_of:
            _join(driver, group, user)
    return (f"moved {user['username']} from {old or '(no department)'} to {new}"
            + "".join(f"; left {g['name']}" for g in remove) + "".join(f"; joined {g['name']}" for g in add))


def _manager(driver, step: Step) -> str:
    user = _user(driver, step)
    driver.update_user(user["_id"], {"manager": _manager_id(driver, step.fields["manager"])})
    return f"{user['username']} now reports to {step.fields['manager'] or 'nobody'}"


def _update(driver, step: Step) -> str:
    user = _user(driver, step)
    driver.update_user(user["_id"], dict(step.fields["fields"]))
    return f"updated {user['username']}: {', '.join(sorted(step.fields['fields']))}"


def _state(state: str, verb: str):
    def apply(driver, step: Step) -> str:
        user = _user(driver, step)
        driver.set_state(user["_id"], state)
        return f"{verb} {user['username']}"
    return apply


def _delete(driver, step: Step) -> str:
    user = _user(driver, step)
    driver.delete_user(user["_id"])
    return f"deleted {user['username']}"


def _create_group(driver, step: Step) -> str:
    f = step.fields
    members = [driver.find_user(ref) or _missing_member(ref) for ref in f.get("members", [])]
    group = driver.create_group({"name": f["name"], **({"description": f["description"]} if "description" in f else {})})
    if f.get("bind", True):
        driver.bind_group(group["id"])
    for user in members:
        _join(driver, group, user)
    return f"created group {group['name']} with {len(members)} members" + ("" if f.get("bind", True) else " (not bound)")


def _missing_member(ref: str):
    raise DriverError(f"members: no JumpCloud user {ref!r} (a username, email, employeeIdentifier or _id)")


def _rename_group(driver, step: Step) -> str:
    group = _group(driver, step.fields["group"])
    driver.rename_group(group, step.fields["name"])
    return f"renamed group {group['name']} to {step.fields['name']}"


def _delete_group(driver, step: Step) -> str:
    group = _group(driver, step.fields["group"])
    driver.delete_group(group["id"])
    return f"deleted group {group['name']}"


def _member(op: str):
    def apply(driver, step: Step) -> str:
        group, user = _group(driver, step.fields["group"]), _user(driver, step)
        _join(driver, group, user, op)
        return f"{'added' if op == 'add' else 'removed'} {user['username']} {'to' if op == 'add' else 'from'} {group['name']}"
    return apply


def _configure(driver, step: Step) -> str:
    driver.configure(**step.fields)
    return "Identity Management " + ", ".join(f"{k} = {v}" for k, v in sorted(step.fields.items())) + ", activated again"


APPLY = {
    "hire": _hire, "update": _update, "rename": _rename, "transfer": _transfer, "manager": _manager,
    "suspend": _state("SUSPENDED", "suspended"), "reactivate": _state("ACTIVATED", "reactivated"),
    "delete": _delete, "create-group": _create_group, "rename-group": _rename_group,
    "delete-group": _delete_group, "add-member": _member("add"), "remove-member": _member("remove"),
    "configure": _configure,
}


def play(scenario: Scenario, driver, *, observers=(), progress=None, each: bool = False) -> list[dict]:
    """Run every step; returns one segment per wait: `{"steps", "converged", ...what each observer saw}`.

    `progress(text)` gets a line per step and per wait. `each` waits after every step too, so every
    segment is one step. A step JumpCloud refuses stops the run with a ScenarioError naming it (the
    segments so far are on the error as `.segments`).
    """
    say = progress or (lambda text: None)
    segments: list[dict] = []
    done: list[dict] = []
    total = len(scenario.steps)

    def settle(timeout: float, why: str) -> None:
        say(f"  waiting for the pusher ({why})")
        try:
            status = driver.wait(timeout)
        except DriverError as exc:
            raise ScenarioError(f"waiting for the pusher ({why}): {exc}") from None
        if not status.get("idle"):
            raise ScenarioError(f"the pusher did not converge within {timeout:g}s: {status}")
        segment = {"steps": list(done), "converged": True}
        failing = [{k: f.get(k) for k in ("type", "id", "status", "error")} for f in status.get("failing") or []]
        if failing:  # parked pushes (a 4xx the pusher will not retry until the object changes) do not block idle
            segment["failing"] = failing
        for observe in observers:
            segment.update(observe())
        segments.append(segment)
        say("  reached StrongDM: " + summary(segment))
        if failing:
            say(f"  still failing: {len(failing)} pushes; the first: {failing[0]['type']} {failing[0]['id']}: "
                f"HTTP {failing[0]['status']} {failing[0]['error']}")
        done.clear()

    try:
        for step in scenario.steps:
            if step.kind == "wait":
                settle(float(step.fields.get("timeout", WAIT_TIMEOUT)), f"{step.label()}")
                continue
            try:
                did = APPLY[step.kind](driver, step)
            except DriverError as exc:
                raise ScenarioError(f"{step.label()}: {exc}") from None
            say(f"[{step.number}/{total}] {step.kind}: {did}")
            done.append({"step": step.number, "do": step.kind, "did": did, **({"note": step.note} if step.note else {})})
            if step.kind == "configure":
                settle(WAIT_TIMEOUT, "the sync after activation")
            elif each:
                settle(WAIT_TIMEOUT, f"after {step.label()}")
        if done:
            settle(WAIT_TIMEOUT, "end of the scenario")
    except ScenarioError as exc:
        exc.segments = segments
        raise
    return segments


def summary(segment: dict) -> str:
    """One line of what a segment's observers saw."""
    seen = segment.get("strongdm")
    if not seen:
        return "(not observed)"
    parts = [f"{len(v)} {k.replace('_', ' ')}" for k, v in seen["changes"].items() if v]
    totals = seen["totals"]
    return (", ".join(parts) or "no change") + (
        f" (now {totals['users']} users, {totals['active']} active, {totals['groups']} groups)")
