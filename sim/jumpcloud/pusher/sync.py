"""Push one queued user or group to one application: desired state vs. what was pushed, then SCIM calls.

Who is pushed: users bound to the app (directly or through a bound group) and ACTIVATED; STAGED
users are skipped. With group management on: bound groups, never created empty, whose members are
the group's users that are pushed and active. Every request is a Directory Insights-style event; a
failure is recorded and raised (the worker decides retry or park). Sources: JumpCloud's "User
Provisioning with SCIM and HRIS" guide (TheJumpCloud/jumpcloud-docs-public,
`docs/new/guides/user-provisioning-with-scim-and-hris/index.html`) and the "Group Management
Considerations" of its connector articles (https://jumpcloud.com/wp-json/wp/v2/support/85119).
"""

import logging
from dataclasses import dataclass

from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.pusher import mapping
from sim.jumpcloud.pusher import orphans
from sim.jumpcloud.pusher.client import ScimClient
from sim.jumpcloud.pusher.client import ScimClientError
from sim.jumpcloud.pusher.client import member_ids
from sim.jumpcloud.pusher.queue import SyncState

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    """One active application while a batch is pushed."""

    app_id: str
    name: str
    config: dict
    client: ScimClient

    @property
    def patch_mode(self) -> bool:
        """Per-attribute PATCH instead of the default full PUT."""
        return self.config.get("update_method") == "PATCH"


