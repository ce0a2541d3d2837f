"""Cursor paging: page sizes, cursors that survive inserts and deletes, and forged cursors."""

from types import SimpleNamespace

import pytest

from sim.strongdm.sdk.errors import BadRequestError
from sim.strongdm.sdk.paging import DEFAULT_LIMIT
from sim.strongdm.sdk.paging import MAX_LIMIT
from sim.strongdm.sdk.paging import decode_cursor
from sim.strongdm.sdk.paging import encode_cursor
from sim.strongdm.sdk.paging import page_size
from sim.strongdm.sdk.paging import paginate


def meta(cursor="", limit=0):
    return SimpleNamespace(cursor=cursor, limit=limit)


def rows(n, start=1):
    return [(seq, {"n": seq}) for seq in range(start, start + n)]


def walk(source, keep=lambda item: True, limit=0):
    seen, cursor = [], ""
    for _ in range(1000):
        page = paginate(source(), keep, meta(cursor, limit))
        seen.append([item["n"] for item in page.items])
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor
    raise AssertionError("paging never ended")


@pytest.mark.parametrize(("n", "limit", "pages"), [
    (0, 2, [[]]),
    (1, 2, [[1]]),
    (2, 2, [[1, 2]]),
    (5, 2, [[1, 2], [3, 4], [5]]),
    (3, 0, [[1, 2, 3]]),
])
def test_pages_follow_the_limit_and_the_last_cursor_is_empty(n, limit, pages):
    assert walk(lambda: rows(n), limit=limit) == pages


def test_the_filter_applies_before_paging_and_total_counts_matches():
    page = paginate(rows(10), lambda item: item["n"] % 2 == 0, meta(limit=2))
    assert ([i["n"] for i in page.items], page.total) == ([2, 4], 5)
    assert walk(lambda: rows(10), lambda item: item["n"] % 2 == 0, limit=2) == [[2, 4], [6, 8], [10]]


def test_rows_deleted_or_added_between_pages_neither_repeat_nor_shift():
    first = paginate(rows(6), lambda item: True, meta(limit=2))
    later = [r for r in rows(8) if r[0] not in (1, 3)]  # 1 and 3 deleted, 7 and 8 added
    second = paginate(later, lambda item: True, meta(first.next_cursor, 2))
    assert [i["n"] for i in second.items] == [4, 5]


@pytest.mark.parametrize(("limit", "size"), [(0, DEFAULT_LIMIT), (1, 1), (MAX_LIMIT + 1, MAX_LIMIT)])
def test_page_size_defaults_and_caps(limit, size):
    assert page_size(limit) == size


@pytest.mark.parametrize("cursor", ["x", "!!!", encode_cursor(3)[:-2] + "zz", "c2ltMTp4"])
def test_forged_cursors_and_negative_limits_are_bad_requests(cursor):
    with pytest.raises(BadRequestError):
        decode_cursor(cursor)
    with pytest.raises(BadRequestError):
        page_size(-1)


def test_cursors_round_trip():
    assert decode_cursor(encode_cursor(12345)) == 12345
    assert decode_cursor("") == 0
