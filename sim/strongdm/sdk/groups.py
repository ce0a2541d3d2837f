"""StrongDM's SDK API for the Groups model: v1.Groups, v1.AccountsGroups, v1.GroupsRoles and their *History.

The wheel's generated servicers (strongdm/groups_pb2_grpc.py, accounts_groups_pb2_grpc.py, groups_roles_pb2_grpc.py,
*_history_pb2_grpc.py), so the unmodified SDK's `client.groups`, `client.accounts_groups`, `client.groups_roles`
and `client.*_history` talk to them. `api` is the servicers' shared `Api` (sdk/servicers.py), passed in.
"""

from strongdm import accounts_groups_history_pb2
from strongdm import accounts_groups_history_pb2_grpc
from strongdm import accounts_groups_pb2
from strongdm import accounts_groups_pb2_grpc
from strongdm import groups_history_pb2
from strongdm import groups_history_pb2_grpc
from strongdm import groups_pb2
from strongdm import groups_pb2_grpc
from strongdm import groups_roles_history_pb2
from strongdm import groups_roles_history_pb2_grpc
from strongdm import groups_roles_pb2
from strongdm import groups_roles_pb2_grpc

from sim.strongdm.accounts.groups import group_source
from sim.strongdm.accounts.groups import public_group
from sim.strongdm.sdk import convert as grpc_convert
from sim.strongdm.sdk import filters as grpc_filters
from sim.strongdm.sdk import paging as grpc_paging
from sim.strongdm.sdk.errors import AlreadyExistsError
from sim.strongdm.sdk.errors import BadRequestError
from sim.strongdm.sdk.errors import NotFoundError
from sim.strongdm.sdk.errors import PermissionError


def group_message(group: dict) -> groups_pb2.Group:
    """A stored group as `v1.Group`; `source` is who manages it (StrongDM, or the SCIM provider)."""
    return groups_pb2.Group(id=group["id"], name=group["name"], description=group.get("description") or "",
                            source=group.get("source") or group_source(group.get("managed_by", "")),
                            tags=grpc_convert.tags_message(group.get("tags")))


def account_group_message(link: dict) -> accounts_groups_pb2.AccountGroup:
    """A stored account group as `v1.AccountGroup`."""
    return accounts_groups_pb2.AccountGroup(id=link["id"], account_id=link["account_id"], group_id=link["group_id"])


def group_fields(message: groups_pb2.Group) -> dict:
    """The writable fields of a `v1.Group`; BadRequestError for a blank or oversized name."""
    name = message.name.strip()
    if not name:
        raise BadRequestError("name cannot be empty")
    if len(name) > 255 or "\x00" in name + message.description or len(message.description) > 1000:
        raise BadRequestError("name must be at most 255 and description 1000 characters, with no NUL")
    return {"name": name, "description": message.description, "tags": grpc_convert.tags_dict(message.tags)}


def refuse_managed_group(group: dict) -> None:
    """A SCIM-provisioned group's name and membership belong to its IdP (as users and roles do: servicers.py)."""
    if group.get("managed_by"):
        raise PermissionError(f"group {group['id']} is managed by SCIM provider {group['managed_by']!r}; "
                              "change it in the identity provider")


def find_group(groups, group_id: str) -> dict:
    """A group by id from the accounts' group set, or NotFoundError."""
    group = groups.find(group_id) if group_id else None
    if group is None:
        raise NotFoundError(f"cannot find group {group_id!r}")
    return group


# Filter fields from the SDK's examples and the Terraform provider (sdm/data_source_group.go, …_account_group.go,
# …_group_role.go); `groupname` and `rolename` take `*` wildcards like every value.
GROUP_FIELDS = ("id", "name", "source", "tags")
ACCOUNT_GROUP_FIELDS = ("id", "accountid", "groupid")
GROUP_ROLE_FIELDS = ("id", "groupid", "roleid", "groupname", "rolename")


