"""The mock StrongDM Admin UI: login, Users, Roles, Activities."""

from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.exceptions import NotFound

from sim.faults.middleware import fault_log
from sim.scim.errors import ScimError
from sim.scim.errors import UniquenessError
from sim.strongdm.admin.common import ADMIN_LEVELS
from sim.strongdm.admin.common import actor
from sim.strongdm.admin.common import bp
from sim.strongdm.admin.common import is_managed
from sim.strongdm.admin.common import provider_label
from sim.strongdm.admin.common import sdm
from sim.strongdm.org import PERMISSION_LEVELS
from sim.web import error_pages
from sim.web import guards
from sim.web import pager
from sim.web import sessions
from sim.web.throttle import Throttled
from sim.web.throttle import throttled_check

INJECTED_SHOWN = 20  # recent injected faults listed beside the activity log


# -- session ----------------------------------------------------------------------------------------------


@bp.get("/")
def home():
    """The landing page: Users for signed-in admins, the login form otherwise."""
    return redirect(url_for("admin.users" if g.user else "admin.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Email and password sign-in (suspended users and unknown emails get the same answer)."""
    if request.method == "GET":
        return render_template("sdm_login.html", email="")
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    user = sdm().accounts.find_user_by_email(email) if email else None

    def check():
        # Always check a password, so an unknown or suspended email answers as slowly as a wrong password.
        valid = sdm().org.check_password(user["id"] if user else "", password)
        return user if valid and user is not None and not user.get("suspended") else None

    try:
        user = throttled_check(email, check)
    except Throttled as refusal:
        flash(refusal.message, "error")
        return render_template("sdm_login.html", email=email), refusal.status, {"Retry-After": str(refusal.retry_after)}
    if user is None:
        flash("The email or password is incorrect.", "error")
        return render_template("sdm_login.html", email=email), 401
    sessions.login_user(user["id"])
    sdm().activities.record_login(user, ip_address=request.remote_addr or "", user_agent=request.user_agent.string)
    return redirect(sessions.safe_next(request.args.get("next"), url_for("admin.users")))


@bp.post("/logout")
def logout():
    """End the session."""
    sessions.logout_user()
    flash("You have logged out.", "ok")
    return redirect(url_for("admin.login"))


# -- users ------------------------------------------------------------------------------------------------


@bp.get("/users")
@guards.login_required
def users():
    """Users, searchable and paged, with suspension and who manages them."""
    number, size, offset = pager.page_args()
    search = request.args.get("q", "").strip()[:200] or None
    accounts = sdm().accounts
    page = pager.Page(accounts.list_users(offset, size, search=search), number, size, accounts.count_users(search=search))
    return render_template("sdm_users.html", page=page, search=search, scim=sdm().org.scim_settings())


@bp.route("/users/new", methods=["GET", "POST"])
@guards.admin_required
def new_user():
    """Invite a native (StrongDM-managed) user."""
    form = request.form if request.method == "POST" else {"permission_level": "user"}
    if request.method == "POST":
        try:
            fields = _user_fields(form)
            user = sdm().accounts.create_user(fields, actor=actor())
        except (ValueError, ScimError) as error:
            flash(_message(error), "error")
            return render_template("sdm_user_form.html", form=form, user=None, levels=PERMISSION_LEVELS), 400
        flash(f"Added {user['email']}.", "ok")
        return redirect(url_for("admin.user", user_id=user["id"]))
    return render_template("sdm_user_form.html", form=form, user=None, levels=PERMISSION_LEVELS)


@bp.get("/users/<user_id>")
@guards.login_required
def user(user_id):
    """One user: details, roles, and the edit form for native users."""
    account = _user_or_404(user_id)
    return render_template("sdm_user.html", user=account, **_memberships(user_id), managed=is_managed(account),
                           form=account, levels=PERMISSION_LEVELS)


def _memberships(user_id: str) -> dict:
    """What the user page lists: its roles, and in a groups org its groups and effective roles (with their source)."""
    accounts = sdm().accounts
    if sdm().org_model != "groups":
        return {"roles": accounts.roles_of(user_id)}
    return {"roles": accounts.roles_of(user_id), "groups": accounts.groups_of(user_id),
            "effective": accounts.effective_roles(user_id)}


@bp.post("/users/<user_id>")
@guards.admin_required
def edit_user(user_id):
    """Save a native user's details; provisioned users are refused (their IdP owns them)."""
    account = _user_or_404(user_id)
    refused = _refuse_managed(account) or _refuse_self(account, demote=request.form.get("permission_level"))
    if refused:
        return refused
    try:
        fields = _user_fields(request.form)
        sdm().accounts.update_user({**account, **fields}, actor=actor())
    except (ValueError, ScimError) as error:
        flash(_message(error), "error")
        return render_template("sdm_user.html", user=account, **_memberships(user_id), managed=False,
                               form=request.form, levels=PERMISSION_LEVELS), 400
    flash("Saved.", "ok")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<user_id>/suspend")
@guards.admin_required
def suspend_user(user_id):
    """Suspend a native user."""
    return _set_suspended(user_id, True)


@bp.post("/users/<user_id>/reinstate")
@guards.admin_required
def reinstate_user(user_id):
    """Reinstate a suspended native user."""
    return _set_suspended(user_id, False)


def _set_suspended(user_id: str, suspended: bool):
    account = _user_or_404(user_id)
    refused = _refuse_managed(account) or (_refuse_self(account, demote="suspended") if suspended else None)
    if refused:
        return refused
    sdm().accounts.update_user({**account, "suspended": suspended}, actor=actor())
    flash(f"{'Suspended' if suspended else 'Reinstated'} {account['email']}.", "ok")
    return redirect(url_for("admin.user", user_id=user_id))


def _user_or_404(user_id: str) -> dict:
    account = sdm().accounts.find_user(user_id)
    if account is None:
        raise NotFound()
    return account


def _refuse_managed(account: dict):
    """StrongDM does not let the Admin UI edit users an identity provider manages."""
    if not is_managed(account):
        return None
    return error_pages.error_page(409, f"{account['email']} is managed by {provider_label(account['managed_by'])} "
                               "through SCIM provisioning. Change this user in your identity provider; "
                               "StrongDM does not allow edits here.", title="Managed by your identity provider")


def _refuse_self(account: dict, *, demote: str | None):
    """An admin cannot lock themselves out (suspend or demote their own account)."""
    if account["id"] != g.user["id"] or demote in (None, *ADMIN_LEVELS):
        return None
    return error_pages.error_page(409, "You cannot suspend your own account or remove your own Administrator "
                               "permission level.", title="Not allowed")


def _user_fields(form) -> dict:
    """Validate the small user form; raises ValueError with a message for the page."""
    email = form.get("email", "").strip()
    first = form.get("first_name", "").strip()
    last = form.get("last_name", "").strip()
    level = form.get("permission_level", "user")
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise ValueError("Enter a valid email address.")
    if not first or not last:
        raise ValueError("First name and last name are required.")
    if len(first) > 100 or len(last) > 100:
        raise ValueError("Names are limited to 100 characters.")
    if level not in PERMISSION_LEVELS:
        raise ValueError("Choose a permission level from the list.")
    return {"email": email, "first_name": first, "last_name": last, "permission_level": level}


def _message(error: Exception) -> str:
    if isinstance(error, UniquenessError):
        return "A user with that email address already exists."
    if isinstance(error, ScimError):  # e.g. the last active Administrator (sim.strongdm.accounts)
        return error.detail
    return str(error)


# -- roles ------------------------------------------------------------------------------------------------


@bp.get("/roles")
@guards.login_required
def roles():
    """Roles, paged, with member counts."""
    number, size, offset = pager.page_args()
    accounts = sdm().accounts
    roles = accounts.list_roles(offset, size)
    ids = [role["id"] for role in roles]
    counts = accounts.role_set.member_counts(ids)  # one query for the page
    holders = _holders(ids) if sdm().org_model == "groups" else {}
    items = [(role, counts[role["id"]], holders.get(role["id"], [])) for role in roles]
    return render_template("sdm_roles.html", page=pager.Page(items, number, size, accounts.count_roles()))


def _holders(role_ids: list[str]) -> dict[str, list[dict]]:
    """{role id: the groups it is assigned to} for a page of roles (groups org model)."""
    accounts = sdm().accounts
    grants = accounts.grants_of_roles(role_ids)
    groups = {g["id"]: g for g in accounts.group_set.every()}
    return {role_id: [groups[g["group_id"]] for g in held if g["group_id"] in groups] for role_id, held in grants.items()}


@bp.get("/roles/<role_id>")
@guards.login_required
def role(role_id):
    """One role and its members, paged."""
    accounts = sdm().accounts
    found = accounts.find_role(role_id)
    if found is None:
        raise NotFound()
    number, size, offset = pager.page_args()
    members = [m[0] for m in accounts.members(role_id, offset=offset, limit=size)]
    page = pager.Page(members, number, size, accounts.count_members(role_id))
    return render_template("sdm_role.html", role=found, page=page)


# -- activity log -----------------------------------------------------------------------------------------


@bp.get("/activities")
@guards.login_required
def activities():
    """The audit log, newest first, paged."""
    number, size, offset = pager.page_args()
    log = sdm().activities
    return render_template("sdm_activities.html", page=pager.Page(log.list(limit=size, offset=offset), number, size,
                                                                  log.count()),
                           injected=fault_log(current_app, INJECTED_SHOWN))
