"""Helpers for the StrongDM SCIM receiver tests: the token, SCIM bodies and requests, a count of what is stored."""

TOKEN = "test-token-0123456789abcdef"
BASE = "/provisioning/generic/v2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def user_body(email="ada@example.test", given="Ada", family="Lovelace", **extra):
    return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": given, "familyName": family}, "active": True, **extra}


def create_user(client, email="ada@example.test", **extra):
    response = client.post(f"{BASE}/Users", json=user_body(email, **extra), headers=AUTH)
    assert response.status_code == 201, response.json
    return response.json


def create_group(client, name="Engineering", members=()):
    response = client.post(f"{BASE}/Groups", json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                                   "displayName": name,
                                                   "members": [{"value": m} for m in members]}, headers=AUTH)
    assert response.status_code == 201, response.json
    return response.json


def patch(client, path, operations, provider="generic"):
    return client.patch(f"/provisioning/{provider}/v2/{path}", headers=AUTH, json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})


def state(app):
    sdm = app.extensions["strongdm"]
    return (sdm.accounts.count_users(), sdm.accounts.count_roles(), sdm.accounts.count_attachments())


def statements_for(app, call) -> list[str]:
    """The SQL statements `call()` runs on this thread's connection (the test client serves on this thread)."""
    db = app.extensions["strongdm"].store.read()
    seen = []
    db.set_trace_callback(seen.append)
    try:
        call()
    finally:
        db.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]

GROUPS_MODEL = {"STRONGDM_ORG_MODEL": "groups"}


def group_state(app):
    """(users, groups, account groups, roles): what a groups-model org holds."""
    accounts = app.extensions["strongdm"].accounts
    return (accounts.count_users(), accounts.group_set.count(), accounts.group_set.count_links(),
            accounts.count_roles())
