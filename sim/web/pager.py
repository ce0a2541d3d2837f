"""Paging of long console lists: `?page=&size=` arguments and the `Page` a pager template draws."""

from dataclasses import dataclass

from flask import request
from flask import url_for

MAX_PAGE = 1_000_000


def page_args(default_size: int = 50, max_size: int = 200) -> tuple[int, int, int]:
    """(page number, page size, offset) from `?page=&size=`; bad values fall back to the defaults."""
    def number(name: str, default: int, top: int) -> int:
        raw = request.args.get(name, "")
        # isascii: "²".isdigit() is True but int("²") fails.
        return min(int(raw), top) if raw.isascii() and raw.isdigit() and int(raw) >= 1 else default
    page = number("page", 1, MAX_PAGE)
    size = number("size", default_size, max_size)
    return page, size, (page - 1) * size


@dataclass
class Page:
    """One page of a long list, with what the pager needs (counts come from SQL, never from a full load)."""

    items: list
    number: int
    size: int
    total: int | None  # None: not counted (a log too big to count per view); `more` says if a next page exists
    more: bool = False

    @property
    def pages(self) -> int | None:
        """How many pages there are (at least one, so "page 1 of 1" reads right when empty)."""
        return None if self.total is None else max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """1-based index of the first item shown (0 when none)."""
        return 0 if not self.items else (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        """1-based index of the last item shown."""
        return 0 if not self.items else self.first + len(self.items) - 1

    @property
    def has_prev(self) -> bool:
        """True when a previous page exists."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """True when a next page exists."""
        return self.more if self.total is None else self.number < self.pages

    def url(self, number: int) -> str:
        """This page's URL with another page number, keeping the other query arguments."""
        args = {**request.args.to_dict(), **(request.view_args or {}), "page": number}
        return url_for(request.endpoint, **args)