class GroupsServicer(groups_pb2_grpc.GroupsServicer):
    """v1.Groups: every group; create, update and delete those no SCIM provider manages; create_from_roles."""

    def __init__(self, api):
        self.api = api
        self.groups = api.accounts.group_set

    def group(self, group_id: str) -> dict:
        """A group by id, or NotFoundError."""
        return find_group(self.groups, group_id)

    def List(self, request, context):
        """List groups matching a filter (`name`, `id`, `source`, `tags:k=v`), a page at a time."""
        def handler(actor):
            keep = grpc_filters.compile_filter(request.filter, GROUP_FIELDS, lambda g, f: public_group(g)[f])
            page = grpc_paging.paginate(self.groups.rows(), keep, request.meta)
            response = groups_pb2.GroupListResponse(groups=[group_message(g) for g in page.items])
            response.meta.next_cursor, response.meta.total = page.next_cursor, page.total
            return response
        return self.api.call("Groups.List", request, context, handler)

    def Get(self, request, context):
        """Read one group by id."""
        def handler(actor):
            return groups_pb2.GroupGetResponse(group=group_message(self.group(request.id)))
        return self.api.call("Groups.Get", request, context, handler)

    def Create(self, request, context):
        """Create a StrongDM-managed group; a taken name (any case) is AlreadyExistsError."""
        def handler(actor):
            group = self.groups.create({**group_fields(request.group), "managed_by": ""}, [], actor=actor)
            return groups_pb2.GroupCreateResponse(group=group_message(group))
        return self.api.call("Groups.Create", request, context, handler)

    def Update(self, request, context):
        """Rename, re-describe or re-tag a group no SCIM provider manages."""
        def handler(actor):
            current = self.group(request.id or request.group.id)
            refuse_managed_group(current)
            group = self.groups.update({**current, **group_fields(request.group)}, actor=actor)
            return groups_pb2.GroupUpdateResponse(group=group_message(group))
        return self.api.call("Groups.Update", request, context, handler)

    def Delete(self, request, context):
        """Delete a group no SCIM provider manages (its members and role grants go with it)."""
        def handler(actor):
            refuse_managed_group(self.group(request.id))
            self.groups.delete(request.id, actor=actor)
            return groups_pb2.GroupDeleteResponse()
        return self.api.call("Groups.Delete", request, context, handler)

    def CreateFromRoles(self, request, context):
        """One group per role, named as the role, holding its accounts and granted it (groups-migration).

        `commit=False` is the dry run: the answer says what would be made and nothing changes."""
        def handler(actor):
            roles = [self.api.role(role_id) for role_id in dict.fromkeys(request.role_ids)]
            if not roles:
                raise BadRequestError("role_ids cannot be empty")
            with self.api.accounts.store.write():  # all groups, or none
                for role in roles:  # a dry run checks the names as a commit would
                    if self.groups.find_by_name(role["name"]) is not None:
                        raise AlreadyExistsError(f"a group named {role['name']!r} already exists")
                out = [self._from_role(role, request.commit, actor) for role in roles]
            return groups_pb2.GroupCreateFromRolesResponse(group_from_role=out)
        return self.api.call("Groups.CreateFromRoles", request, context, handler)

    def _from_role(self, role: dict, commit: bool, actor) -> groups_pb2.GroupFromRole:
        accounts = self.api.accounts
        members = [user for user, *_ in accounts.members(role["id"])]
        fields = {"name": role["name"], "description": f"Created from role {role['name']}.", "managed_by": "",
                  "tags": dict(role.get("tags") or {})}
        if commit:
            group = self.groups.create(fields, [u["id"] for u in members], actor=actor)
            accounts.grant_role(group["id"], role["id"], actor=actor)
        else:
            group = {**fields, "id": ""}
        return groups_pb2.GroupFromRole(role=grpc_convert.role_message(role), group=group_message(group),
                                        accounts=[grpc_convert.user_message(u) for u in members])


