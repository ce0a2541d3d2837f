"""Account traits with a realistic spread: MFA and TOTP, locked and expired, locale by office, SSH keys, phones."""

import base64
import re
import struct

import pytest

from sim.fake.data import OFFICES
from sim.fake.directory import make_directory

# NANP 555-0100..0199 and Ofcom's drama ranges: the only numbers the directory may hold.
FICTIONAL = re.compile(r"^\+1 \d{3} 555 01\d\d$|^\+44 20 7946 0\d{3}$|^\+44 7700 900\d{3}$")


def attrs(u) -> dict:
    return {a["name"]: a["value"] for a in u["attributes"]}


def test_mfa_and_totp_are_spread(directory):
    active = [u for u in directory.users if u["state"] == "ACTIVATED"]
    configured = sum(u["mfa"]["configured"] for u in active)
    totp = sum(u["totp_enabled"] for u in active)
    assert 0.5 * len(active) < configured < 0.95 * len(active)
    assert 0 < totp < configured
    assert all(u["mfa"]["configured"] for u in directory.users if u["totp_enabled"])
    assert all((u["mfaEnrollment"]["totpStatus"] == "ENROLLED") == u["totp_enabled"] for u in directory.users)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_few_accounts_are_locked_and_password_expired_from_thirty_users(seed):
    users = make_directory(seed, 30, 0).users
    assert any(u["account_locked"] for u in users) and any(u["password_expired"] for u in users)
    big = make_directory(seed, 600, 0).users
    assert sum(u["account_locked"] for u in big) < 0.05 * len(big)
    assert all(u["account_locked_date"] for u in big if u["account_locked"])


def test_locale_timezone_and_language_match_the_office(directory):
    offices = {o.city: o for o in OFFICES}
    for u in directory.users:
        office, a = offices[u["location"]], attrs(u)
        assert (a["locale"], a["timezone"], a["preferredLanguage"]) == (office.language, office.timezone,
                                                                         office.language)
    assert len({attrs(u)["timezone"] for u in directory.users}) > 3


def test_engineers_have_a_valid_ed25519_key_and_others_none(directory):
    for u in directory.users:
        if u["department"] not in ("Engineering", "Data", "Security", "IT"):
            assert u["ssh_keys"] == []
            continue
        (key,) = u["ssh_keys"]
        kind, blob, comment = key["public_key"].split()
        wire = base64.b64decode(blob)
        assert kind == "ssh-ed25519" and wire[:15] == struct.pack(">I", 11) + b"ssh-ed25519"
        assert len(wire) == 15 + 4 + 32 and comment == f"{u['username']}@laptop"


def test_phone_numbers_come_only_from_fictional_ranges(directory):
    numbers = [p["number"] for u in directory.users for p in u["phoneNumbers"]]
    assert numbers and all(FICTIONAL.match(n) for n in numbers), [n for n in numbers if not FICTIONAL.match(n)][:5]