class SyncEngine:
    """Pushes over the directory's tables and the pusher's records."""

    def __init__(self, store, directory, insights, state: SyncState, *, member_chunk: int = 1000):
        self.store = store
        self.directory = directory
        self.insights = insights
        self.state = state
        self.member_chunk = member_chunk

    def push(self, ctx: AppContext, item: dict) -> None:
        """Push one queue item; removes it from the queue on success, raises ScimClientError on failure."""
        if item["kind"] == "user":
            self.push_user(ctx, item)
        else:
            self.push_group(ctx, item)

    # -- reads ---------------------------------------------------------------------------------------

    def _user(self, user_id: str) -> dict | None:
        try:
            return self.directory.get_user(user_id)
        except JumpCloudError:
            return None

    def _group(self, group_id: str) -> dict | None:
        try:
            return self.directory.get_group(group_id)
        except JumpCloudError:
            return None

    # -- events --------------------------------------------------------------------------------------

    def _event(self, db, ctx: AppContext, event_type: str, resource: dict, method: str, path: str, status,
               error: ScimClientError | None = None, **extra) -> None:
        fields = {
            "success": error is None,
            "resource": resource,
            "application": {"id": ctx.app_id, "type": "application", "name": ctx.name},
            "provisioning": {"method": method, "path": path, "status": status, **extra},
        }
        if error is not None:
            fields["error"] = {"status": error.status, "detail": error.detail, "body": error.body}
            fields["message"] = str(error)
        if db is None:
            self.insights.record_event("directory", event_type, **fields)
        else:
            self.insights.write(db, "directory", event_type, **fields)

    def _call(self, ctx: AppContext, event_type: str, resource: dict, method: str, path: str, fn):
        """Run one request; a failure is logged as a failed event and re-raised."""
        try:
            return fn()
        except ScimClientError as exc:
            self._event(None, ctx, event_type, resource, method, path, exc.status, exc)
            raise

    def _finish(self, item: dict) -> None:
        with self.store.write() as db:
            self.state.done(db, item)

    def _revisit_groups(self, db, ctx: AppContext, user_id: str) -> None:
        """A user's active state changed: its managed groups' membership must follow."""
        if ctx.config.get("group_management"):
            # Managed groups the user is recorded in, plus bound JumpCloud groups the user belongs to.
            groups = set(self.state.recorded_groups(db, ctx.app_id, user_id))
            groups.update(self.directory.bound_groups_of_user(ctx.app_id, user_id))
            self.state.enqueue(db, [(ctx.app_id, "group", g) for g in sorted(groups)])

    # -- users ---------------------------------------------------------------------------------------

    def push_user(self, ctx: AppContext, item: dict) -> None:
        """Create, take over, update, deactivate, reactivate or delete one user."""
        user_id, force = item["object_id"], bool(item["force"])
        user = self._user(user_id)
        record = self.state.user(ctx.app_id, user_id)
        want = (user is not None and user.get("state") == "ACTIVATED"
                and self.directory.is_user_bound(ctx.app_id, user_id))
        if want:
            self._provision(ctx, item, user, record, force)
        elif record is None:
            question = self.state.unresolved(ctx.app_id, user_id)
            if question is None:
                self._finish(item)  # never pushed: STAGED, unbound or failing users are skipped
            else:
                self._settle(ctx, item, user, question)
        elif user is None and ctx.config.get("delete_mode") == "delete":
            self._delete_user(ctx, item, record)
        elif record["active"] or force:
            self._deprovision(ctx, item, user, record)
        else:
            self._finish(item)

    def _provision(self, ctx: AppContext, item: dict, user: dict, record: dict | None, force: bool) -> None:
        payload = mapping.user_resource(user)
        digest = mapping.payload_hash(payload)
        resource = {"id": user["_id"], "type": "systemuser", "username": user.get("username"), "email": user["email"]}
        if record and record["active"] and record["hash"] == digest and not force:
            self._finish(item)
            return
        event, status = "user_update_provision", None
        if record is not None:
            try:
                status = self._update(ctx, resource, record["scim_id"], record["payload"], payload, event)
                scim_id = record["scim_id"]
            except ScimClientError as exc:
                if exc.status != 404:
                    raise
                with self.store.write() as db:  # the SP lost the user: look it up and create it again
                    self.state.forget_user(db, ctx.app_id, user["_id"])
                record = None
        if record is None:
            # A lookup precedes every create (Custom SCIM article, "SCIM DI User Events"); its failure is
            # `user_lookup_provision`.
            found = self._call(ctx, "user_lookup_provision", resource, "GET", "/Users",
                               lambda: ctx.client.find_users(user["email"]))
            if found:  # take over the existing SP user
                scim_id = found[0]["id"]
                status = self._update(ctx, resource, scim_id, None, payload, event)
            else:
                event = "user_create_provision"
                try:
                    status, created = self._call(ctx, event, resource, "POST", "/Users",
                                                 lambda: ctx.client.create_user(payload))
                    scim_id = created["id"]
                except ScimClientError as exc:
                    # 409: created meanwhile, e.g. by our own earlier POST whose response was lost. Take it over.
                    found = self._call(ctx, "user_lookup_provision", resource, "GET", "/Users",
                                       lambda: ctx.client.find_users(user["email"])) if exc.status == 409 else None
                    if not found:
                        with self.store.write() as db:
                            if orphans.outcome_unknown(exc):  # an open question until a push or a lookup settles it
                                self.state.maybe_created(db, ctx.app_id, user["_id"], payload["userName"], payload)
                            else:  # the lookup found nobody and this POST was refused: nothing was created
                                self.state.forget_unresolved(db, ctx.app_id, user["_id"])
                        raise
                    event, scim_id = "user_update_provision", found[0]["id"]
                    status = self._update(ctx, resource, scim_id, None, payload, event)
        was_active = bool(record and record["active"])
        with self.store.write() as db:
            self.state.save_user(db, ctx.app_id, user["_id"], scim_id, True, digest, payload)
            method = "POST" if event == "user_create_provision" else ("PATCH" if ctx.patch_mode else "PUT")
            self._event(db, ctx, event, resource, method, "/Users" if method == "POST" else "/Users/{id}", status,
                        scim_id=scim_id)
            if not was_active:
                self._revisit_groups(db, ctx, user["_id"])
            self.state.done(db, item)

    def _settle(self, ctx: AppContext, item: dict, user: dict | None, question: dict) -> None:
        """A maybe-created user that must not exist or be active: find the account and deprovision it, or close."""
        user_id = item["object_id"]
        resource = {"id": user_id, "type": "systemuser", "username": (user or {}).get("username"),
                    "email": question["user_name"]}
        found = self._call(ctx, "user_lookup_provision", resource, "GET", "/Users",
                           lambda: orphans.find_account(ctx.client, question["user_name"], user_id))
        if found is None:
            with self.store.write() as db:
                self.state.forget_unresolved(db, ctx.app_id, user_id)
                self.state.done(db, item)
            return
        payload = question["payload"] or orphans.base_payload(found)
        record = {"scim_id": found["id"], "active": True, "payload": payload}
        with self.store.write() as db:  # recorded first: a failed deprovision retries as any other would
            self.state.save_user(db, ctx.app_id, user_id, found["id"], True, mapping.payload_hash(payload), payload)
        if user is None and ctx.config.get("delete_mode") == "delete":
            self._delete_user(ctx, item, record)
        else:
            self._deprovision(ctx, item, user, record)

    def _update(self, ctx: AppContext, resource: dict, scim_id: str, before: dict | None, after: dict,
                event: str) -> int:
        """Full PUT (default, ShiftControl-io/scim-v2-rust captures) or one PATCH op per changed attribute (Paul-E)."""
        if ctx.patch_mode:
            ops = mapping.user_operations(before, after) or mapping.user_operations(None, after)
            return self._call(ctx, event, resource, "PATCH", "/Users/{id}", lambda: ctx.client.patch_user(scim_id, ops))
        body = {**after, "id": scim_id}
        return self._call(ctx, event, resource, "PUT", "/Users/{id}", lambda: ctx.client.replace_user(scim_id, body))

    def _deprovision(self, ctx: AppContext, item: dict, user: dict | None, record: dict) -> None:
        """`active: false` by the update method (unbind, suspension, deletion in deactivate mode)."""
        base = mapping.user_resource(user) if user else record["payload"]
        body = mapping.deactivated(base)
        user_id = item["object_id"]
        resource = {"id": user_id, "type": "systemuser", "username": (user or {}).get("username"),
                    "email": body.get("userName")}
        scim_id = record["scim_id"]
        try:
            if ctx.patch_mode:
                # Attribute changes coalesced with the deactivation go in the same PATCH, so the record stays true.
                ops = mapping.user_operations(record["payload"], body) or mapping.active_operations(False)
                status = self._call(ctx, "user_deprovision", resource, "PATCH", "/Users/{id}",
                                    lambda: ctx.client.patch_user(scim_id, ops))
            else:
                full = {**body, "id": scim_id}
                status = self._call(ctx, "user_deprovision", resource, "PUT", "/Users/{id}",
                                    lambda: ctx.client.replace_user(scim_id, full))
        except ScimClientError as exc:
            if exc.status != 404:
                raise
            with self.store.write() as db:  # already gone from the SP: nothing left to deactivate
                self._revisit_groups(db, ctx, user_id)
                self.state.forget_user(db, ctx.app_id, user_id)
                self.state.done(db, item)
            return
        with self.store.write() as db:
            self.state.save_user(db, ctx.app_id, user_id, scim_id, False, mapping.payload_hash(body), body)
            self._event(db, ctx, "user_deprovision", resource, "PATCH" if ctx.patch_mode else "PUT", "/Users/{id}",
                        status, scim_id=scim_id)
            self._revisit_groups(db, ctx, user_id)
            self.state.done(db, item)

    def _delete_user(self, ctx: AppContext, item: dict, record: dict) -> None:
        """DELETE /Users/{id} for a deleted JumpCloud user, when the app is set to delete (404 counts as done)."""
        user_id, scim_id = item["object_id"], record["scim_id"]
        resource = {"id": user_id, "type": "systemuser", "email": record["payload"].get("userName")}
        # The SP dropped the user's memberships with it; managed groups need no PATCH for it.
        self._delete(ctx, item, "user_delete_provision", resource, "/Users/{id}", scim_id,
                     lambda: ctx.client.delete_user(scim_id),
                     lambda db: self.state.forget_user(db, ctx.app_id, user_id))

    def _delete(self, ctx: AppContext, item: dict, event: str, resource: dict, path: str, scim_id: str,
                send, forget) -> None:
        """A DELETE where 404 counts as done; the event, `forget(db)` and the queue row commit together."""
        try:
            status = self._call(ctx, event, resource, "DELETE", path, send)
        except ScimClientError as exc:
            if exc.status != 404:
                raise
            status = 404
        with self.store.write() as db:
            if status != 404:
                self._event(db, ctx, event, resource, "DELETE", path, status, scim_id=scim_id)
            forget(db)
            self.state.done(db, item)

    # -- groups --------------------------------------------------------------------------------------

    def push_group(self, ctx: AppContext, item: dict, *, retried: bool = False) -> None:
        """Take over or create a bound non-empty group, rename it, sync its members; DELETE it when deleted."""
        group_id, force = item["object_id"], bool(item["force"])
        if not ctx.config.get("group_management"):
            self._finish(item)
            return
        group = self._group(group_id)
        record = self.state.group(ctx.app_id, group_id)
        if group is None:
            self._delete_group(ctx, item, record)
            return
        if not self.directory.is_group_bound(ctx.app_id, group_id):
            # Unbinding stops syncing and leaves the group as-is in the app ("Group Management Considerations").
            with self.store.write() as db:
                if record:
                    self.state.forget_group(db, ctx.app_id, group_id)
                self.state.done(db, item)
            return
        resource = {"id": group_id, "type": "user_group", "name": group["name"]}
        with self.store.snapshot():  # the members and the push records, as of one moment (as one join was)
            desired = self.state.active_scim_ids(ctx.app_id, self.directory.member_ids(group_id))
        try:
            if record is None:
                if not desired:  # empty groups are not created
                    self._finish(item)
                    return
                scim_id, current = self._adopt_or_create(ctx, resource, group)
            else:
                scim_id = record["scim_id"]
                if record["display_name"] != group["name"]:
                    ops = mapping.rename_operations(group["name"])
                    status = self._call(ctx, "group_update_provision", resource, "PATCH", "/Groups/{id}",
                                        lambda: ctx.client.patch_group(scim_id, ops))
                    with self.store.write() as db:
                        self.state.save_group(db, ctx.app_id, group_id, scim_id, group["name"])
                        self._event(db, ctx, "group_update_provision", resource, "PATCH", "/Groups/{id}", status,
                                    scim_id=scim_id, renamed_from=record["display_name"])
                if force:  # a reconcile compares with what the SP holds, not with what we think we sent
                    doc = self._call(ctx, "group_update_provision", resource, "GET", "/Groups/{id}",
                                     lambda: ctx.client.get_group(scim_id))
                    current = {s: desired.get(s) for s in member_ids(doc)}
                    stale = [s for s in self.state.members(ctx.app_id, group_id) if s not in current]
                    with self.store.write() as db:
                        self.state.set_members(db, ctx.app_id, group_id, current, stale)
                else:
                    current = self.state.members(ctx.app_id, group_id)
            self._sync_members(ctx, resource, scim_id, desired, current)
        except ScimClientError as exc:
            if exc.status != 404 or record is None or retried:
                raise
            with self.store.write() as db:  # the SP lost the group: take over or create it again
                self.state.forget_group(db, ctx.app_id, group_id)
            self.push_group(ctx, item, retried=True)
            return
        self._finish(item)

    def _adopt_or_create(self, ctx: AppContext, resource: dict, group: dict, *, retried: bool = False) -> tuple[str, dict]:
        """Take over an SP group of the same displayName ("Group Management Considerations"), else POST one."""
        name = group["name"]
        found = self._call(ctx, "group_create_provision", resource, "GET", "/Groups",
                           lambda: ctx.client.find_groups(name))
        if found:
            scim_id = found[0]["id"]
            doc = found[0] if "members" in found[0] else self._call(
                ctx, "group_create_provision", resource, "GET", "/Groups/{id}", lambda: ctx.client.get_group(scim_id))
            current = {s: None for s in member_ids(doc)}
            with self.store.write() as db:
                self.state.save_group(db, ctx.app_id, group["id"], scim_id, name)
                self.state.set_members(db, ctx.app_id, group["id"], current, [])
            return scim_id, current
        body = mapping.group_resource(name)
        try:
            status, created = self._call(ctx, "group_create_provision", resource, "POST", "/Groups",
                                         lambda: ctx.client.create_group(body))
        except ScimClientError as exc:
            if exc.status != 409 or retried:
                raise
            return self._adopt_or_create(ctx, resource, group, retried=True)  # created meanwhile: take it over
        scim_id = created["id"]
        current = {s: None for s in member_ids(created)}
        with self.store.write() as db:
            self.state.save_group(db, ctx.app_id, group["id"], scim_id, name)
            self.state.set_members(db, ctx.app_id, group["id"], current, [])
            self._event(db, ctx, "group_create_provision", resource, "POST", "/Groups", status, scim_id=scim_id)
        return scim_id, current

    def _sync_members(self, ctx: AppContext, resource: dict, scim_id: str, desired: dict, current: dict) -> None:
        """PATCH add/remove `members` in chunks until the SP group holds exactly the desired users."""
        add = sorted(s for s in desired if s not in current)
        remove = sorted(s for s in current if s not in desired)
        chunk = self.member_chunk
        batches = [(add[i:i + chunk], []) for i in range(0, len(add), chunk)]
        batches += [([], remove[i:i + chunk]) for i in range(0, len(remove), chunk)]
        for added, removed in batches:
            ops = mapping.member_operations(added, removed)
            status = self._call(ctx, "group_update_provision", resource, "PATCH", "/Groups/{id}",
                                lambda ops=ops: ctx.client.patch_group(scim_id, ops))
            with self.store.write() as db:
                self.state.set_members(db, ctx.app_id, resource["id"], {s: desired[s] for s in added}, removed)
                self._event(db, ctx, "group_update_provision", resource, "PATCH", "/Groups/{id}", status,
                            scim_id=scim_id, members_added=len(added), members_removed=len(removed))

    def _delete_group(self, ctx: AppContext, item: dict, record: dict | None) -> None:
        """A deleted JumpCloud group: DELETE the managed SP group (404 counts as done)."""
        if record is None:
            self._finish(item)
            return
        resource = {"id": item["object_id"], "type": "user_group", "name": record["display_name"]}
        self._delete(ctx, item, "group_delete_provision", resource, "/Groups/{id}", record["scim_id"],
                     lambda: ctx.client.delete_group(record["scim_id"]),
                     lambda db: self.state.forget_group(db, ctx.app_id, item["object_id"]))
