"""Which permission scope each SDK API method needs, in the SDK's own words (strongdm/constants.py `Permission`).

StrongDM's API keys carry permission scopes chosen at creation (docs "admin/principals/tokens": name,
permissions, optional expiry). The method-to-scope mapping below is assumed where the constants leave it open
(attachments use `user:assign` to write, the *History services `audit:groups`); see README.
"""

READ_WRITE = {  # service: (scope for List/Get, scope for each write method)
    "Accounts": ("user:list", {"Create": "user:create", "Update": "user:update", "Delete": "user:delete"}),
    "Roles": ("role:list", {"Create": "role:create", "Update": "role:update", "Delete": "role:delete"}),
    "AccountAttachments": ("user:list", {"Create": "user:assign", "Delete": "user:assign"}),
    "Groups": ("group:read", {"Create": "group:write", "Update": "group:write", "Delete": "group:write",
                              "CreateFromRoles": "group:write"}),
    "AccountsGroups": ("accountgroup:read", {"Create": "accountgroup:write", "Delete": "accountgroup:write"}),
    "GroupsRoles": ("grouprole:read", {"Create": "grouprole:write", "Delete": "grouprole:write"}),
    "GroupsHistory": ("audit:groups", {}),
    "AccountsGroupsHistory": ("audit:groups", {}),
    "GroupsRolesHistory": ("audit:groups", {}),
}

# Every scope a key may be given here, in the order the Tokens page lists them.
SCOPES = tuple(dict.fromkeys(scope for read, writes in READ_WRITE.values() for scope in (read, *writes.values())))


def scope_for(method: str) -> str:
    """The scope `method` ("Groups.List") needs; KeyError for a method the simulator does not serve."""
    service, _, name = method.partition(".")
    read, writes = READ_WRITE[service]
    return writes.get(name, read)
