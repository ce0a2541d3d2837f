"""Listing pages of Users and Groups costs the same number of queries whatever the page size (no query per row)."""

from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import BASE
from tests.strongdm.receiver.helpers import create_group
from tests.strongdm.receiver.helpers import create_user
from tests.strongdm.receiver.helpers import statements_for


def _org(client, users=12, groups=6):
    ids = [create_user(client, f"user{n}@example.test")["id"] for n in range(users)]
    for n in range(groups):
        create_group(client, f"Team {n}", ids[n:n + 4])


def _selects(app, client, path, count):
    response = []
    statements = statements_for(app, lambda: response.append(client.get(f"{BASE}/{path}?count={count}", headers=AUTH)))
    assert response[0].status_code == 200 and len(response[0].json["Resources"]) == count
    return len(statements)


def test_a_users_page_reads_its_groups_in_one_query(client, app):
    _org(client)
    assert _selects(app, client, "Users", 10) == _selects(app, client, "Users", 2)


def test_a_groups_page_reads_its_members_in_one_query(client, app):
    _org(client)
    assert _selects(app, client, "Groups", 6) == _selects(app, client, "Groups", 2)


def _patch_selects(app, client, group_id, member_ids):
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": m} for m in member_ids]}]}
    response = []
    statements = statements_for(app, lambda: response.append(
        client.patch(f"{BASE}/Groups/{group_id}", json=body, headers=AUTH)))
    assert response[0].status_code == 200, response[0].json
    return len(statements)


def test_adding_members_looks_each_member_up_once_in_one_query(client, app):
    ids = [create_user(client, f"user{n}@example.test")["id"] for n in range(12)]
    one, other = create_group(client, "One"), create_group(client, "Other")
    assert _patch_selects(app, client, one["id"], ids[:10]) == _patch_selects(app, client, other["id"], ids[10:])
