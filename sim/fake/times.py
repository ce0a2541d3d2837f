"""Times as JumpCloud writes them."""

import datetime as dt

_NAIVE_EPOCH = dt.datetime(1970, 1, 1)


def iso_ms(ms: int) -> str:
    """Milliseconds since the epoch as JumpCloud writes times: ISO 8601, milliseconds, `Z`."""
    # isoformat is C-fast where strftime is not, and 100,000 users each need one.
    return (_NAIVE_EPOCH + dt.timedelta(milliseconds=ms)).isoformat(timespec="milliseconds") + "Z"
