"""The README.md written beside an export: what each file holds, and how it was made."""

FILES = (
    ("jumpcloud/systemusers.json", "JumpCloud API v1 `GET /api/systemusers`: the `{totalCount, results}` envelope, "
     "every systemuser (sorted by `_id`)."),
    ("jumpcloud/usergroups.json", "JumpCloud API v2 `GET /api/v2/usergroups`: a bare array of user groups (by name)."),
    ("jumpcloud/usergroup_members.json", "Group id -> JumpCloud API v2 `GET /api/v2/usergroups/{id}/members`: "
     "the members of each group as GraphConnections."),
    ("jumpcloud/applications.json", "JumpCloud API v1 `GET /api/applications`: the SSO applications (v1 envelope)."),
    ("jumpcloud/application_associations.json", "Application id -> target type (`user`, `user_group`) -> JumpCloud "
     "API v2 `GET /api/v2/applications/{id}/associations?targets=…`: what is bound to the StrongDM application."),
    ("strongdm/scim/Users.json", "StrongDM's SCIM view of its users after the sync: one RFC 7644 ListResponse "
     "(`GET /provisioning/generic/v2/Users`, every page)."),
    ("strongdm/scim/Groups.json", "StrongDM's SCIM view of its roles: one ListResponse of Groups."),
    ("strongdm/users.json", "StrongDM users (`a-…`) as the simulator stores them: email, names, `external_id`, "
     "`managed_by`, suspension, SCIM attributes, timestamps."),
    ("strongdm/roles.json", "StrongDM roles (`r-…`): one per pushed JumpCloud user group (the pusher does not "
     "create a group with no members)."),
    ("strongdm/attachments.json", "Account attachments (`aa-…`): which user is in which role."),
    ("strongdm/activities.json", "StrongDM's audit log, oldest first, in the log-stream JSON shape "
     "(`user added`, `role added`, `user added to role`, …)."),
    ("exchanges.jsonl", "Every SCIM request JumpCloud's Identity Management sent, in order, one JSON object per "
     "line: `method`, `path` (relative to the SCIM base URL, query included), `headers` (never `Authorization`), "
     "`body`, `status` and `response_body`. The first lines are the Activate connection test."),
)


SCENARIO_FILE = "scenario.json"
SCENARIO_TEXT = ("`--scenario`: the steps played after the first sync (`scenario`, as a scenario file writes them) "
                 "and one segment per wait (`segments`): what each step did in JumpCloud, what reached StrongDM "
                 "(its SCIM view before and after, diffed) and which lines of `exchanges.jsonl` it sent.")

FORMAT_FILES = (
    ("jumpcloud/systemusers.csv", "csv", "`--format csv`: the systemusers in JumpCloud's user-import CSV columns "
     "(`manager` as a username)."),
    ("jumpcloud/directory.ldif", "ldif", "`--format ldif`: users as inetOrgPerson (RFC 2798) under `ou=Users`, groups as "
     "groupOfNames under `ou=Groups`, non-ASCII values base64 (RFC 2849)."),
    ("strongdm/scim/Users.ndjson", "scim", "`--format scim`: StrongDM's SCIM Users, one resource per line."),
    ("strongdm/scim/Groups.ndjson", "scim", "`--format scim`: StrongDM's SCIM Groups, one resource per line."),
)


def command(*, seed: int, users: int, groups: int, edge: str = "default", username_style: str = "auto",
            formats: tuple[str, ...] = ("json",), scenario: str | None = None) -> str:
    """The `sim export` command line that makes this export (default options left out)."""
    parts = [f"sim export --seed {seed} --users {users} --groups {groups}"]
    if edge != "default":
        parts.append(f"--edge {edge}")
    if username_style != "auto":
        parts.append(f"--username-style {username_style}")
    parts += [f"--format {f}" for f in formats if f != "json"]
    if scenario is not None:
        parts.append(f"--scenario {scenario}")
    return " ".join(parts)


def _segments(played: dict) -> list[str]:
    """The scenario's steps, segment by segment, with what reached StrongDM."""
    lines = ["", f"## Scenario `{played['scenario']['name']}`", "",
             "| Steps | What JumpCloud did | `exchanges.jsonl` lines | What reached StrongDM |",
             "| --- | --- | --- | --- |"]
    for segment in played["segments"]:
        steps = ", ".join(str(s["step"]) for s in segment["steps"]) or "(wait)"
        did = "; ".join(s["did"] for s in segment["steps"]) or "nothing (a wait)"
        span = segment.get("exchanges") or {}
        sent = f"{span['first']}–{span['last']}" if span and span["last"] >= span["first"] else "none"
        changes = segment.get("strongdm", {}).get("changes", {})
        seen = "; ".join(f"{k.replace('_', ' ')}: {', '.join(v)}" for k, v in changes.items() if v) or "no change"
        lines.append(f"| {steps} | {did.replace('|', '/')} | {sent} | {seen.replace('|', '/')} |")
    return lines


def readme(*, seed: int, users: int, groups: int, counts: dict[str, int], faker: str, edge: str = "default",
           username_style: str = "auto", formats: tuple[str, ...] = ("json",), scenario: str | None = None,
           played: dict | None = None) -> str:
    """Markdown describing an export made with these arguments and this Faker version."""
    made = command(seed=seed, users=users, groups=groups, edge=edge, username_style=username_style, formats=formats,
                   scenario=scenario)
    extra = [(name, text) for name, fmt, text in FORMAT_FILES if fmt in formats]
    if played is not None:
        extra.append((SCENARIO_FILE, SCENARIO_TEXT))
    lines = [
        "# jumpcloud-strongdm-sim export",
        "",
        f"Made by `{made}`: a generated JumpCloud directory,",
        "every user group bound to the StrongDM application, Identity Management activated against the mock",
        "StrongDM's Generic SCIM receiver, and one full sync over real HTTP on loopback"
        + (", then the scenario below, its waits for the pusher included." if played is not None else "."),
        "",
        f"Generated with Faker {faker}: a seed gives the same directory only with the same Faker version.",
        "",
        "Clocks are fixed (both start at 2026-01-01T09:00:00Z and move one second per reading) and ids come",
        "from fixed salts, so the same arguments give byte-identical files. URLs name `sim up`'s default",
        "ports (JumpCloud 8400, StrongDM 8401), not the ephemeral ports the export used. No file holds a",
        "secret: no API key, SCIM token or password.",
        "",
        "| File | Contents |",
        "| --- | --- |",
    ]
    lines += [f"| `{name}` | {text} |" for name, text in (*FILES, *extra)]
    lines += ["", "## Counts", "", "| What | How many |", "| --- | --- |"]
    lines += [f"| {what} | {n} |" for what, n in counts.items()]
    if played is not None:
        lines += _segments(played)
    lines += ["", "All JSON files have sorted keys, two-space indentation and a trailing newline.", ""]
    return "\n".join(lines)
