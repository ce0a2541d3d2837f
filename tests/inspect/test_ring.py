"""The exchange ring: what it keeps of an exchange, what it hides, how much it holds, and how it filters and pages."""

import pytest

from sim.inspect.exchange import exchange
from sim.inspect.ring import ExchangeRing
from tests.inspect.helpers import HEADERS
from tests.inspect.helpers import add_member
from tests.inspect.helpers import at_noon
from tests.inspect.helpers import create_group
from tests.inspect.helpers import create_user
from tests.inspect.helpers import lookup
from tests.inspect.helpers import remove_member


def ring(size=100, max_body=8192) -> ExchangeRing:
    return ExchangeRing(size, max_body, clock=at_noon)


def only(r: ExchangeRing, **filters) -> list[dict]:
    return r.page(**filters)[0]


def test_an_exchange_is_kept_in_the_exchanges_jsonl_shape_with_its_id_and_time():
    r = ring()
    r(create_user())
    [doc] = only(r)
    assert doc == {**create_user(), "id": 1, "time": "2026-01-01T12:00:00.000Z"}


def test_the_authorization_cookie_and_api_key_values_are_redacted_but_the_scheme_stays():
    r = ring()
    r(exchange("GET", "/Users", {"Authorization": "Bearer s3cr3t-token", "Cookie": "session=abc",
                                 "X-Api-Key": "k" * 40, "Accept": "application/json"}, None, 200, None))
    headers = only(r)[0]["headers"]
    assert headers == {"Authorization": "Bearer [redacted]", "Cookie": "[redacted]", "X-Api-Key": "[redacted]",
                       "Accept": "application/json"}


def test_a_credential_without_a_scheme_is_redacted_whole():
    r = ring()
    r(exchange("GET", "/Users", {"authorization": "s3cr3t"}, None, 401, None))
    assert only(r)[0]["headers"] == {"authorization": "[redacted]"}


def test_the_ring_holds_the_last_n_and_counts_every_one():
    r = ring(size=3)
    for n in range(5):
        r(create_user(f"user{n}@example.com", f"a-{n}"))
    docs, total = r.page()
    assert [d["id"] for d in docs] == [5, 4, 3] and total == 3
    assert r.recorded == 5


def test_a_body_over_the_cap_is_kept_as_its_start_and_marked_truncated():
    r = ring(max_body=100)
    big = {"userName": "x" * 500}
    r(exchange("POST", "/Users", HEADERS, big, 400, "e" * 300))
    doc = only(r)[0]
    assert isinstance(doc["body"], str) and doc["body"].startswith('{"userName":"xxx') and len(doc["body"]) == 104
    assert doc["response_body"] == "e" * 100 + " ..."
    assert doc["truncated"] == {"body": 515, "response_body": 300}


def test_a_body_under_the_cap_is_not_marked():
    r = ring(max_body=10_000)
    r(create_user())
    assert "truncated" not in only(r)[0]


def test_what_the_caller_changes_after_recording_does_not_change_the_record():
    r = ring()
    doc = create_user()
    r(doc)
    doc["body"]["userName"] = "changed"
    doc["headers"]["Accept"] = "changed"
    kept = only(r)[0]
    assert kept["body"]["userName"] == "ada@example.com" and kept["headers"]["Accept"] != "changed"


def test_filter_by_user_matches_its_lookups_creates_and_memberships_case_insensitively():
    r = ring()
    r(lookup("ada@example.com"))
    r(create_user("ada@example.com", "a-1"))
    r(create_user("bob@example.com", "a-2"))
    r(create_group("Engineering", "r-1", members=["a-1"]))
    r(add_member("r-9", "a-2"))
    r(remove_member("r-1", "a-1"))
    paths = [(d["method"], d["path"]) for d in only(r, user="ADA@example")][::-1]
    assert paths == [("GET", "/Users?filter=userName%20eq%20%22ada@example.com%22"), ("POST", "/Users"),
                     ("POST", "/Groups"), ("PATCH", "/Groups/r-1")]


def test_filter_by_user_also_matches_its_email_external_id_and_scim_id():
    r = ring()
    r(create_user("ada@example.com", "a-1"))
    r(create_user("bob@example.com", "a-2"))
    for needle in ("ada.work", "ext-ada", "a-1"):
        assert len(only(r, user=needle)) in (1, 2), needle
    assert [d["response_body"]["id"] for d in only(r, user="bob")] == ["a-2"]


