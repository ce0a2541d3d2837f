"""`GET /_sim/exchanges`: the app's credential, the page and filter arguments, the JSON and exchanges.jsonl forms."""

import json

import pytest

from tests.inspect.helpers import AUTH
from tests.inspect.helpers import add_member
from tests.inspect.helpers import create_group
from tests.inspect.helpers import create_user


def test_without_the_credential_it_is_401_and_shows_nothing(client, ring):
    ring(create_user())
    response = client.get("/_sim/exchanges")
    assert response.status_code == 401
    assert response.json == {"error": "unauthorized", "detail": "Send the app's credential."}


def test_a_credential_that_may_not_is_403_with_the_reason(client):
    response = client.get("/_sim/exchanges", headers={"X-Test-Key": "no"})
    assert response.status_code == 403 and response.json["detail"] == "This key may not read exchanges."


def test_the_json_is_a_page_newest_first_with_the_ring_s_numbers(client, ring):
    for n in range(3):
        ring(create_user(f"u{n}@example.com", f"a-{n}"))
    doc = client.get("/_sim/exchanges?size=2", headers=AUTH).json
    assert [e["id"] for e in doc["exchanges"]] == [3, 2]
    assert {k: doc[k] for k in ("total", "page", "size", "capacity", "recorded", "max_body")} == {
        "total": 3, "page": 1, "size": 2, "capacity": 50, "recorded": 3, "max_body": 200}
    assert [e["id"] for e in client.get("/_sim/exchanges?size=2&page=2", headers=AUTH).json["exchanges"]] == [1]


def test_filters_by_user_and_group(client, ring):
    ring(create_user("ada@example.com", "a-1"))
    ring(create_user("bob@example.com", "a-2"))
    ring(create_group("Engineering", "r-1"))
    ring(add_member("r-1", "a-2"))
    by_user = client.get("/_sim/exchanges?user=bob", headers=AUTH).json
    assert [(e["method"], e["path"]) for e in by_user["exchanges"]] == [("PATCH", "/Groups/r-1"), ("POST", "/Users")]
    by_group = client.get("/_sim/exchanges?group=engineering", headers=AUTH).json
    assert by_group["total"] == 2


def test_jsonl_is_every_match_oldest_first_one_exchanges_line_each(client, ring):
    ring(create_user("ada@example.com", "a-1"))
    ring(create_user("bob@example.com", "a-2"))
    response = client.get("/_sim/exchanges?format=jsonl", headers=AUTH)
    assert response.mimetype == "application/x-ndjson"
    lines = response.text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [1, 2]
    assert lines[0] == json.dumps(json.loads(lines[0]), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("query", ["page=0", "page=x", "size=0", "size=501", "size=²", "format=xml",
                                   "user=" + "u" * 201])
def test_bad_arguments_are_400_with_the_reason(client, query):
    response = client.get(f"/_sim/exchanges?{query}", headers=AUTH)
    assert response.status_code == 400 and response.json["error"] == "invalid" and response.json["detail"]
