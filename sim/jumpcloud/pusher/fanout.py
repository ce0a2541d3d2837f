"""Which queue items one directory change (an outbox row) calls for, in each active application."""


def affected(change: dict, configs: list[dict], member_ids) -> list[tuple[str, str, str]]:
    """Queue items (app_id, kind, JumpCloud id) one outbox row calls for in each active app.

    `member_ids(group_id)` lists a group's members (the directory's `member_ids`).
    """
    kind, object_id, action, detail = change["object_type"], change["object_id"], change["action"], change["detail"]
    out = []
    for config in configs:
        app, groups_on = config["app_id"], bool(config.get("group_management"))
        if kind == "user":
            out.append((app, "user", object_id))
        elif kind == "membership":
            out.append((app, "user", detail["user_id"]))
            if groups_on:
                out.append((app, "group", object_id))
        elif kind == "user_group" and action in ("update", "delete"):
            if groups_on:
                out.append((app, "group", object_id))
            out += [(app, "user", u) for u in detail.get("members", [])]  # a deleted group may unbind them
        elif kind == "association" and object_id == app:
            target = detail["target_id"]
            if detail["target_type"] == "user":
                out.append((app, "user", target))
            else:
                if groups_on:
                    out.append((app, "group", target))
                out += [(app, "user", u) for u in member_ids(target)]
    return out
