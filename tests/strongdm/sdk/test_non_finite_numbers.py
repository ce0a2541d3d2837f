"""The SDK API parses a role's access rules as JSON: NaN and Infinity, which the SDK's json.dumps writes, are refused."""

import math

import pytest

strongdm = pytest.importorskip("strongdm")


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_access_rules_with_a_non_finite_number_are_a_bad_request_and_store_nothing(client, sdm, number):
    role = strongdm.Role(name="Numbers", access_rules=[{"tags": {"env": "prod"}, "weight": number}])
    with pytest.raises(strongdm.errors.BadRequestError, match="access_rules must be JSON"):
        client.roles.create(role)
    assert sdm.accounts.find_role_by_name("Numbers") is None
