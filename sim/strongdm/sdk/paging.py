"""Cursor paging for the API's List calls: opaque `next_cursor`, empty on the last page, `meta.limit` honoured.

The SDK's list generators resend the request with `meta.cursor = next_cursor` until it is empty
(strongdm/svc.py). Cursors here are keyset positions (the row's insertion sequence), so rows created
or deleted between pages neither repeat nor shift the rest. The real default and maximum page sizes
are undocumented; these are the simulator's.
"""

import base64
import binascii
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass

from sim.strongdm.sdk.errors import BadRequestError

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
CURSOR_PREFIX = "sim1:"


@dataclass
class Page:
    """One page of items, the cursor for the next one ("" when done) and the total that matched."""

    items: list
    next_cursor: str
    total: int


def encode_cursor(seq: int) -> str:
    """An opaque cursor pointing after row `seq`."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{seq}".encode()).decode("ascii")


def decode_cursor(cursor: str) -> int:
    """The row sequence a cursor points after (0 for no cursor); BadRequestError for a forged one."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise BadRequestError("invalid cursor") from None
    if not text.startswith(CURSOR_PREFIX) or not text[len(CURSOR_PREFIX):].isdigit():
        raise BadRequestError("invalid cursor")
    return int(text[len(CURSOR_PREFIX):])


def page_size(limit: int) -> int:
    """The page size for a requested `meta.limit` (0 means the default; too large is capped)."""
    if limit < 0:
        raise BadRequestError("invalid limit: must not be negative")
    return min(limit or DEFAULT_LIMIT, MAX_LIMIT)


def paginate(rows: Iterable[tuple[int, dict]], keep: Callable[[dict], bool], meta) -> Page:
    """Page `(seq, item)` rows in seq order through `keep`, per a `v1.ListRequestMetadata`."""
    after = decode_cursor(meta.cursor)
    size = page_size(meta.limit)
    items, last_seq, total, more = [], None, 0, False
    for seq, item in rows:
        if not keep(item):
            continue
        total += 1
        if seq <= after:
            continue
        if len(items) < size:
            items.append(item)
            last_seq = seq
        else:
            more = True
    return Page(items, encode_cursor(last_seq) if more else "", total)
