"""StrongDM's accounts: users and service accounts (`a-…`), roles (`r-…`) with attachments, and groups (`group-…`) with their members
and granted roles. Each table has one owner in this package (users, sets, groups); `Accounts` composes them."""

import sqlite3

from sim.store import Store
from sim.strongdm.accounts import groups as groups_table
from sim.strongdm.accounts import services as services_table
from sim.strongdm.accounts import sets as sets_table
from sim.strongdm.accounts import users as users_table
from sim.strongdm.accounts.groups import GroupTable
from sim.strongdm.accounts.roles import RoleTable
from sim.strongdm.accounts.services import ServiceTable
from sim.strongdm.accounts.users import UserTable
from sim.strongdm.activities import Activities

# Which sim.scim.names rule the key columns were computed with; another value (or none) means recompute.
KEY_RULE_META, KEY_RULE = "accounts.key_rule", "lower"


class Accounts(UserTable, ServiceTable, RoleTable, GroupTable):
    """Users, roles, groups and their links, with the audit log (or group history) written in the same transaction."""

    def __init__(self, store: Store, activities: Activities):
        self.store = store
        self.activities = activities
        store.schema(users_table.DDL)
        store.schema(sets_table.DDL)
        store.schema(services_table.DDL)
        self.init_roles(activities)
        self.init_groups()
        if store.get_meta(KEY_RULE_META) != KEY_RULE:
            self._rekey()

    def _rekey(self) -> None:
        """Recompute the lookup keys of a state file written under another rule (StrongDM used `casefold`)."""
        with self.store.write() as db:
            self.rekey_users(db)
            self.role_set.rekey(db)
            self.group_set.rekey(db)
            self.store.set_meta(KEY_RULE_META, KEY_RULE)

    def account_leaving(self, db, user: dict, actor) -> None:
        """Before a user is deleted: journal its leaving every role and group (the links cascade)."""
        self.role_set.forget_account(db, user, actor)
        self.group_set.forget_account(db, user, actor)


def census(db: sqlite3.Connection) -> dict:
    """User, service account, role, attachment, group, membership and grant counts over a read-only connection
    (`sim status`); None for a missing table."""
    return {**users_table.census(db), **services_table.census(db), **sets_table.census(db), **groups_table.census(db)}
