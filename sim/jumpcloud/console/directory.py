"""JumpCloud Console: Users and User Groups (list, search, page, create, edit, suspend, activate, delete, members)."""

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from sim.jumpcloud.console.common import actor
from sim.jumpcloud.console.common import bp
from sim.jumpcloud.console.common import jc
from sim.jumpcloud.console.common import list_query
from sim.jumpcloud.console.common import or_404
from sim.jumpcloud.console.common import refused
from sim.jumpcloud.console.common import search_arg
from sim.jumpcloud.console.dynamic import group_fields
from sim.jumpcloud.console.dynamic import group_form
from sim.jumpcloud.console.dynamic import suggestion_rows
from sim.jumpcloud.directory import schema as d
from sim.jumpcloud.directory.shapes import clean_group_input
from sim.jumpcloud.directory.shapes import clean_user_input
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import JumpCloudError
from sim.web import guards
from sim.web import pager

USER_FIELDS = ("username", "email", "firstname", "lastname", "displayname", "department", "jobTitle",
               "employeeIdentifier")
GROUP_CHOICES = 500  # the "add to group" list on a user page; past that, add from the group's page


def _user_form(form, *, create: bool) -> dict:
    """The user form as a systemuser body, validated by the same rules as the API."""
    body = {name: form.get(name, "").strip() for name in USER_FIELDS if name in form}
    if not body.get("employeeIdentifier"):
        body.pop("employeeIdentifier", None)
    if create:
        body["state"] = "STAGED" if form.get("state") == "STAGED" else "ACTIVATED"
    if form.get("password"):
        body["password"] = form["password"]
    return clean_user_input(body, create=create)


# -- users ------------------------------------------------------------------------------------------------


@bp.get("/users")
@guards.admin_required
def users():
    """Users, searchable and paged."""
    number, size, offset = pager.page_args()
    search = search_arg()
    total, items = jc().directory.list_users(list_query(offset, size, search, d.USER_SPACE, [("username", False)]))
    return render_template("jc_users.html", page=pager.Page(items, number, size, total), search=search)


@bp.route("/users/new", methods=["GET", "POST"])
@guards.admin_required
def new_user():
    """Create a user (ACTIVATED, or STAGED when asked)."""
    if request.method == "GET":
        return render_template("jc_user_form.html", form={"state": "ACTIVATED"}, user=None)
    try:
        user = jc().directory.create_user(_user_form(request.form, create=True), actor=actor())
    except JumpCloudError as error:
        return refused(error, "jc_user_form.html", form=request.form, user=None)
    flash(f"Created {user['username']}.", "ok")
    return redirect(url_for("console.user", user_id=user["_id"]))


def _user_page(user: dict, form=None, status: int = 200):
    directory = jc().directory
    group_ids = directory.user_group_ids(user["_id"])
    groups = [directory.get_group(g) for g in group_ids]
    member_of = set(group_ids)
    choices = [g for g in directory.list_groups(list_query(0, GROUP_CHOICES, None, d.GROUP_SPACE, []))
               if g["id"] not in member_of]
    apps = [directory.get_app(a) for a in directory.apps_for_user(user["_id"])]
    page = render_template("jc_user.html", user=user, form=form or user, groups=groups, choices=choices, apps=apps)
    return page, status


@bp.get("/users/<user_id>")
@guards.admin_required
def user(user_id):
    """One user: details form, state actions, groups and the apps it reaches."""
    return _user_page(or_404(jc().directory.get_user, user_id))


@bp.post("/users/<user_id>")
@guards.admin_required
def edit_user(user_id):
    """Save a user's details (triggers an update push to bound apps)."""
    current = or_404(jc().directory.get_user, user_id)
    try:
        jc().directory.update_user(user_id, _user_form(request.form, create=False), actor=actor())
    except JumpCloudError as error:
        flash(error.message, "error")
        return _user_page(current, form=request.form, status=400)
    flash("User saved.", "ok")
    return redirect(url_for("console.user", user_id=user_id))


@bp.post("/users/<user_id>/<any(suspend, activate):action>")
@guards.admin_required
def set_user_state(user_id, action):
    """Suspend, or activate (from STAGED or SUSPENDED)."""
    or_404(jc().directory.get_user, user_id)
    state = "SUSPENDED" if action == "suspend" else "ACTIVATED"
    user = jc().directory.set_user_state(user_id, state, actor=actor())
    flash(f"{user['username']} is now {state.lower()}.", "ok")
    return redirect(url_for("console.user", user_id=user_id))


