"""The Admin UI's Principals › Groups (groups org model): the groups list, a group's page, and an Administrator
assigning and unassigning roles to a group (StrongDM docs "admin/principals/groups")."""

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.exceptions import NotFound

from sim.scim.errors import ScimError
from sim.strongdm.admin.common import actor
from sim.strongdm.admin.common import bp
from sim.strongdm.admin.common import sdm
from sim.web import error_pages
from sim.web import guards
from sim.web import pager

HISTORY_SHOWN = 50  # the newest *History records on a group's page


def _groups_model_only():
    """In a roles (legacy) org there are no groups to show: StrongDM's own UI has no Groups page there."""
    if sdm().org_model != "groups":
        raise NotFound()


@bp.get("/groups")
@guards.login_required
def groups():
    """Groups, searchable and paged: members, who manages them, the roles assigned."""
    _groups_model_only()
    number, size, offset = pager.page_args()
    search = request.args.get("q", "").strip()[:200] or None
    accounts = sdm().accounts
    found = accounts.group_set.page(offset, size, search=search)
    ids = [group["id"] for group in found]
    counts, grants = accounts.group_set.member_counts(ids), accounts.grants_of_groups(ids)
    roles = {role["id"]: role for role in accounts.all_roles()}
    items = [(group, counts[group["id"]], [roles[g["role_id"]] for g in grants[group["id"]] if g["role_id"] in roles])
             for group in found]
    page = pager.Page(items, number, size, accounts.group_set.count(search=search))
    return render_template("sdm_groups.html", page=page, search=search)


@bp.get("/groups/<group_id>")
@guards.login_required
def group(group_id):
    """One group: its members (paged), the roles assigned to it, its history."""
    _groups_model_only()
    accounts = sdm().accounts
    found = accounts.group_set.find(group_id)
    if found is None:
        raise NotFound()
    number, size, offset = pager.page_args()
    members = [m[0] for m in accounts.group_set.members(group_id, offset=offset, limit=size)]
    page = pager.Page(members, number, size, accounts.group_set.count_members(group_id))
    roles = {role["id"]: role for role in accounts.all_roles()}
    grants = [(grant, roles.get(grant["role_id"])) for grant in accounts.grants_of_groups([group_id])[group_id]]
    held = {grant["role_id"] for grant, _ in grants}
    return render_template("sdm_group.html", group=found, page=page, grants=grants,
                           assignable=[r for r in roles.values() if r["id"] not in held],
                           history=accounts.group_history.of_group(group_id, HISTORY_SHOWN))


@bp.post("/groups/<group_id>/roles")
@guards.admin_required
def assign_role(group_id):
    """Assign a role to a group (SCIM-managed groups too: the IdP sends members, never roles)."""
    _groups_model_only()
    accounts = sdm().accounts
    if accounts.group_set.find(group_id) is None:
        raise NotFound()
    role = accounts.find_role(request.form.get("role_id", ""))
    if role is None:
        return error_pages.error_page(400, "Choose a role from the list.", title="No such role")
    try:
        accounts.grant_role(group_id, role["id"], actor=actor())
    except ScimError as error:  # assigned already (a second tab, a double click)
        return error_pages.error_page(409, error.detail, title="Already assigned")
    flash(f"Assigned role {role['name']}.", "ok")
    return redirect(url_for("admin.group", group_id=group_id))


@bp.post("/groups/<group_id>/roles/<grant_id>/unassign")
@guards.admin_required
def unassign_role(group_id, grant_id):
    """Take a role back from a group."""
    _groups_model_only()
    accounts = sdm().accounts
    grant = accounts.find_grant(grant_id)
    if grant is None or grant["group_id"] != group_id:
        raise NotFound()
    accounts.revoke_role(grant_id, actor=actor())
    role = accounts.find_role(grant["role_id"])
    flash(f"Unassigned role {role['name'] if role else grant['role_id']}.", "ok")
    return redirect(url_for("admin.group", group_id=group_id))
