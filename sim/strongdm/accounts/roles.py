"""StrongDM roles (`r-…`) and their account attachments (`aa-…`), with the audit log's role verbs."""

from sim.strongdm.accounts.sets import ROLES
from sim.strongdm.accounts.sets import Journal
from sim.strongdm.accounts.sets import MemberSet
from sim.strongdm.activities import Activities
from sim.strongdm.activities import role_entity
from sim.strongdm.activities import user_entity


class RoleJournal(Journal):
    """Role changes as audit activities, with the SDK's ActivityVerb strings (`role added`, `user added to role`, …)."""

    def __init__(self, activities: Activities):
        self.activities = activities

    def created(self, db, item: dict, actor) -> None:
        self.activities.record(db, "role added", f"Added role {item['name']}.", [role_entity(item)], actor)

    def updated(self, db, before: dict, item: dict, actor) -> None:
        if item["name"] != before["name"]:
            self.activities.record(db, "role updated", f"Renamed role {before['name']} to {item['name']}.",
                                   [role_entity(item)], actor)

    def deleted(self, db, item: dict, links: list[dict], actor) -> None:
        self.activities.record(db, "role deleted", f"Deleted role {item['name']}.", [role_entity(item)], actor)

    def linked(self, db, user: dict, item: dict, link_id: str, actor) -> None:
        self.activities.record(db, "user added to role", f"Added {user['email']} to role {item['name']}.",
                               [user_entity(user), role_entity(item)], actor)

    def unlinked(self, db, user: dict | None, item: dict, link_id: str, actor) -> None:
        if user is not None:
            self.activities.record(db, "user deleted from role", f"Removed {user['email']} from role {item['name']}.",
                                   [user_entity(user), role_entity(item)], actor)


class RoleTable:
    """The Accounts mixin for roles: `self.role_set` does the work; these are the names callers use."""

    role_set: MemberSet

    def init_roles(self, activities: Activities) -> None:
        """Build the role set (call once the users mixin can answer `users_by_ids`)."""
        self.role_set = MemberSet(self.store, ROLES, RoleJournal(activities), self.users_by_ids)

    def get_role(self, role_id: str) -> dict:
        """Return a role or raise StrongDM's 404."""
        return self.role_set.get(role_id)

    def find_role(self, role_id: str) -> dict | None:
        """Return a role or None."""
        return self.role_set.find(role_id)

    def find_role_by_name(self, name: str) -> dict | None:
        """Look a role up by name, ignoring case."""
        return self.role_set.find_by_name(name)

    def count_roles(self) -> int:
        """How many roles the org has."""
        return self.role_set.count()

    def list_roles(self, offset: int = 0, limit: int = 100) -> list[dict]:
        """Roles in creation order, a page at a time."""
        return self.role_set.page(offset, limit)

    def all_roles(self) -> list[dict]:
        """Every role, in creation order."""
        return self.role_set.every()

    def role_rows(self) -> list[tuple[int, dict]]:
        """Every role as (seq, doc): the insertion sequence is the SDK API's keyset order."""
        return self.role_set.rows()

    def create_role(self, role: dict, member_ids: list[str], *, labels: dict | None = None,
                    actor: dict | None = None) -> dict:
        """Insert a role and attach its members; a taken name is a 409."""
        return self.role_set.create(role, member_ids, labels=labels, actor=actor)

    def update_role(self, role: dict, member_ids: list[str] | None = None, *, labels: dict | None = None,
                    actor: dict | None = None) -> dict:
        """Rename or re-describe a role, and optionally set its members to exactly `member_ids`."""
        return self.role_set.update(role, member_ids, labels=labels, actor=actor)

    def delete_role(self, role_id: str, *, actor: dict | None = None) -> dict:
        """Delete a role and its attachments."""
        return self.role_set.delete(role_id, actor=actor)

    def member_ids(self, role_id: str) -> list[str]:
        """Account ids attached to a role, in attachment order."""
        return self.role_set.member_ids(role_id)

    def members(self, role_id: str, *, offset: int = 0, limit: int = -1) -> list[tuple[dict, str | None, str | None]]:
        """(user, display, type) for each account attached to a role, in attachment order (a page if `limit`)."""
        return self.role_set.members(role_id, offset=offset, limit=limit)

    def count_members(self, role_id: str) -> int:
        """How many accounts are attached to a role."""
        return self.role_set.count_members(role_id)

    def roles_of(self, account_id: str) -> list[dict]:
        """Roles a user is attached to."""
        return self.role_set.sets_of(account_id)

    def list_attachments(self, offset: int = 0, limit: int = 100) -> list[dict]:
        """Account attachments `{id, account_id, role_id}`."""
        return self.role_set.links(offset, limit)

    def attachment_rows(self) -> list[tuple[int, dict]]:
        """Every attachment as (seq, {id, account_id, role_id}), in attachment order."""
        return self.role_set.link_rows()

    def find_attachment(self, attachment_id: str = "", account_id: str = "", role_id: str = "") -> dict | None:
        """One attachment `{id, account_id, role_id}` by id, or by (account, role); None when there is none."""
        return self.role_set.find_link(attachment_id, account_id, role_id)

    def count_attachments(self) -> int:
        """How many account attachments exist."""
        return self.role_set.count_links()

    def add_members(self, role_id: str, account_ids: list[str], *, actor: dict | None = None) -> list[str]:
        """Attach accounts to a role; returns the ids newly attached."""
        return self.role_set.add_members(role_id, account_ids, actor=actor)

    def remove_members(self, role_id: str, account_ids: list[str], *, actor: dict | None = None) -> list[str]:
        """Detach accounts from a role; returns the ids actually detached."""
        return self.role_set.remove_members(role_id, account_ids, actor=actor)

    def set_member_labels(self, role_id: str, labels: dict[str, tuple]) -> int:
        """Remember the `display` and `type` a client sent for members (echoed back); returns rows changed."""
        return self.role_set.set_member_labels(role_id, labels)
