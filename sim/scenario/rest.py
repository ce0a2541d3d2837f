"""The REST driver: scenario steps as JumpCloud API calls (`x-api-key`) against a running `sim up` (or any JumpCloud).

The same calls a script would make: v1 `/api/systemusers` for users, v2 `/api/v2/usergroups` for groups and
members, v2 application associations for bindings; `/_sim/idle` waits for the pusher and
`PUT /_sim/identity-management/{app}` changes its settings (the simulator's own endpoints).
"""

import time

import requests

from sim.scenario.engine import DriverError

PAGE = 100  # the most JumpCloud's list endpoints return at once
TIMEOUT = 60
IDLE_POLL = 30.0  # seconds one /_sim/idle call may wait (the endpoint allows 300)


class RestDriver:
    """Steps over JumpCloud's REST API at `url` (the site root, `/api` below it) for application `app_id`."""

    def __init__(self, url: str, api_key: str, app_id: str, *, session: requests.Session | None = None):
        self.url = url.rstrip("/")
        self.app_id = app_id
        self.session = session or requests.Session()
        self.session.trust_env = False  # loopback: never through a proxy from the environment
        self.session.headers["x-api-key"] = api_key

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()

    def _call(self, method: str, path: str, *, ok=(200, 201, 204), **kw):
        try:
            response = self.session.request(method, self.url + path, timeout=TIMEOUT, **kw)
        except requests.RequestException as exc:
            raise DriverError(f"cannot reach JumpCloud at {self.url} ({type(exc).__name__}): is `sim up` running?") from None
        if response.status_code not in ok:
            try:
                body = response.json()
            except ValueError:
                body = {}
            message = body.get("message") if isinstance(body, dict) else None
            details = "; ".join(str(d.get("message") or d.get("field")) for d in (body.get("details") or [])
                                if isinstance(d, dict)) if isinstance(body, dict) else ""
            raise DriverError(f"JumpCloud refused {method} {path.split('?')[0]}: HTTP {response.status_code}"
                              + (f" {message}" if message else "") + (f" ({details})" if details else ""))
        return response.json() if response.content else None

    def _pages(self, path: str, key: str | None = None, **params) -> list:
        items, skip = [], 0
        while True:
            page = self._call("GET", path, params={**params, "limit": PAGE, "skip": skip})
            page = page[key] if key else page
            items += page
            if len(page) < PAGE:
                return items
            skip += PAGE

    # -- reads ----------------------------------------------------------------------------------------

    def users(self) -> list[dict]:
        """Every systemuser, by `_id`."""
        return self._pages("/api/systemusers", "results", sort="_id")

    def groups(self) -> list[dict]:
        """Every user group, by name."""
        return self._pages("/api/v2/usergroups")

    def members(self, group_id: str) -> list[str]:
        """A group's member ids."""
        return [m["to"]["id"] for m in self._pages(f"/api/v2/usergroups/{group_id}/members")]

    def user_group_ids(self, user_id: str) -> list[str]:
        """The groups a user is in."""
        return [g["id"] for g in self._pages(f"/api/v2/users/{user_id}/memberof")]

    def find_user(self, ref: str) -> dict | None:
        """A user by username, email, employeeIdentifier or `_id`."""
        for name in ("username", "email", "employeeIdentifier"):
            found = self._call("GET", "/api/systemusers", params={"filter": f"{name}:$eq:{ref}", "limit": 1})
            if found["results"]:
                return found["results"][0]
        if len(ref) == 24 and all(c in "0123456789abcdef" for c in ref):
            try:
                return self._call("GET", f"/api/systemusers/{ref}")
            except DriverError:
                return None
        return None

    def find_group(self, name: str) -> dict | None:
        """A group by name."""
        found = self._call("GET", "/api/v2/usergroups", params={"filter": f"name:eq:{name}", "limit": 1})
        return found[0] if found else None

    # -- changes --------------------------------------------------------------------------------------

    def create_user(self, fields: dict) -> dict:
        """POST /api/systemusers."""
        return self._call("POST", "/api/systemusers", json=fields)

    def update_user(self, user_id: str, fields: dict) -> dict:
        """PUT /api/systemusers/{id} (a merge)."""
        return self._call("PUT", f"/api/systemusers/{user_id}", json=fields)

    def set_state(self, user_id: str, state: str) -> dict:
        """`/state/activate` or `/state/suspend`."""
        verb = "suspend" if state == "SUSPENDED" else "activate"
        return self._call("POST", f"/api/systemusers/{user_id}/state/{verb}", json={})

    def delete_user(self, user_id: str) -> dict:
        """DELETE /api/systemusers/{id}?cascade_manager=null."""
        return self._call("DELETE", f"/api/systemusers/{user_id}", params={"cascade_manager": "null"})

    def create_group(self, fields: dict) -> dict:
        """POST /api/v2/usergroups."""
        return self._call("POST", "/api/v2/usergroups", json=fields)

    def bind_group(self, group_id: str) -> None:
        """POST /api/v2/applications/{id}/associations `{op: add, type: user_group}`."""
        self._call("POST", f"/api/v2/applications/{self.app_id}/associations",
                   json={"op": "add", "type": "user_group", "id": group_id})

    def rename_group(self, group: dict, name: str) -> dict:
        """PUT /api/v2/usergroups/{id} with the group's fields and the new name (PUT replaces)."""
        body = {k: v for k, v in group.items() if k in ("description", "email", "attributes") and v is not None}
        return self._call("PUT", f"/api/v2/usergroups/{group['id']}", json={**body, "name": name})

    def delete_group(self, group_id: str) -> None:
        """DELETE /api/v2/usergroups/{id}."""
        self._call("DELETE", f"/api/v2/usergroups/{group_id}")

    def membership(self, group_id: str, op: str, user_id: str) -> None:
        """POST /api/v2/usergroups/{id}/members `{op, type: user, id}`."""
        self._call("POST", f"/api/v2/usergroups/{group_id}/members", json={"op": op, "type": "user", "id": user_id})

    def configure(self, **settings) -> dict:
        """PUT /_sim/identity-management/{app}: new settings, then Activate again (the connection test runs)."""
        return self._call("PUT", f"/_sim/identity-management/{self.app_id}", json=settings)

    def wait(self, timeout: float) -> dict:
        """Poll `/_sim/idle` until the pusher is idle or `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        while True:
            left = max(0.0, deadline - time.monotonic())
            status = self._call("GET", "/_sim/idle", params={"timeout": f"{min(IDLE_POLL, left):.1f}"})
            if status.get("idle") or time.monotonic() >= deadline:
                return status
