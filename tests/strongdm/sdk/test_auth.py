"""Request signatures: the server recomputes what the SDK's `Client.sign` sends, for today or yesterday."""

import base64
import datetime as dt

import pytest

from sim.strongdm.sdk.auth import sign
from sim.strongdm.sdk.auth import verify
from sim.strongdm.sdk.errors import AuthenticationError

SECRET = b"0123456789abcdef0123456789abcdef"
KEY = "auth-00000000000000aa"
TODAY = dt.date(2026, 3, 1)
BODY = b"\x12\x05hello"


def secrets_of(access_key):
    return SECRET if access_key == KEY else None


def metadata(signature: bytes, key: str = KEY):
    return (("x-sdm-authentication", key), ("x-sdm-signature", base64.b64encode(signature).decode()),
            ("x-sdm-api-version", "2025-04-14"))


def test_sign_matches_the_sdk_client_byte_for_byte():
    strongdm = pytest.importorskip("strongdm")
    client = strongdm.Client(KEY, base64.b64encode(SECRET).decode(), host="127.0.0.1:1", insecure=True)
    try:
        today = dt.datetime.now(dt.UTC).date()
        expected = base64.b64decode(client.sign("Accounts.List", BODY))
        # Retry once if the SDK signed just before UTC midnight and we read the date after it.
        assert sign(SECRET, "Accounts.List", BODY, today) == expected or \
            sign(SECRET, "Accounts.List", BODY, today - dt.timedelta(days=1)) == expected
    finally:
        client.close()


@pytest.mark.parametrize("signed_on", [TODAY, TODAY - dt.timedelta(days=1)])
def test_signatures_from_today_and_yesterday_are_accepted(signed_on):
    signature = sign(SECRET, "Roles.List", BODY, signed_on)
    assert verify(metadata(signature), "Roles.List", BODY, secrets_of, today=TODAY) == KEY


@pytest.mark.parametrize(("signed_on", "method", "body"), [
    (TODAY - dt.timedelta(days=2), "Roles.List", BODY),
    (TODAY + dt.timedelta(days=1), "Roles.List", BODY),
    (TODAY, "Roles.Get", BODY),
    (TODAY, "Roles.List", BODY + b"\x00"),
])
def test_a_signature_for_another_day_method_or_body_is_refused(signed_on, method, body):
    signature = sign(SECRET, method, body, signed_on)
    with pytest.raises(AuthenticationError, match="signature"):
        verify(metadata(signature), "Roles.List", BODY, secrets_of, today=TODAY)


@pytest.mark.parametrize(("md", "message"), [
    ((), "missing"),
    ((("x-sdm-signature", "AAAA"),), "missing"),
    ((("x-sdm-authentication", "auth-nope"), ("x-sdm-signature", "AAAA")), "access key"),
    ((("x-sdm-authentication", KEY),), "signature"),
    ((("x-sdm-authentication", KEY), ("x-sdm-signature", "not base64!")), "signature"),
])
def test_missing_or_unknown_credentials_are_refused(md, message):
    with pytest.raises(AuthenticationError, match=message):
        verify(md, "Roles.List", BODY, secrets_of, today=TODAY)


def test_signature_checking_can_be_switched_off_but_the_key_is_still_checked():
    assert verify(metadata(b"junk"), "Roles.List", BODY, secrets_of, today=TODAY, check_signature=False) == KEY
    with pytest.raises(AuthenticationError):
        verify(metadata(b"junk", key="auth-nope"), "Roles.List", BODY, secrets_of, check_signature=False)
