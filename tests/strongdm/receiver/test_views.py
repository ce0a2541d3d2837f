"""The StrongDM SCIM receiver over HTTP: auth, listing, bad input, discovery and the audit log."""

import json

import pytest

from sim.store import Store
from sim.strongdm import create_app
from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import BASE
from tests.strongdm.receiver.helpers import TOKEN
from tests.strongdm.receiver.helpers import create_group
from tests.strongdm.receiver.helpers import create_user
from tests.strongdm.receiver.helpers import state
from tests.strongdm.receiver.helpers import user_body

# -- auth -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": "Bearer"}, {"Authorization": TOKEN}])
def test_requests_without_the_current_token_get_401_with_a_scim_body(client, headers):
    response = client.get(f"{BASE}/Users", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert response.json["status"] == "401"


def test_a_rekeyed_token_stops_working_at_once(app, client):
    new = app.extensions["strongdm"].org.rekey_scim()
    assert client.get(f"{BASE}/Users", headers=AUTH).status_code == 401
    assert client.get(f"{BASE}/Users", headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_a_deactivated_provider_refuses_its_old_token(app, client):
    app.extensions["strongdm"].org.deactivate_scim()
    assert client.get(f"{BASE}/Users", headers=AUTH).status_code == 401


def test_the_token_is_stored_hashed(app):
    assert TOKEN not in json.dumps(app.extensions["strongdm"].store.get_meta("scim"))


@pytest.mark.parametrize("content_type", [None, "application/json", "application/scim+json",
                                          "application/scim+json; charset=utf-8"])
def test_no_content_type_json_and_scim_json_are_all_accepted(client, content_type):
    headers = dict(AUTH)
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post(f"{BASE}/Users", data=json.dumps(user_body()), headers=headers)
    assert response.status_code == 201


# -- listing ----------------------------------------------------------------------------------------

def test_listing_pages_with_one_based_start_index_and_zero_treated_as_one(client):
    for i in range(5):
        create_user(client, f"user{i}@example.test")
    page = client.get(f"{BASE}/Users?startIndex=0&count=1", headers=AUTH).json
    assert page["startIndex"] == 1 and page["itemsPerPage"] == 1 and page["totalResults"] == 5
    assert [r["userName"] for r in page["Resources"]] == ["user0@example.test"]
    page = client.get(f"{BASE}/Users?startIndex=4&count=10", headers=AUTH).json
    assert [r["userName"] for r in page["Resources"]] == ["user3@example.test", "user4@example.test"]


def test_a_client_paging_like_scimsdk_sees_every_user_once(client):
    for i in range(12):
        create_user(client, f"user{i}@example.test")
    seen, start = [], 1
    while True:
        page = client.get(f"{BASE}/Users?startIndex={start}&count=5", headers=AUTH).json
        seen += [r["userName"] for r in page["Resources"]]
        if len(page["Resources"]) < page["itemsPerPage"]:
            break
        start += len(page["Resources"])
    assert sorted(seen) == sorted(f"user{i}@example.test" for i in range(12))


def test_username_eq_filter_finds_a_user_ignoring_case(client):
    create_user(client, "ada@example.test")
    create_user(client, "bob@example.test")
    page = client.get(f'{BASE}/Users?filter=userName eq "ADA@example.test"', headers=AUTH).json
    assert page["totalResults"] == 1 and page["Resources"][0]["userName"] == "ada@example.test"


@pytest.mark.parametrize("bad", ['userName co "ada"', 'emails.value eq "x"', "userName eq", "((", 'externalId eq "1"'])
def test_the_strongdm_profile_refuses_other_filters_with_invalid_filter(client, bad):
    response = client.get(f"{BASE}/Users", query_string={"filter": bad}, headers=AUTH)
    assert response.status_code == 400
    assert response.json["scimType"] == "invalidFilter"


@pytest.mark.parametrize("param", ["count=abc", "startIndex=x", "count=1.5"])
def test_bad_paging_parameters_are_a_400(client, param):
    assert client.get(f"{BASE}/Users?{param}", headers=AUTH).status_code == 400


# -- bad input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b"{", b"\xff\xfe", b"[]", b"null", b'"x"', b"", b"[" * 5000 + b"]" * 5000,
                                 b'{"userName": 5, "name": {"givenName": "a", "familyName": "b"}}'])
