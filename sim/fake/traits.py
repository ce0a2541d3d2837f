"""Per-user account traits without Faker: MFA and TOTP enrolment, locked and expired accounts, custom attributes, SSH keys.

Field names follow JumpCloud's v1 `systemuserreturn` (API v1 spec, docs/api/1.0/index.yaml): `mfa`,
`mfaEnrollment`, `totp_enabled`, `account_locked`, `password_expired`, `attributes` (`{name, value}`),
`ssh_keys` (`{_id, name, public_key, create_date}`).
"""

import base64
import random
import struct

from sim.fake.data import Office
from sim.fake.times import iso_ms

MFA_SHARE = 0.75  # of active users, MFA configured
TOTP_SHARE = 0.8  # of those, TOTP enrolled (the rest use JumpCloud Protect push only)
LOCKED_SHARE = 0.015
EXPIRED_SHARE = 0.02
SSH_DEPARTMENTS = frozenset({"Engineering", "Data", "Security", "IT"})
FIRST_TRAIT_AT, PLANT_BEFORE = 8, 30  # one locked and one password-expired account among the first 30 hires


class Security:
    """MFA, lock and password state per hire; one locked and one expired account are planted by the seed."""

    def __init__(self, seed: int):
        plan = random.Random(f"{seed}:security")
        self._planted = dict(zip(plan.sample(range(FIRST_TRAIT_AT, PLANT_BEFORE), 2), ("locked", "expired"),
                                 strict=True))
        self._pending: list[str] = []

    def __call__(self, rng: random.Random, state: str, i: int, created: int, now_ms: int) -> dict:
        """The hire's security fields; draws a fixed number of values from its stream."""
        r_mfa, r_totp, r_lock, r_expired, r_exclusion = (rng.random() for _ in range(5))
        hours = rng.randrange(1, 72)
        if i in self._planted:
            self._pending.append(self._planted[i])
        active = state == "ACTIVATED"
        configured = active and r_mfa < MFA_SHARE
        totp = configured and r_totp < TOTP_SHARE
        locked = active and r_lock < LOCKED_SHARE
        expired = active and r_expired < EXPIRED_SHARE
        if active and self._pending:
            trait = self._pending.pop(0)
            locked, expired = locked or trait == "locked", expired or trait == "expired"
        exclusion = not configured and active and r_exclusion < 0.1
        enrolled = "ENROLLED" if configured else "NOT_ENROLLED"
        return {
            "mfa": {"configured": configured, "exclusion": exclusion, "exclusionDays": 7 if exclusion else 0},
            "mfaEnrollment": {
                "overallStatus": enrolled,
                "pushStatus": "ENROLLED" if configured and not totp else "NOT_ENROLLED",
                "totpStatus": "ENROLLED" if totp else "NOT_ENROLLED",
                "webAuthnStatus": "NOT_ENROLLED",
            },
            "totp_enabled": totp,
            "account_locked": locked,
            "account_locked_date": iso_ms(now_ms - hours * 3_600_000) if locked else None,
            "password_expired": expired,
        }


def custom_attributes(rng: random.Random, office: Office, created_iso: str) -> list[dict]:
    """Custom attributes: the office's locale, time zone and language (pushed over SCIM), start date, badge."""
    return [
        {"name": "locale", "value": office.language},
        {"name": "timezone", "value": office.timezone},
        {"name": "preferredLanguage", "value": office.language},
        {"name": "startDate", "value": created_iso[:10]},
        {"name": "badgeId", "value": f"{office.code}-{rng.randrange(10**5):05d}"},
    ]


def ssh_keys(rng: random.Random, department: str, username: str, key_id: str, created_iso: str) -> list[dict]:
    """One syntactically valid ed25519 public key (RFC 8709 §4) for engineering-type departments, else none."""
    blob = rng.randbytes(32)  # drawn for everyone, so other departments' streams stay aligned
    if department not in SSH_DEPARTMENTS:
        return []
    kind = b"ssh-ed25519"
    wire = struct.pack(">I", len(kind)) + kind + struct.pack(">I", len(blob)) + blob
    key = f"ssh-ed25519 {base64.b64encode(wire).decode()} {username}@laptop"
    return [{"_id": key_id, "name": "laptop", "public_key": key, "create_date": created_iso}]
