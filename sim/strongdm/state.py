"""The StrongDM aggregate: one org's accounts, audit log and SCIM services over a store (no Flask)."""

import sqlite3
from dataclasses import dataclass
from dataclasses import replace

from sim import config
from sim.scim.schemas import list_response
from sim.store import Store
from sim.strongdm import accounts as accounts_table
from sim.strongdm import activities as activities_table
from sim.strongdm import api_keys as api_keys_table
from sim.strongdm import org as org_meta
from sim.strongdm.accounts import Accounts
from sim.strongdm.activities import SIMULATOR_ACTOR
from sim.strongdm.activities import Activities
from sim.strongdm.org import DEFAULT_PASSWORD_METHOD
from sim.strongdm.org import Org
from sim.strongdm.org import settle_org_model
from sim.strongdm.receiver.common import Profile
from sim.strongdm.receiver.common import page_size
from sim.strongdm.receiver.discovery import Discovery
from sim.strongdm.receiver.groups import ScimGroups
from sim.strongdm.receiver.users import ScimUsers

PROFILES = ("strongdm", "rfc")


@dataclass
class StrongDM:
    """Everything one mock StrongDM org holds."""

    store: Store
    org: Org
    accounts: Accounts
    activities: Activities
    users: ScimUsers
    groups: ScimGroups
    discovery: Discovery
    profile: Profile
    org_model: str = "roles"  # "groups": SCIM Groups are StrongDM Groups; "roles": they are roles (legacy orgs)

    @property
    def sets(self):
        """What SCIM Groups are in this org: `accounts.group_set` (groups model) or `accounts.role_set`."""
        return self.groups.sets

    def ensure_admin(self, email: str, password: str, first_name: str = "Admin", last_name: str = "User") -> dict:
        """Create (or reset the password of) an Administrator who can sign in to the Admin UI.

        An org left without any active Administrator (a state file from before the last-admin guard) gets this
        one back as an active, native Administrator, so a restart undoes a lock-out.
        """
        user = self.accounts.find_user_by_email(email)
        if user is None:
            user = self.accounts.create_user({"email": email, "first_name": first_name, "last_name": last_name,
                                              "permission_level": "admin"}, actor=SIMULATOR_ACTOR)
        elif not self.accounts.has_active_admin():
            user = self.accounts.update_user({**user, "suspended": False, "permission_level": "admin",
                                              "managed_by": ""}, actor=SIMULATOR_ACTOR)
        self.org.set_password(user["id"], password)
        return user

    def search_all(self, query, call) -> dict:
        """Users then Groups matching one query, paged together (RFC 7644 §3.4.3)."""
        size, offset = page_size(query, self.profile), query.start_index - 1
        users = self.users.list(replace(query, start_index=offset + 1, count=size), call)
        page = users["Resources"]
        skip_groups = max(0, offset - users["totalResults"])
        groups = self.groups.list(replace(query, start_index=skip_groups + 1, count=size - len(page)), call)
        page += groups["Resources"]
        return list_response(page, users["totalResults"] + groups["totalResults"], query.start_index, len(page))

    @property
    def content_type(self) -> str:
        """StrongDM's response type is undocumented; the rfc profile sends RFC 7644's."""
        return "application/scim+json" if self.profile.rfc else "application/json"


def make_strongdm(store: Store, *, profile: str = "strongdm", settings: dict | None = None) -> StrongDM:
    """Build the StrongDM state over a store (no Flask)."""
    settings = config.settings(**(settings or {}))
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    prof = Profile(name=profile, default_count=settings["SCIM_DEFAULT_COUNT"], max_count=settings["SCIM_MAX_COUNT"],
                   delete_mode=settings.get("STRONGDM_DELETE_MODE", "delete"))
    org_holder = {}
    activities = Activities(store, lambda: org_holder["org"].org_id)
    accounts = Accounts(store, activities)
    org_model = settle_org_model(store, settings["STRONGDM_ORG_MODEL"], has_roles=accounts.count_roles() > 0)
    sets = accounts.group_set if org_model == "groups" else accounts.role_set
    # Tests pass a cheap PASSWORD_HASH_METHOD; the default stays werkzeug's scrypt.
    password_method = settings.get("PASSWORD_HASH_METHOD") or DEFAULT_PASSWORD_METHOD
    org = org_holder["org"] = Org(store, activities, password_method=password_method)
    return StrongDM(store=store, org=org, accounts=accounts, activities=activities,
                    users=ScimUsers(accounts, prof, sets), groups=ScimGroups(accounts, prof, sets),
                    discovery=Discovery(prof), profile=prof, org_model=org_model)


def summary(db: sqlite3.Connection) -> dict:
    """Counts and SCIM activation of a StrongDM state file, read over `db` without writing (for `sim status`)."""
    return {**accounts_table.census(db), **api_keys_table.census(db), "activities": activities_table.census(db),
            **org_meta.org_model_census(db), **org_meta.scim_census(db)}