def test_malformed_bodies_get_a_400_and_change_nothing(client, app, raw):
    response = client.post(f"{BASE}/Users", data=raw, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert state(app) == (0, 0, 0)


def test_a_huge_body_is_a_413():
    store = Store(None, synchronous="OFF")
    app = create_app(store, token=TOKEN, settings={"MAX_CONTENT_LENGTH": 1000})
    response = app.test_client().post(f"{BASE}/Users", data=b"{" + b" " * 5000 + b"}",
                                      headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json["status"] == "413"
    store.close()


def test_unknown_paths_under_the_scim_root_are_scim_404s(client):
    response = client.get(f"{BASE}/Nope", headers=AUTH)
    assert response.status_code == 404 and response.json["status"] == "404"


def test_the_content_type_header_is_ignored_like_strongdm_does(client):
    headers = {**AUTH, "Content-Type": "application/x-www-form-urlencoded"}
    assert client.post(f"{BASE}/Users", data=json.dumps(user_body()), headers=headers).status_code == 201
    assert client.post(f"{BASE}/Users", data="a=b", headers=headers).status_code == 400


# -- discovery ----------------------------------------------------------------------------------------

def test_service_provider_config_is_honest_about_the_strongdm_profile(client):
    spc = client.get(f"{BASE}/ServiceProviderConfig", headers=AUTH).json
    assert spc["filter"]["supported"] is False and spc["sort"]["supported"] is False
    assert spc["etag"]["supported"] is False and spc["patch"]["supported"] is True


def test_schemas_and_resource_types_are_served(client):
    assert client.get(f"{BASE}/Schemas", headers=AUTH).json["totalResults"] == 3
    names = [r["name"] for r in client.get(f"{BASE}/ResourceTypes", headers=AUTH).json["Resources"]]
    assert names == ["User", "Group"]


# -- audit log ----------------------------------------------------------------------------------------

def test_provisioning_writes_strongdm_activity_verbs(client, app):
    ada = create_user(client)
    create_group(client, "Eng", [ada["id"]])
    verbs = [a["activity"] for a in app.extensions["strongdm"].activities.list(newest_first=False)]
    assert verbs[-3:] == ["user added", "role added", "user added to role"]


def test_the_token_is_checked_without_a_state_read_per_request(app, client):
    store = app.extensions["strongdm"].store
    client.get(f"{BASE}/ServiceProviderConfig", headers=AUTH)
    reads = []
    get_meta = store.get_meta
    store.get_meta = lambda key, default=None: reads.append(key) or get_meta(key, default)  # a spy
    for _ in range(20):
        assert client.get(f"{BASE}/ServiceProviderConfig", headers=AUTH).status_code == 200
    assert "scim" not in reads


def test_a_token_rotated_by_another_process_is_refused_once_the_cache_window_passes(tmp_path):
    import time

    from sim.strongdm.org import SCIM_CACHE_SECONDS

    path = tmp_path / "strongdm.sqlite3"
    served = Store(path)
    client = create_app(served, token=TOKEN).test_client()
    assert client.get(f"{BASE}/Users", headers=AUTH).status_code == 200
    other = Store(path)  # another process's connection to the same state file
    new = create_app(other).extensions["strongdm"].org.rekey_scim()
    other.close()
    time.sleep(SCIM_CACHE_SECONDS + 0.2)
    assert client.get(f"{BASE}/Users", headers=AUTH).status_code == 401
    assert client.get(f"{BASE}/Users", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    served.close()