def test_filter_by_group_matches_its_name_and_id_but_not_users():
    r = ring()
    r(create_group("Engineering", "r-1"))
    r(create_group("Finance", "r-2"))
    r(add_member("r-1", "a-1"))
    r(create_user("engineering@example.com", "a-3"))
    assert [(d["method"], d["path"]) for d in only(r, group="engineer")] == [("PATCH", "/Groups/r-1"),
                                                                            ("POST", "/Groups")]
    assert only(r, group="nothing") == []


def test_pages_are_newest_first_with_the_total_of_matches():
    r = ring()
    for n in range(7):
        r(create_user(f"user{n}@example.com", f"a-{n}"))
    docs, total = r.page(offset=2, limit=3)
    assert [d["id"] for d in docs] == [5, 4, 3] and total == 7
    assert r.page(offset=10, limit=3) == ([], 7)


def test_hostile_shapes_are_recorded_without_raising():
    r = ring()
    r(exchange("PATCH", "/Groups/%ZZ", {"a": "b"}, {"Operations": "nope", "members": 3}, 400, [1, 2]))
    r(exchange("PATCH", "/Groups/x", {}, {"Operations": [1, {"value": {"members": "x"}}, {"path": 5}]}, None, None))
    r(exchange("", "", {}, ["x"], "200", {"Resources": "x"}))
    r(exchange("GET", "//[x/Users", {}, None, 200, None))
    assert r.recorded == 4 and only(r)[1]["status"] is None  # a status that is not a number: none
    assert only(r, user="x") == [] and len(only(r, group="x")) == 1


def test_headers_are_capped_in_number_and_length():
    r = ring()
    r(exchange("GET", "/Users", {f"h{n}" * 100: "v" * 1000 for n in range(100)}, None, 200, None))
    headers = only(r)[0]["headers"]
    assert len(headers) == 30 and all(len(k) == 100 and len(v) == 200 for k, v in headers.items())


def test_what_a_hostile_body_names_is_bounded_in_the_ring():
    r = ring(max_body=100)
    many = {"Resources": [{"id": "i" * 10_000, "userName": f"u{n}" + "x" * 10_000} for n in range(1000)]}
    members = {"members": [{"value": f"a-{n:016x}"} for n in range(5000)] + [{"value": "y" * 65}]}
    r(exchange("GET", "/Users/" + "p" * 10_000, HEADERS, None, 200, many))
    r(exchange("PATCH", "/Groups/g", HEADERS, members, 200, None))
    users, group = r.select()
    terms, ids = users.index().terms.split("\n"), group.index().members.split("\n")
    assert len(terms) <= 32 and all(len(t) <= 200 for t in terms) and len(users.path) <= 2048
    assert len(ids) == 1000 and all(len(m) == 18 for m in ids)


def test_a_ring_needs_room():
    with pytest.raises(ValueError):
        ExchangeRing(0)


def test_filter_by_user_follows_its_id_into_changes_that_do_not_name_it():
    r = ring()
    r(create_user("ada@example.com", "a-1"))
    r(exchange("PATCH", "/Users/a-1", HEADERS, {"Operations": [{"op": "replace", "path": "active", "value": False}]},
               200, None))
    r(exchange("DELETE", "/Users/a-1", HEADERS, None, 204, None))
    r(exchange("DELETE", "/Users/a-2", HEADERS, None, 204, None))
    assert [d["method"] for d in only(r, user="ada")] == ["DELETE", "PATCH", "POST"]


def test_a_membership_patch_cut_to_the_cap_still_counts_for_its_members():
    r = ring(max_body=300)
    r(create_user("ada@example.com", "a-1"))
    many = [f"a-{n:016x}" for n in range(100)] + ["a-1"]
    r(exchange("PATCH", "/Groups/r-1", HEADERS, {"Operations": [{"op": "add", "path": "members",
                                                               "value": [{"value": m} for m in many]}]}, 204, None))
    patch = only(r, user="ada")[0]
    assert patch["path"] == "/Groups/r-1" and "body" in patch["truncated"]