@bp.post("/users/<user_id>/delete")
@guards.admin_required
def delete_user(user_id):
    """Delete a user (direct reports lose their manager, as JumpCloud's cascade does)."""
    or_404(jc().directory.get_user, user_id)
    user = jc().directory.delete_user(user_id, cascade_manager=True, actor=actor())
    flash(f"Deleted {user['username']}.", "ok")
    return redirect(url_for("console.users"))


@bp.post("/users/<user_id>/groups")
@guards.admin_required
def user_groups(user_id):
    """Add the user to a group, or remove it from one."""
    or_404(jc().directory.get_user, user_id)
    op = "remove" if request.form.get("op") == "remove" else "add"
    group_id = request.form.get("group_id", "")
    try:
        group = jc().directory.get_group(group_id)
        jc().directory.change_membership(group_id, op, user_id, actor=actor())
    except JumpCloudError as error:
        flash(error.message, "error")
        return _user_page(jc().directory.get_user(user_id), status=400)
    flash(f"{'Added to' if op == 'add' else 'Removed from'} {group['name']}.", "ok")
    return redirect(url_for("console.user", user_id=user_id))


# -- user groups ------------------------------------------------------------------------------------------


@bp.get("/groups")
@guards.admin_required
def groups():
    """User groups, searchable and paged, with member counts."""
    number, size, offset = pager.page_args()
    search = search_arg()
    directory = jc().directory
    total, items = directory.list_groups_counted(list_query(offset, size, search, d.GROUP_SPACE, []))
    rows = [(group, directory.count_group_members(group["id"])) for group in items]
    return render_template("jc_groups.html", page=pager.Page(rows, number, size, total), search=search)


@bp.route("/groups/new", methods=["GET", "POST"])
@guards.admin_required
def new_group():
    """Create a STATIC user group."""
    if request.method == "GET":
        return render_template("jc_group_form.html", form={})
    try:
        group = jc().directory.create_group(clean_group_input(group_form(request.form, {})), actor=actor())
    except JumpCloudError as error:
        return refused(error, "jc_group_form.html", form=request.form)
    flash(f"Created {group['name']}.", "ok")
    return redirect(url_for("console.group", group_id=group["id"]))


def _group_page(group: dict, form=None, status: int = 200):
    directory = jc().directory
    number, size, offset = pager.page_args()
    members = [directory.get_user(u) for u in directory.group_member_ids(group["id"], skip=offset, limit=size)]
    page = pager.Page(members, number, size, directory.count_group_members(group["id"]))
    apps = [directory.get_app(a) for a in directory.group_app_ids(group["id"])]
    suggestions = suggestion_rows(group)
    return render_template("jc_group.html", group=group, form=form or group_fields(group), page=page, apps=apps,
                           suggestions=suggestions), status


@bp.get("/groups/<group_id>")
@guards.admin_required
def group(group_id):
    """One group: name and description, members (paged), the apps it is bound to."""
    return _group_page(or_404(jc().directory.get_group, group_id))


@bp.post("/groups/<group_id>")
@guards.admin_required
def edit_group(group_id):
    """Rename or re-describe a group."""
    current = or_404(jc().directory.get_group, group_id)
    try:
        jc().directory.replace_group(group_id, clean_group_input(group_form(request.form, current)), actor=actor())
    except JumpCloudError as error:
        flash(error.message, "error")
        return _group_page(current, form=request.form, status=400)
    flash("Group saved.", "ok")
    return redirect(url_for("console.group", group_id=group_id))


@bp.post("/groups/<group_id>/delete")
@guards.admin_required
def delete_group(group_id):
    """Delete a group (its memberships and app bindings go with it)."""
    or_404(jc().directory.get_group, group_id)
    group = jc().directory.delete_group(group_id, actor=actor())
    flash(f"Deleted {group['name']}.", "ok")
    return redirect(url_for("console.groups"))


@bp.post("/groups/<group_id>/members")
@guards.admin_required
def group_members(group_id):
    """Add a member by username or email, or remove one by id."""
    current = or_404(jc().directory.get_group, group_id)
    directory = jc().directory
    op = "remove" if request.form.get("op") == "remove" else "add"
    try:
        if op == "add":
            who = request.form.get("user", "").strip()
            user = directory.find_user(username=who) or directory.find_user(email=who)
            if user is None:
                raise BadRequestError(f"No user has the username or email {who!r}.")
        else:
            user = directory.get_user(request.form.get("user_id", ""))
        directory.change_membership(group_id, op, user["_id"], actor=actor())
    except JumpCloudError as error:
        flash(error.message, "error")
        return _group_page(current, status=400)
    flash(f"{'Added' if op == 'add' else 'Removed'} {user['username']}.", "ok")
    return redirect(url_for("console.group", group_id=group_id))
