"""The Console's SCIM Inspector page and `/_sim/exchanges`: what Identity Management sent and got, never the token."""

from sim.inspect.exchange import exchange
from tests.jumpcloud.console.helpers import PASSWORD

PAGE = "/scim-inspector"
HEADERS = {"Accept": "application/scim+json"}


def record(jc_app, user_name: str, scim_id: str, status: int = 201):
    jc_app.extensions["inspector"].ring(exchange("POST", "/Users", HEADERS, {"userName": user_name}, status,
                                                 {"id": scim_id, "userName": user_name}))


def test_it_shows_each_exchange_with_its_bodies(app, admin):
    record(app, "ada@example.com", "a-1")
    record(app, "bob@example.com", "a-2", status=409)
    page = admin.get(PAGE)
    assert page.status_code == 200
    assert "POST /Users" in page.text and "ada@example.com" in page.text and "409" in page.text
    assert page.text.index("bob@example.com") < page.text.index("ada@example.com")  # newest first


def test_it_filters_by_user_and_pages(app, admin):
    for n in range(3):
        record(app, f"u{n}@example.com", f"a-{n}")
    assert "u1@example.com" in admin.get(PAGE, query_string={"user": "u1@"}).text
    assert "u0@example.com" not in admin.get(PAGE, query_string={"user": "u1@"}).text
    second = admin.get(PAGE, query_string={"size": 2, "page": 2}).text
    assert "3–3 of 3 exchanges" in second and "u0@example.com" in second


def test_it_says_when_nothing_was_sent_yet(admin):
    assert "No SCIM exchanges yet." in admin.get(PAGE).text


def test_it_is_in_the_navigation_and_needs_a_sign_in(client, admin):
    assert f'href="{PAGE}"' in admin.get("/users").text
    anonymous = client.application.test_client()
    assert anonymous.get(PAGE).status_code == 302


def test_the_json_needs_an_administrator_api_key(app, jc, client):
    record(app, "ada@example.com", "a-1")
    assert client.get("/_sim/exchanges").status_code == 401
    admin_id = jc.org.check_password(app.config["EMAIL"], PASSWORD)["_id"]
    key = jc.org.create_api_key(admin_id)
    doc = client.get("/_sim/exchanges", headers={"x-api-key": key}).json
    assert doc["total"] == 1 and doc["exchanges"][0]["response_body"]["id"] == "a-1"
    reader = jc.org.create_admin("reader@example.com", "reader password 1", role="Read Only")
    refused = client.get("/_sim/exchanges", headers={"x-api-key": jc.org.create_api_key(reader["_id"])})
    assert refused.status_code == 403 and refused.json["error"] == "forbidden"
