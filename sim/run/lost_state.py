"""`sim up` with a StrongDM state that a lost JumpCloud state left behind (issue #15, item 7).

When `jumpcloud.sqlite3` is deleted or emptied, `sim up` seeds a new directory while StrongDM keeps every
SCIM-managed account of the old one. Those accounts name, in `externalId`, JumpCloud users this JumpCloud
never had and never pushed, so nothing would ever deprovision them. `sim up` stops and names the choices:
`--fresh` (discard both states), `--orphans adopt` (keep them: users with the same email are taken over
by the first sync, the others stay as they are) or `--orphans suspend` (suspend them in StrongDM first).
"""

from sim.jumpcloud.errors import JumpCloudError

CHOICES = ("stop", "adopt", "suspend")
ACTOR = {"type": "system", "name": "sim up --orphans suspend"}


class LostStateError(RuntimeError):
    """StrongDM holds active SCIM-managed accounts this JumpCloud never knew."""


def unknown_accounts(sdm, jc, app_id: str | None) -> list[dict]:
    """Active SCIM-managed StrongDM users whose externalId is neither a JumpCloud user nor a pushed one."""
    pushed = set(jc.pusher.state.user_ids(app_id)) if app_id else set()
    out = []
    for user in sdm.accounts.all_users():
        external = user.get("external_id")
        if not user.get("managed_by") or user.get("suspended") or not external or external in pushed:
            continue
        try:
            jc.directory.get_user(external)
        except JumpCloudError:
            out.append(user)
    return out


def check(sdm, jc, app_id: str | None, choice: str) -> str | None:
    """Apply `choice` to the unknown accounts; raises LostStateError for "stop"; returns a note, if any."""
    if choice == "adopt":
        return None
    found = unknown_accounts(sdm, jc, app_id)
    if not found:
        return None
    if choice == "suspend":
        for user in found:
            sdm.accounts.update_user({**user, "suspended": True}, actor=ACTOR)
        return f"suspended {len(found)} SCIM-managed StrongDM accounts this JumpCloud never knew (--orphans suspend)"
    example = found[0]["email"]
    raise LostStateError(
        f"StrongDM holds {len(found)} active SCIM-managed accounts (e.g. {example}) whose externalId is no user "
        "of this JumpCloud: its state was lost or replaced. Choose: --fresh (discard both states), "
        "--orphans adopt (keep them; the first sync takes over users with the same email) or "
        "--orphans suspend (suspend them in StrongDM first).")
