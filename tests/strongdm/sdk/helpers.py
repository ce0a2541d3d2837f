"""Helpers for the SDK API tests: the SCIM token, SCIM provisioning, an SDK client and a native user."""

import pytest

TOKEN = "grpc-test-token-0123456789"
BASE = "/provisioning/generic/v2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"


def make_client(port, key, secret=None, **options):
    strongdm = pytest.importorskip("strongdm")
    return strongdm.Client(key["access_key"], secret or key["secret"], host=f"127.0.0.1:{port}", insecure=True,
                           retry_rate_limit_errors=False, **options)


def provision_user(scim, email, given="Ada", family="Lovelace", active=True, **extra):
    response = scim.post(f"{BASE}/Users", headers=AUTH, json={
        "schemas": [USER_URN], "userName": email, "name": {"givenName": given, "familyName": family},
        "active": active, **extra})
    assert response.status_code == 201, response.json
    return response.json


def provision_group(scim, name, member_ids=()):
    response = scim.post(f"{BASE}/Groups", headers=AUTH, json={
        "schemas": [GROUP_URN], "displayName": name, "members": [{"value": m} for m in member_ids]})
    assert response.status_code == 201, response.json
    return response.json


def native_user(client, email="native@example.test", first="Nat", last="Ive", **extra):
    strongdm = pytest.importorskip("strongdm")
    return client.accounts.create(strongdm.User(email=email, first_name=first, last_name=last, **extra)).account
