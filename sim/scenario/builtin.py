"""The built-in scenarios, written for the directory they will run on (people and groups picked from it).

`joiners-movers-leavers` is every change the pusher turns into SCIM traffic: hires (lookup, POST, group
member adds), a rename with a new email and a department transfer with group moves (PUT), a manager
change, then Identity Management switched to per-attribute PATCH and deletes that DELETE, a promotion
(PATCH), a suspension and a reactivation (PATCH `active` false, then true), a leaver (DELETE), a group
created, renamed (PATCH `displayName`) and deleted (DELETE), and a member removed (PATCH remove).
The picks are deterministic: the same directory gives the same steps.
"""

from sim.fake.people import ascii_fold
from sim.scenario.steps import Scenario
from sim.scenario.steps import ScenarioError
from sim.scenario.steps import parse_scenario

JML = "joiners-movers-leavers"
MIN_USERS = 12
HIRES = (("Amara", "Okafor"), ("Mateo", "Rossi"))
MARRIED_NAME = "Lindqvist"


def _username(style_dotted: bool, first: str, last: str) -> str:
    a, b = ascii_fold(first), ascii_fold(last)
    return f"{a}.{b}" if style_dotted else f"{a[:1]}{b}"


def _free(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate, n = f"{name}{n}", n + 1
    taken.add(candidate.lower())
    return candidate


def joiners_movers_leavers(driver) -> Scenario:
    """The built-in timeline for the directory behind `driver` (needs 12 active users and 3 department groups)."""
    users = sorted(driver.users(), key=lambda u: (u.get("employeeIdentifier") or "~", u["_id"]))
    groups = {g["name"]: g for g in driver.groups()}
    members = {name: set(driver.members(g["id"])) for name, g in groups.items()}
    managers = {u.get("manager") for u in users if u.get("manager")}
    departments = sorted({u.get("department") for u in users if u.get("department") in groups and members[u["department"]]},
                         key=lambda d: (-len(members[d]), d))
    active = [u for u in users[1:] if u.get("state") == "ACTIVATED" and u["_id"] not in managers]
    if len(active) < MIN_USERS or len(departments) < 3:
        raise ScenarioError(f"{JML} needs a directory with at least {MIN_USERS} active users who manage nobody "
                            f"and 3 non-empty department groups; this one has {len(active)} and {len(departments)}")
    big, other, third = departments[0], departments[1], departments[-1]
    renamed = departments[2] if len(departments) > 3 else None
    by_id = {u["_id"]: u for u in users}
    heads = {d: next((u for u in users if u.get("department") == d and u["_id"] in managers), None) for d in departments}
    dotted = "." in users[0]["username"]
    domain = users[0]["email"].rpartition("@")[2]
    taken_names = {u["username"].lower() for u in users}
    taken_emails = {u["email"].lower() for u in users}
    picked: set[str] = set()

    def pick(test=lambda u: True) -> dict:
        user = next((u for u in active if u["_id"] not in picked and test(u)), None)
        if user is None:
            raise ScenarioError(f"{JML}: the directory has too few active users to pick from")
        picked.add(user["_id"])
        return user

    def title_in(dept: str) -> str | None:
        return next((u.get("jobTitle") for u in active if u.get("department") == dept and u.get("jobTitle")), None)

    numbers = [int(u["employeeIdentifier"][1:]) for u in users
               if str(u.get("employeeIdentifier") or "")[:1] == "E" and u["employeeIdentifier"][1:].isdigit()]
    steps: list[dict] = []
    for k, ((first, last), dept) in enumerate(zip(HIRES, (big, other), strict=True), 1):
        username = _free(_username(dotted, first, last), taken_names)
        hire = {"do": "hire", "username": username, "email": _free(f"{username}@{domain}", taken_emails),
                "firstname": first, "lastname": last, "department": dept, "employeeType": "Full-time",
                "employeeIdentifier": f"E{max(numbers, default=0) + k:06d}",
                "groups": [g for g in ("All Staff", dept) if g in groups], "note": "a joiner"}
        if title_in(dept):
            hire["jobTitle"] = title_in(dept)
        lead = heads[dept]
        if lead:  # the new colleague sits in the team lead's office and cost centre
            hire["manager"] = lead["username"]
            hire.update({k_: lead[k_] for k_ in ("location", "company", "costCenter") if lead.get(k_)})
        steps.append(hire)
    bride = pick(lambda u: u["_id"] in members[big])
    new_email = _free(_username(dotted, bride.get("firstname") or bride["username"], MARRIED_NAME) + f"@{domain}",
                      taken_emails)
    steps.append({"do": "rename", "user": bride["username"], "lastname": MARRIED_NAME, "email": new_email,
                  "note": "a new family name and email"})
    mover = pick(lambda u: u["_id"] in members[big])
    move = {"do": "transfer", "user": mover["username"], "department": other,
            "note": "a mover: the department groups follow"}
    if title_in(other):
        move["jobTitle"] = title_in(other)
    if heads[other]:
        move["manager"] = heads[other]["username"]
    steps.append(move)
    reporting = pick(lambda u: u.get("manager") in by_id)
    new_manager = next(u for u in users if u["_id"] in managers and u["_id"] != reporting["manager"]
                       and u["_id"] != reporting["_id"])
    steps.append({"do": "manager", "user": reporting["username"], "manager": new_manager["username"],
                  "note": "JumpCloud's SCIM mapping sends no manager: nothing on the wire"})
    steps.append({"wait": "converged"})
    steps.append({"do": "configure", "update_method": "PATCH", "delete_mode": "delete",
                  "note": "per-attribute PATCH, and deleted users are DELETEd"})
    promoted = pick(lambda u: u.get("jobTitle"))
    title = promoted["jobTitle"]
    steps.append({"do": "update", "user": promoted["username"],
                  "fields": {"jobTitle": f"Senior {title}" if not title.startswith("Senior ") else f"Lead {title[7:]}"},
                  "note": "a promotion"})
    absent = pick()
    steps.append({"do": "suspend", "user": absent["username"], "note": "on leave"})
    steps.append({"wait": "converged"})
    steps.append({"do": "reactivate", "user": absent["username"], "note": "back from leave"})
    leaver = pick()
    steps.append({"do": "delete", "user": leaver["username"], "note": "a leaver"})
    crew = [steps[0]["username"], pick()["username"], pick()["username"]]
    steps.append({"do": "create-group", "name": _free("Incident Response", {n.lower() for n in groups}),
                  "description": "On-call responders", "members": crew})
    steps.append({"wait": "converged"})
    steps.append({"do": "remove-member", "group": steps[-2]["name"], "user": crew[1], "note": "left the rota"})
    if renamed:
        steps.append({"do": "rename-group", "group": renamed, "name": f"{renamed} Team"})
    steps.append({"do": "delete-group", "group": third, "note": "a team dissolved"})
    steps.append({"wait": "converged"})
    return parse_scenario({"name": JML, "description": "hires, a rename, a transfer, a manager change, a promotion, "
                           "suspend and reactivate, a leaver, group create, rename, delete and a member removed",
                           "steps": steps})


BUILTINS = {JML: joiners_movers_leavers}