class AccountsGroupsServicer(accounts_groups_pb2_grpc.AccountsGroupsServicer):
    """v1.AccountsGroups: which account is in which group."""

    def __init__(self, api):
        self.api = api
        self.groups = api.accounts.group_set

    def List(self, request, context):
        """List account groups matching a filter (`accountid`, `groupid`, `id`), a page at a time."""
        def handler(actor):
            keep = grpc_filters.compile_filter(request.filter, ACCOUNT_GROUP_FIELDS, lambda link, f: {
                "id": link["id"], "accountid": link["account_id"], "groupid": link["group_id"]}[f])
            page = grpc_paging.paginate(self.groups.link_rows(), keep, request.meta)
            response = accounts_groups_pb2.AccountGroupListResponse(
                account_groups=[account_group_message(link) for link in page.items])
            response.meta.next_cursor, response.meta.total = page.next_cursor, page.total
            return response
        return self.api.call("AccountsGroups.List", request, context, handler)

    def link(self, link_id: str) -> dict:
        """An account group by id, or NotFoundError."""
        link = self.groups.find_link(link_id) if link_id else None
        if link is None:
            raise NotFoundError(f"cannot find account group {link_id!r}")
        return link

    def Get(self, request, context):
        """Read one account group by id."""
        def handler(actor):
            return accounts_groups_pb2.AccountGroupGetResponse(account_group=account_group_message(self.link(request.id)))
        return self.api.call("AccountsGroups.Get", request, context, handler)

    def Create(self, request, context):
        """Add an account to a group no SCIM provider manages."""
        def handler(actor):
            wanted = request.account_group
            self.api.user(wanted.account_id)
            group = find_group(self.groups, wanted.group_id)
            refuse_managed_group(group)
            if not self.groups.add_members(group["id"], [wanted.account_id], actor=actor):
                raise AlreadyExistsError(f"account {wanted.account_id} is already in group {group['id']}")
            link = self.groups.find_link(account_id=wanted.account_id, item_id=group["id"])
            return accounts_groups_pb2.AccountGroupCreateResponse(account_group=account_group_message(link))
        return self.api.call("AccountsGroups.Create", request, context, handler)

    def Delete(self, request, context):
        """Remove an account from a group no SCIM provider manages."""
        def handler(actor):
            link = self.link(request.id)
            refuse_managed_group(find_group(self.groups, link["group_id"]))
            self.groups.remove_members(link["group_id"], [link["account_id"]], actor=actor)
            return accounts_groups_pb2.AccountGroupDeleteResponse()
        return self.api.call("AccountsGroups.Delete", request, context, handler)


class GroupsRolesServicer(groups_roles_pb2_grpc.GroupsRolesServicer):
    """v1.GroupsRoles: the roles granted to groups (an admin's, SCIM-managed groups included: SCIM sends no roles)."""

    def __init__(self, api):
        self.api = api
        self.groups = api.accounts.group_set

    def message(self, grant: dict, names: dict | None = None) -> groups_roles_pb2.GroupRole:
        """A grant as `v1.GroupRole`, with the group's and role's names."""
        names = names if names is not None else self.names([grant])
        return groups_roles_pb2.GroupRole(id=grant["id"], group_id=grant["group_id"], role_id=grant["role_id"],
                                          group_name=names.get(grant["group_id"], ""),
                                          role_name=names.get(grant["role_id"], ""))

    def names(self, grants: list[dict]) -> dict[str, str]:
        """{group or role id: name} for some grants."""
        accounts, out = self.api.accounts, {}
        for grant in grants:
            for item_id, find in ((grant["group_id"], self.groups.find), (grant["role_id"], accounts.find_role)):
                if item_id not in out:
                    item = find(item_id)
                    out[item_id] = item["name"] if item else ""
        return out

    def grant(self, grant_id: str) -> dict:
        """A grant by id, or NotFoundError."""
        grant = self.api.accounts.find_grant(grant_id) if grant_id else None
        if grant is None:
            raise NotFoundError(f"cannot find group role {grant_id!r}")
        return grant

    def List(self, request, context):
        """List grants matching a filter (`groupid`, `roleid`, `groupname`, `rolename`, `id`), a page at a time."""
        def handler(actor):
            rows = self.api.accounts.grant_rows()
            names = self.names([grant for _, grant in rows])
            keep = grpc_filters.compile_filter(request.filter, GROUP_ROLE_FIELDS, lambda g, f: {
                "id": g["id"], "groupid": g["group_id"], "roleid": g["role_id"], "groupname": names[g["group_id"]],
                "rolename": names[g["role_id"]]}[f])
            page = grpc_paging.paginate(rows, keep, request.meta)
            response = groups_roles_pb2.GroupRoleListResponse(groups_roles=[self.message(g, names) for g in page.items])
            response.meta.next_cursor, response.meta.total = page.next_cursor, page.total
            return response
        return self.api.call("GroupsRoles.List", request, context, handler)

    def Get(self, request, context):
        """Read one grant by id."""
        def handler(actor):
            return groups_roles_pb2.GroupRoleGetResponse(group_role=self.message(self.grant(request.id)))
        return self.api.call("GroupsRoles.Get", request, context, handler)

    def Create(self, request, context):
        """Grant a role to a group; a grant that exists is AlreadyExistsError."""
        def handler(actor):
            wanted = request.group_role
            find_group(self.groups, wanted.group_id)
            self.api.role(wanted.role_id)
            if self.api.accounts.find_grant(group_id=wanted.group_id, role_id=wanted.role_id):
                raise AlreadyExistsError(f"role {wanted.role_id} is already granted to group {wanted.group_id}")
            grant = self.api.accounts.grant_role(wanted.group_id, wanted.role_id, actor=actor)
            return groups_roles_pb2.GroupRoleCreateResponse(group_role=self.message(grant))
        return self.api.call("GroupsRoles.Create", request, context, handler)

    def Delete(self, request, context):
        """Take a role back from a group."""
        def handler(actor):
            grant = self.grant(request.id)
            message = self.message(grant)
            self.api.accounts.revoke_role(grant["id"], actor=actor)
            return groups_roles_pb2.GroupRoleDeleteResponse(group_role=message)
        return self.api.call("GroupsRoles.Delete", request, context, handler)


