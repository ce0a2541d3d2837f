"""The receiver's exchanges in the request inspector: what was received and answered, and who may read them."""

from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import BASE
from tests.strongdm.receiver.helpers import TOKEN
from tests.strongdm.receiver.helpers import create_group
from tests.strongdm.receiver.helpers import create_user


def exchanges(client, **params) -> list[dict]:
    response = client.get("/_sim/exchanges", headers=AUTH, query_string=params)
    assert response.status_code == 200, response.json
    return response.json["exchanges"]


def test_a_create_is_recorded_with_its_full_path_status_and_bodies_and_no_token(client):
    user = create_user(client, "ada@example.test")
    [doc] = exchanges(client)
    assert (doc["method"], doc["path"], doc["status"]) == ("POST", f"{BASE}/Users", 201)
    assert doc["body"]["userName"] == "ada@example.test" and doc["response_body"]["id"] == user["id"]
    assert doc["headers"]["Authorization"] == "Bearer [redacted]"
    assert TOKEN not in str(doc)


def test_a_refused_request_is_recorded_with_the_scim_error_it_got(client):
    client.get(f"{BASE}/Users")  # no token
    client.get(f"{BASE}/Nope", headers=AUTH)
    nope, unauthorized = exchanges(client)
    assert unauthorized["status"] == 401 and unauthorized["response_body"]["status"] == "401"
    assert nope["status"] == 404 and nope["response_body"]["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_only_scim_requests_are_recorded(client):
    client.get("/login")
    client.get("/_sim/faults", headers=AUTH)
    assert exchanges(client) == []


def test_filter_by_user_and_group(client):
    ada = create_user(client, "ada@example.test")
    create_user(client, "bob@example.test")
    create_group(client, "Engineering", members=[ada["id"]])
    assert [d["path"] for d in exchanges(client, user="ada@")] == [f"{BASE}/Groups", f"{BASE}/Users"]
    assert [d["body"]["displayName"] for d in exchanges(client, group="engin")] == ["Engineering"]


def test_reading_exchanges_needs_the_scim_token_or_an_admin_session(client):
    create_user(client)
    assert client.get("/_sim/exchanges").status_code == 401
    assert client.get("/_sim/exchanges", headers={"Authorization": "Bearer wrong-token-000000"}).status_code == 401


def test_the_ring_is_bounded_by_the_inspector_size_setting():
    from sim.store import Store
    from sim.strongdm import create_app

    store = Store(None, synchronous="OFF")
    app = create_app(store, token=TOKEN, settings={"INSPECTOR_SIZE": 2, "INSPECTOR_MAX_BODY": 64})
    client = app.test_client()
    for n in range(4):
        create_user(client, f"u{n}@example.test")
    doc = client.get("/_sim/exchanges", headers=AUTH).json
    assert (doc["total"], doc["recorded"], doc["capacity"], doc["max_body"]) == (2, 4, 2, 64)
    assert all(e["truncated"] for e in doc["exchanges"])
    store.close()
