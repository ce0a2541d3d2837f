"""Helpers for the JumpCloud Console tests: credentials, CSRF-aware posts, the first user and group, a new SSO app."""

import re

from sim.jumpcloud.directory import query as q

PASSWORD = "console password 1"
TOKEN = "console-test-token-0123456789"
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # tests only: scrypt costs ~0.15 s a hash


def csrf(client, path="/login") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def login(client, email, password):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf(client)})


def post(client, path, data=None, form_page="/users"):
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, form_page)})


def first_user(jc) -> dict:
    return jc.directory.list_users(q.Query(limit=1, order=[("username", False)]))[1][0]


def first_group(jc) -> dict:
    return jc.directory.list_groups(q.Query(limit=1))[0]


def new_strongdm_app(admin, jc, label="StrongDM") -> str:
    response = post(admin, "/sso/new/strongdm", {"displayLabel": label}, "/sso/new/strongdm?configure=1")
    return re.search(r"/sso/([0-9a-f]{24})/general", response.location).group(1)
