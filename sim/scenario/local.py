"""The in-process driver: scenario steps as calls on JumpCloud's Directory, cleaned as its REST API cleans them."""

import contextlib

from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.schema import USER_SPACE
from sim.jumpcloud.directory.shapes import clean_group_input
from sim.jumpcloud.directory.shapes import clean_user_input
from sim.jumpcloud.errors import JumpCloudError
from sim.scenario.engine import DriverError

SCENARIO_ACTOR = {"type": "admin", "email": "scenario@jumpcloud-strongdm-sim"}


@contextlib.contextmanager
def _refused():
    """JumpCloud's refusal (its message and details) as the engine's DriverError."""
    try:
        yield
    except JumpCloudError as exc:
        detail = "; ".join(str(d.get("message") or d.get("field")) for d in exc.details if isinstance(d, dict))
        raise DriverError(f"JumpCloud refused it: {exc.message}" + (f" ({detail})" if detail else "")) from None


class DirectoryDriver:
    """Steps on a JumpCloud state object (`app.extensions["jumpcloud"]`) for one application's pusher.

    `hold=True` keeps the pusher stopped between waits (a wait starts it, drains the queue, stops it), so
    changes and pushes never interleave and an export's clocks read the same each run.
    """

    def __init__(self, jc, app_id: str, *, hold: bool = False, progress=None):
        self.jc = jc
        self.app_id = app_id
        self.hold = hold
        self.progress = progress

    @property
    def directory(self):
        """JumpCloud's Directory."""
        return self.jc.directory

    # -- reads ----------------------------------------------------------------------------------------

    def users(self) -> list[dict]:
        """Every systemuser, by `_id`."""
        return self.directory.list_users(q.Query(limit=-1))[1]

    def groups(self) -> list[dict]:
        """Every user group, by name."""
        return self.directory.list_groups(q.Query(limit=-1))

    def members(self, group_id: str) -> list[str]:
        """A group's member ids."""
        return self.directory.member_ids(group_id)

    def user_group_ids(self, user_id: str) -> list[str]:
        """The groups a user is in."""
        with _refused():
            return self.directory.user_group_ids(user_id)

    def find_user(self, ref: str) -> dict | None:
        """A user by username, email, employeeIdentifier or `_id`."""
        user = self.directory.find_user(username=ref) or self.directory.find_user(email=ref)
        if user is None:
            with contextlib.suppress(JumpCloudError):
                found = self.directory.list_users(q.v1_query(USER_SPACE, {"filter": f"employeeIdentifier:$eq:{ref}"}))[1]
                user = found[0] if found else None
        if user is None and len(ref) == 24:
            with contextlib.suppress(JumpCloudError):
                user = self.directory.get_user(ref)
        return user

    def find_group(self, name: str) -> dict | None:
        """A group by name (case-insensitive)."""
        return self.directory.find_group(name)

    # -- changes --------------------------------------------------------------------------------------

    def create_user(self, fields: dict) -> dict:
        """POST /api/systemusers."""
        with _refused():
            return self.directory.create_user(clean_user_input(fields, create=True), actor=SCENARIO_ACTOR)

    def update_user(self, user_id: str, fields: dict) -> dict:
        """PUT /api/systemusers/{id} (a merge)."""
        with _refused():
            return self.directory.update_user(user_id, clean_user_input(fields, create=False), actor=SCENARIO_ACTOR)

    def set_state(self, user_id: str, state: str) -> dict:
        """`/state/activate` or `/state/suspend`."""
        with _refused():
            return self.directory.set_user_state(user_id, state, actor=SCENARIO_ACTOR)

    def delete_user(self, user_id: str) -> dict:
        """DELETE /api/systemusers/{id}?cascade_manager=null (reports lose their manager)."""
        with _refused():
            return self.directory.delete_user(user_id, cascade_manager=True, actor=SCENARIO_ACTOR)

    def create_group(self, fields: dict) -> dict:
        """POST /api/v2/usergroups."""
        with _refused():
            return self.directory.create_group(clean_group_input(fields), actor=SCENARIO_ACTOR)

    def bind_group(self, group_id: str) -> None:
        """Bind a group to the application (its User Groups tab)."""
        with _refused():
            self.directory.change_binding(self.app_id, "add", "user_group", group_id, actor=SCENARIO_ACTOR)

    def rename_group(self, group: dict, name: str) -> dict:
        """PUT /api/v2/usergroups/{id} with the group's fields and the new name (PUT replaces)."""
        body = {k: v for k, v in group.items() if k in ("description", "email", "attributes")}
        with _refused():
            return self.directory.replace_group(group["id"], clean_group_input({**body, "name": name}),
                                                actor=SCENARIO_ACTOR)

    def delete_group(self, group_id: str) -> dict:
        """DELETE /api/v2/usergroups/{id}."""
        with _refused():
            return self.directory.delete_group(group_id, actor=SCENARIO_ACTOR)

    def membership(self, group_id: str, op: str, user_id: str) -> None:
        """POST /api/v2/usergroups/{id}/members `{op, type: user, id}`."""
        with _refused():
            self.directory.change_membership(group_id, op, user_id, actor=SCENARIO_ACTOR)

    def configure(self, **settings) -> dict:
        """Change Identity Management settings (same Base URL and token), then Activate again."""
        pusher = self.jc.pusher
        config = pusher.idm.get(self.app_id)
        if config is None:
            raise DriverError("Identity Management is not configured for the application")
        with _refused():
            pusher.configure(self.app_id, base_url=config["base_url"], token=config["token"],
                             group_management=config["group_management"],
                             test_user_email=config.get("test_user_email"), **settings)
            # Activate starts the worker; the engine waits right after a configure, which stops it again.
            return pusher.activate(self.app_id)

    def wait(self, timeout: float) -> dict:
        """Until the pusher is idle; with `hold`, the pusher runs only for this wait."""
        pusher = self.jc.pusher
        if self.hold:
            pusher.start()
        status = pusher.drain(self.progress, timeout=timeout)
        if self.hold:
            pusher.stop()
        return status
