"""Where a seat is in JumpCloud's StrongDM provisioning guide, read from what the products record.

JumpCloud's Directory Insights (`application_create`, `application_update`, `association_change`,
`integration_activate`) and StrongDM's activities (`SCIM token created`, `user added`) give each step its time;
the last failed `integration_activate` says where a trainee is stuck (its message is what Activate showed).
"""

STEPS = (
    ("app_added", "StrongDM app added"),
    ("general_info", "General Info saved"),
    ("bookmark", "Bookmark activated"),
    ("scim_activated", "SCIM activated in StrongDM"),
    ("idm_activated", "Identity Management activated"),
    ("groups_bound", "Groups bound"),
    ("users_arrived", "Users arrived in StrongDM"),
)
EVENT_LIMIT = 20_000  # Directory Insights events read per seat: a 50-user sync writes a few hundred


def _first(found: dict, key: str, at: str) -> None:
    if key not in found or at < found[key]:
        found[key] = at


def jumpcloud_steps(jc) -> tuple[dict, str | None, str | None]:
    """({step: time}, the last Activate error or None, the app's test-user email) from JumpCloud's records."""
    app = jc.directory.find_app("strongdm")
    if app is None:
        return {}, None, None
    found = {"app_added": app["created"]}
    last_error = None
    for event in jc.insights.query(service=("directory",), start_time=app["created"], limit=EVENT_LIMIT):
        resource = event.get("resource") or {}
        if resource.get("id") != app["_id"]:
            continue
        kind = event["event_type"]
        changed = {c.get("field") for c in event.get("changes") or []}
        if kind == "application_update" and changed & {"displayLabel", "description"}:
            _first(found, "general_info", event["timestamp"])
        elif kind == "application_update" and "bookmark" in changed and (app.get("bookmark") or {}).get("active"):
            _first(found, "bookmark", event["timestamp"])
        elif kind == "association_change":
            connection = (event.get("association") or {}).get("connection") or {}
            if (event["association"].get("op") == "add" and (connection.get("to") or {}).get("type") == "user_group"):
                _first(found, "groups_bound", event["timestamp"])
        elif kind == "integration_activate":
            if event.get("success"):
                _first(found, "idm_activated", event["timestamp"])
                last_error = None
            else:
                last_error = event.get("message") or "Activate failed"
    config = jc.pusher.idm.public(app["_id"]) or {}
    return found, last_error, config.get("test_user_email")


def strongdm_steps(sdm, test_user_email: str | None) -> dict:
    """{step: time} from StrongDM's activities: SCIM activated, and the first pushed user (not the test user)."""
    found = {}
    created = sdm.activities.list(verb="SCIM token created", limit=1, newest_first=False)
    if created:
        found["scim_activated"] = created[0]["timestamp"]
    for activity in sdm.activities.list(verb="user added", limit=EVENT_LIMIT, newest_first=False):
        entity = (activity.get("entities") or [{}])[0]
        if entity.get("externalId") and entity.get("email", "").lower() != (test_user_email or "").lower():
            found["users_arrived"] = activity["timestamp"]
            break
    return found


def guide_progress(jc, sdm) -> dict:
    """`{"steps": [{"key", "label", "at"}], "done": n, "last_error"}`: `at` is None for a step not done yet."""
    jc_found, last_error, test_email = jumpcloud_steps(jc)
    found = {**jc_found, **strongdm_steps(sdm, test_email)}
    steps = [{"key": key, "label": label, "at": found.get(key)} for key, label in STEPS]
    return {"steps": steps, "done": sum(1 for s in steps if s["at"]), "last_error": last_error}
