"""Helpers for the StrongDM Admin UI tests: credentials, paths, CSRF-aware posts, SCIM activation and a SCIM user."""

import re

ADMIN = ("admin@strongdm.test", "correct horse battery")
AUDITOR = ("auditor@strongdm.test", "auditor password 1")
SCIM = "/provisioning/generic/v2"
PROVISIONING = "/settings/user-management/provisioning"
API_KEYS = "/principals/tokens"
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # tests only: scrypt costs ~0.15 s a hash


def csrf(client, path="/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def login(client, email, password, path="/login"):
    return client.post(path, data={"email": email, "password": password, "csrf_token": csrf(client)})


def post(client, path, data=None, form_page="/users", **options):
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, form_page)}, **options)


def activate(client, provider="generic") -> str:
    page = post(client, f"{PROVISIONING}/activate", {"provider": provider}, PROVISIONING, follow_redirects=True)
    assert page.status_code == 200
    return re.search(r'id="scim-token" value="([^"]+)"', page.text).group(1)


def scim_user(client, token, email="prov@example.test"):
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": "Pro", "familyName": "Visioned"}, "active": True}
    response = client.post(f"{SCIM}/Users", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.json
    return response.json
