"""Helpers for the inspector tests: exchanges in the exchanges.jsonl shape, and a clock that does not move."""

from sim.inspect.exchange import exchange

HEADERS = {"Accept": "application/scim+json", "User-Agent": "test"}
ADA = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada@example.com",
       "externalId": "ext-ada", "emails": [{"value": "ada.work@example.com"}]}


def at_noon() -> float:
    return 1_767_268_800.0  # 2026-01-01T12:00:00Z


def create_user(user_name: str = "ada@example.com", scim_id: str = "a-1") -> dict:
    return exchange("POST", "/Users", HEADERS, {**ADA, "userName": user_name}, 201,
                    {**ADA, "userName": user_name, "id": scim_id})


def create_group(name: str = "Engineering", scim_id: str = "r-1", members=()) -> dict:
    return exchange("POST", "/Groups", HEADERS, {"displayName": name, "members": [{"value": m} for m in members]},
                    201, {"displayName": name, "id": scim_id})


def add_member(group_id: str, user_id: str) -> dict:
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": user_id}]}]}
    return exchange("PATCH", f"/Groups/{group_id}", HEADERS, body, 204, None)


def remove_member(group_id: str, user_id: str) -> dict:
    body = {"Operations": [{"op": "remove", "path": f'members[value eq "{user_id}"]'}]}
    return exchange("PATCH", f"/Groups/{group_id}", HEADERS, body, 204, None)


def lookup(user_name: str) -> dict:
    return exchange("GET", f"/Users?filter=userName%20eq%20%22{user_name}%22", HEADERS, None, 200,
                    {"Resources": [], "totalResults": 0})


CREDENTIAL = "ok"
AUTH = {"X-Test-Key": CREDENTIAL}
