"""The consoles' request inspector page: the filters from the query and one page of the app's exchange ring."""

import json

from flask import current_app
from flask import render_template
from flask import request

from sim.inspect.ring import MAX_TERM
from sim.web import pager

PAGE_SIZE = 25


def pretty(value) -> str:
    """A recorded body for a <pre>: indented JSON, a string as it is, a dash for none."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def inspector_page(template: str, **context):
    """Render `template` with `page` (a pager.Page of exchanges, newest first), `filters`, `ring` and `pretty`."""
    ring = current_app.extensions["inspector"].ring
    filters = {name: request.args.get(name, "").replace("\0", "").strip()[:MAX_TERM] for name in ("user", "group")}
    number, size, offset = pager.page_args(PAGE_SIZE, 100)
    items, total = ring.page(user=filters["user"] or None, group=filters["group"] or None, offset=offset, limit=size)
    return render_template(template, page=pager.Page(items, number, size, total), filters=filters, ring=ring,
                           pretty=pretty, **context)