def history_page(api, kind: str, request, fields: tuple, field_of, message_of, response_type, method: str, context):
    """One *History.List: records of `kind`, filtered on `fields` of the recorded item, paged by record."""
    def handler(actor):
        keep = grpc_filters.compile_filter(request.filter, fields, lambda record, f: field_of(record["item"], f))
        page = grpc_paging.paginate(api.accounts.group_history.rows(kind), keep, request.meta)
        response = response_type(history=[message_of(record) for record in page.items])
        response.meta.next_cursor, response.meta.total = page.next_cursor, page.total
        return response
    return api.call(method, request, context, handler)


def _stamps(record: dict) -> dict:
    stamps = {"timestamp": grpc_convert.timestamp(record["timestamp"])}
    if record["deleted_at"]:
        stamps["deleted_at"] = grpc_convert.timestamp(record["deleted_at"])
    return stamps


class GroupsHistoryServicer(groups_history_pb2_grpc.GroupsHistoryServicer):
    """v1.GroupsHistory: every create, update and delete of a group."""

    def __init__(self, api):
        self.api = api

    def List(self, request, context):
        """List history records (filter on the group's `id`, `name`, `source`, `tags`)."""
        return history_page(self.api, "group", request, GROUP_FIELDS, lambda item, f: item[f],
                            lambda r: groups_history_pb2.GroupHistory(group=group_message(r["item"]), **_stamps(r)),
                            groups_history_pb2.GroupHistoryListResponse, "GroupsHistory.List", context)


class AccountsGroupsHistoryServicer(accounts_groups_history_pb2_grpc.AccountsGroupsHistoryServicer):
    """v1.AccountsGroupsHistory: every account joining or leaving a group."""

    def __init__(self, api):
        self.api = api

    def List(self, request, context):
        """List history records (filter on `id`, `accountid`, `groupid`)."""
        return history_page(self.api, "accountgroup", request, ACCOUNT_GROUP_FIELDS, lambda item, f: {
            "id": item["id"], "accountid": item["account_id"], "groupid": item["group_id"]}[f],
            lambda r: accounts_groups_history_pb2.AccountGroupHistory(account_group=account_group_message(r["item"]),
                                                                      **_stamps(r)),
            accounts_groups_history_pb2.AccountGroupHistoryListResponse, "AccountsGroupsHistory.List", context)


class GroupsRolesHistoryServicer(groups_roles_history_pb2_grpc.GroupsRolesHistoryServicer):
    """v1.GroupsRolesHistory: every role granted to or taken from a group."""

    def __init__(self, api):
        self.api = api

    def List(self, request, context):
        """List history records (filter on `id`, `groupid`, `roleid`)."""
        return history_page(self.api, "grouprole", request, ("id", "groupid", "roleid"), lambda item, f: {
            "id": item["id"], "groupid": item["group_id"], "roleid": item["role_id"]}[f],
            lambda r: groups_roles_history_pb2.GroupRoleHistory(group_role=groups_roles_pb2.GroupRole(
                id=r["item"]["id"], group_id=r["item"]["group_id"], role_id=r["item"]["role_id"]), **_stamps(r)),
            groups_roles_history_pb2.GroupRoleHistoryListResponse, "GroupsRolesHistory.List", context)


def add_group_servicers(api, server) -> None:
    """Register the Groups-model services on a grpc server."""
    groups_pb2_grpc.add_GroupsServicer_to_server(GroupsServicer(api), server)
    accounts_groups_pb2_grpc.add_AccountsGroupsServicer_to_server(AccountsGroupsServicer(api), server)
    groups_roles_pb2_grpc.add_GroupsRolesServicer_to_server(GroupsRolesServicer(api), server)
    groups_history_pb2_grpc.add_GroupsHistoryServicer_to_server(GroupsHistoryServicer(api), server)
    accounts_groups_history_pb2_grpc.add_AccountsGroupsHistoryServicer_to_server(AccountsGroupsHistoryServicer(api), server)
    groups_roles_history_pb2_grpc.add_GroupsRolesHistoryServicer_to_server(GroupsRolesHistoryServicer(api), server)
