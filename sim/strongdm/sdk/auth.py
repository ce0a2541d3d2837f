"""The SDK's request signature (strongdm/client.py `Client.sign`), recomputed and checked server-side.

signing key = HMAC-SHA256(HMAC-SHA256(secret, UTC date "YYYY-MM-DD"), "sdm_api_v1");
signature   = base64(HMAC-SHA256(signing key, SHA-256(short method name + "\\n" + request bytes))).
The client signs with its own clock's UTC date (`datetime.now(timezone.utc)` in `Client.sign`), so
today's and yesterday's dates are both accepted to survive a call that crosses midnight.
"""

import base64
import binascii
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable

from sim.strongdm.sdk.errors import AuthenticationError

ACCESS_KEY_HEADER = "x-sdm-authentication"
SIGNATURE_HEADER = "x-sdm-signature"


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, msg=message, digestmod=hashlib.sha256).digest()


def sign(secret: bytes, method: str, request_bytes: bytes, date: dt.date) -> bytes:
    """The raw signature the SDK sends (before base64) for `method` (e.g. "Accounts.List") on `date`."""
    key = _hmac(_hmac(secret, date.strftime("%Y-%m-%d").encode()), b"sdm_api_v1")
    digest = hashlib.sha256(method.encode() + b"\n" + request_bytes).digest()
    return _hmac(key, digest)


def utc_today() -> dt.date:
    """Today's date in UTC (wall clock: the SDK signs with the real date, not the store's clock)."""
    return dt.datetime.now(dt.UTC).date()


def verify(metadata, method: str, request_bytes: bytes, secret_for: Callable[[str], bytes | None], *,
           today: dt.date | None = None, check_signature: bool = True) -> str:
    """Check a call's access key and signature; return the access key or raise AuthenticationError."""
    headers = {}
    for key, value in metadata or ():
        headers.setdefault(key.lower(), value)
    access_key = headers.get(ACCESS_KEY_HEADER, "")
    if isinstance(access_key, bytes):
        access_key = access_key.decode("utf-8", "replace")
    if not access_key:
        raise AuthenticationError("missing API access key")
    secret = secret_for(access_key)
    if secret is None:
        raise AuthenticationError("invalid API access key")
    if not check_signature:
        return access_key
    try:
        given = base64.b64decode(headers.get(SIGNATURE_HEADER, ""), validate=True)
    except (binascii.Error, ValueError):
        raise AuthenticationError("invalid request signature") from None
    today = today or utc_today()
    for date in (today, today - dt.timedelta(days=1)):
        if hmac.compare_digest(given, sign(secret, method, request_bytes, date)):
            return access_key
    raise AuthenticationError("invalid request signature")
