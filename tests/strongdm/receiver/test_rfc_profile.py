"""The `rfc` profile: the full filter grammar, sorting, ETags and /.search."""

import pytest

from sim.store import Store
from sim.strongdm import create_app

TOKEN = "rfc-token-0123456789abcdef"
BASE = "/provisioning/generic/v2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client():
    store = Store(None, synchronous="OFF")
    yield create_app(store, profile="rfc", token=TOKEN).test_client()
    store.close()


def add(client, email, given, family, **extra):
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": given, "familyName": family}, **extra}
    response = client.post(f"{BASE}/Users", json=body, headers=AUTH)
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def people(client):
    return [add(client, "ada@example.test", "Ada", "Lovelace", title="Countess", externalId="X1",
                **{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Math"}}),
            add(client, "alan@example.test", "Alan", "Turing", title="Fellow", externalId="x2"),
            add(client, "grace@example.test", "Grace", "Hopper", title="Rear Admiral", active=False)]


def names(page):
    return [r["userName"] for r in page["Resources"]]


@pytest.mark.parametrize(("expression", "expected"), [
    ('userName sw "a"', ["ada@example.test", "alan@example.test"]),
    ('name.familyName co "OP"', ["grace@example.test"]),
    ("active eq false", ["grace@example.test"]),
    ('title pr and not (title eq "Fellow")', ["ada@example.test", "grace@example.test"]),
    ('externalId eq "x1"', []),
    ('externalId eq "X1"', ["ada@example.test"]),
    ('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "math"', ["ada@example.test"]),
    ('emails[value ew "hopper"] or userName eq "alan@example.test"', ["alan@example.test"]),
])
def test_the_full_filter_grammar_is_available(client, people, expression, expected):
    page = client.get(f"{BASE}/Users", query_string={"filter": expression}, headers=AUTH).json
    assert names(page) == expected


def test_sorting_by_family_name_descending(client, people):
    page = client.get(f"{BASE}/Users?sortBy=name.familyName&sortOrder=descending", headers=AUTH).json
    assert names(page) == ["alan@example.test", "ada@example.test", "grace@example.test"]


def test_sorting_is_refused_in_the_strongdm_profile():
    store = Store(None, synchronous="OFF")
    client = create_app(store, token=TOKEN).test_client()
    assert client.get(f"{BASE}/Users?sortBy=userName", headers=AUTH).status_code == 400
    store.close()


def test_etags_are_sent_and_if_none_match_gives_304(client, people):
    response = client.get(f"{BASE}/Users/{people[0]['id']}", headers=AUTH)
    tag = response.headers["ETag"]
    assert tag == people[0]["meta"]["version"]
    again = client.get(f"{BASE}/Users/{people[0]['id']}", headers={**AUTH, "If-None-Match": tag})
    assert again.status_code == 304


def test_a_stale_if_match_is_a_412_and_changes_nothing(client, people):
    user = people[0]
    client.patch(f"{BASE}/Users/{user['id']}", headers=AUTH, json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "title", "value": "Lady"}]})
    stale = client.patch(f"{BASE}/Users/{user['id']}", headers={**AUTH, "If-Match": user["meta"]["version"]}, json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "title", "value": "Stale"}]})
    assert stale.status_code == 412
    assert client.get(f"{BASE}/Users/{user['id']}", headers=AUTH).json["title"] == "Lady"


def test_users_search_takes_a_search_request_body(client, people):
    response = client.post(f"{BASE}/Users/.search", headers=AUTH, json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'userName sw "g"', "attributes": ["userName"]})
    assert response.status_code == 200
    assert response.json["Resources"] == [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                                           "id": people[2]["id"], "userName": "grace@example.test",
                                           "meta": response.json["Resources"][0]["meta"]}]


def test_root_search_returns_users_and_groups(client, people):
    client.post(f"{BASE}/Groups", headers=AUTH, json={"displayName": "Pioneers", "members": []})
    page = client.post(f"{BASE}/.search", headers=AUTH, json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}).json
    assert page["totalResults"] == 4


def test_locations_are_absolute_in_the_rfc_profile(client, people):
    assert people[0]["meta"]["location"] == f"http://localhost{BASE}/Users/{people[0]['id']}"


def test_items_per_page_is_the_number_returned(client, people):
    page = client.get(f"{BASE}/Users?count=10", headers=AUTH).json
    assert page["itemsPerPage"] == 3
