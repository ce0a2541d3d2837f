"""JumpCloud Console: a user group's membership rule (static, or one attribute filter) and the suggestions a
DYNAMIC_REVIEW_REQUIRED group waits on, approved one by one or all at once.

Assumed: JumpCloud's Console builds rules from several attribute filters; ours edits one (a rule with more,
made through the API, is kept as it is and shown read-only).
"""

from flask import flash
from flask import redirect
from flask import request
from flask import url_for

from sim.jumpcloud.console.common import actor
from sim.jumpcloud.console.common import bp
from sim.jumpcloud.console.common import jc
from sim.jumpcloud.console.common import or_404
from sim.jumpcloud.errors import JumpCloudError
from sim.web import guards

SHOWN = 100  # suggestions listed on a group's page; "Approve all" takes every one


def group_fields(group: dict) -> dict:
    """A group as its form shows it: name, description, method and its one filter (when it has one)."""
    filters = (group.get("memberQuery") or {}).get("filters") or []
    first = filters[0] if len(filters) == 1 else {}
    value = first.get("value")
    return {"name": group.get("name"), "description": group.get("description"),
            "membershipMethod": group.get("membershipMethod") or "STATIC", "query_field": first.get("field", ""),
            "query_operator": first.get("operator", "eq"),
            "query_value": "|".join(map(str, value)) if isinstance(value, list) else ("" if value is None else value),
            "rule_filters": len(filters)}


def group_form(form, current: dict) -> dict:
    """The group form as a UserGroup body: a rule typed in replaces the stored one, else the stored one stays."""
    body = {"name": form.get("name", ""), "description": form.get("description", "").strip(),
            "membershipMethod": form.get("membershipMethod") or current.get("membershipMethod") or "STATIC"}
    field = form.get("query_field", "").strip()
    if field:
        body["memberQuery"] = {"queryType": "FilterQuery", "filters": [
            {"field": field, "operator": form.get("query_operator", "eq"), "value": form.get("query_value", "")}]}
    elif current.get("memberQuery"):
        body["memberQuery"] = current["memberQuery"]
    if current.get("memberQueryExemptions"):
        body["memberQueryExemptions"] = current["memberQueryExemptions"]
    return body


def suggestion_rows(group: dict) -> list[tuple[dict, dict]]:
    """(suggestion, user) pairs for the first SHOWN pending suggestions of a review-required group."""
    if group.get("membershipMethod") != "DYNAMIC_REVIEW_REQUIRED":
        return []
    directory = jc().directory
    pending = directory.group_suggestions(group["id"], limit=SHOWN)
    return [(s, directory.get_user(s["object"]["id"])) for s in pending]


@bp.post("/groups/<group_id>/suggestions")
@guards.admin_required
def approve_suggestions(group_id):
    """Apply one suggestion (`user_id`) or every pending one (`all`)."""
    directory = jc().directory
    or_404(directory.get_group, group_id)
    try:
        if request.form.get("all"):
            applied = 0
            while pending := [s["object"]["id"] for s in directory.group_suggestions(group_id, limit=1000)]:
                applied += len(directory.apply_suggestions(group_id, pending, actor=actor())["suggestions_found"])
        else:
            result = directory.apply_suggestions(group_id, [request.form.get("user_id", "")], actor=actor())
            applied = len(result["suggestions_found"])
    except JumpCloudError as error:
        flash(error.message, "error")
        return redirect(url_for("console.group", group_id=group_id))
    flash(f"Applied {applied} suggestion{'s' if applied != 1 else ''}.", "ok")
    return redirect(url_for("console.group", group_id=group_id))
