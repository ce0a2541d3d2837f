"""JumpCloud Console: User Authentication > SSO (apps, catalog) and an app's tabs, Identity Management included."""

import urllib.parse

from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from sim.faults.middleware import fault_log
from sim.jumpcloud.console.common import actor
from sim.jumpcloud.console.common import bp
from sim.jumpcloud.console.common import jc
from sim.jumpcloud.console.common import list_query
from sim.jumpcloud.console.common import or_404
from sim.jumpcloud.console.common import search_arg
from sim.jumpcloud.directory import catalog
from sim.jumpcloud.directory import schema as d
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.errors import NotFoundError
from sim.jumpcloud.pusher.settings import DEFAULT_TEST_USER_EMAIL
from sim.jumpcloud.pusher.settings import ActivationError
from sim.web import guards
from sim.web import pager

# Prefilled in the Test User Email field; the connection test creates and deletes this user.
GROUPS_PER_PAGE = 100
INJECTED_SHOWN = 20  # recent injected faults on the Provisioning tab
TABS = (("general", "General Info"), ("bookmark", "Bookmark"), ("identity_management", "Identity Management"),
        ("app_groups", "User Groups"), ("provisioning", "Provisioning"), ("app_import", "Import Users"))


def _app(app_id: str) -> dict:
    return or_404(jc().directory.get_app, app_id)


def _tab(template: str, app: dict, tab: str, status: int = 200, **context):
    idm = jc().pusher.idm.public(app["_id"])
    page = render_template(template, app=app, tab=tab, tabs=TABS, idm=idm, **context)
    return page, status


def app_or_404(app_id: str) -> dict:
    """The application, or the console's 404 page (for the app tabs other modules add)."""
    return _app(app_id)


def render_tab(template: str, app: dict, tab: str, status: int = 200, **context):
    """One of the app's tabs, with the tab bar (for the tabs other modules add)."""
    return _tab(template, app, tab, status, **context)


def _label(form, field: str, default: str = "", limit: int = 255) -> str:
    value = form.get(field, default).strip()
    if len(value) > limit:
        raise BadRequestError(f"{field} is limited to {limit} characters")
    return value


# -- the SSO list and the catalog -------------------------------------------------------------------------


@bp.get("/sso")
@guards.admin_required
def sso():
    """SSO applications, paged, with their Identity Management status."""
    number, size, offset = pager.page_args()
    search = search_arg()
    total, apps = jc().directory.list_apps(list_query(offset, size, search, d.APP_SPACE, [("displayLabel", False)]))
    rows = [(app, jc().pusher.idm.public(app["_id"])) for app in apps]
    return render_template("jc_sso.html", page=pager.Page(rows, number, size, total), search=search)


@bp.get("/sso/new")
@guards.admin_required
def catalog_search():
    """The `+` page: search the application catalog."""
    search = (search_arg() or "").casefold()
    entries = [e for e in catalog.CATALOG
               if not search or search in e["displayName"].casefold() or search in e["name"]]
    return render_template("jc_catalog.html", entries=entries, search=search_arg())


@bp.get("/sso/new/<name>")
@guards.admin_required
def catalog_entry(name):
    """One catalog connector, with its `configure` button; `?configure=1` shows the form that creates the app."""
    entry = catalog.template(name)
    if entry is None:
        raise NotFoundError("There is no such application in the catalog.")
    configuring = request.args.get("configure") == "1"
    return render_template("jc_catalog_entry.html", entry=entry, configuring=configuring,
                           form={"displayLabel": entry["displayLabel"], "description": ""})


@bp.post("/sso/new/<name>")
@guards.admin_required
def create_app(name):
    """Save: create the application from the connector, then land on its General Info tab."""
    entry = catalog.template(name)
    if entry is None:
        raise NotFoundError("There is no such application in the catalog.")
    try:
        fields = {"name": name, "displayLabel": _label(request.form, "displayLabel", entry["displayLabel"])
                  or entry["displayLabel"], "description": _label(request.form, "description", limit=1024)}
        app = jc().directory.create_app(fields, actor=actor())
    except JumpCloudError as error:
        flash(error.message, "error")
        return render_template("jc_catalog_entry.html", entry=entry, configuring=True, form=request.form), 400
    flash(f"Saved {app['displayLabel']}.", "ok")
    return redirect(url_for("console.general", app_id=app["_id"]))


# -- General Info and Bookmark ----------------------------------------------------------------------------


@bp.route("/sso/<app_id>/general", methods=["GET", "POST"])
@guards.admin_required
def general(app_id):
    """General Info: Display Label and Description."""
    app = _app(app_id)
    if request.method == "GET":
        return _tab("jc_app_general.html", app, "general", form=app)
    try:
        label = _label(request.form, "displayLabel")
        if not label:
            raise BadRequestError("Display Label is required")
        app = jc().directory.update_app(app_id, {"displayLabel": label,
                                                 "description": _label(request.form, "description", limit=1024)},
                                        actor=actor())
    except JumpCloudError as error:
        flash(error.message, "error")
        return _tab("jc_app_general.html", app, "general", 400, form=request.form)
    flash("Saved.", "ok")
    return redirect(url_for("console.general", app_id=app_id))


@bp.route("/sso/<app_id>/bookmark", methods=["GET", "POST"])
@guards.admin_required
def bookmark(app_id):
    """Bookmark: a URL shown in the user portal; `activate` turns it on, `deactivate` off."""
    app = _app(app_id)
    current = app.get("bookmark") or {"url": "", "active": False}
    if request.method == "GET":
        return _tab("jc_app_bookmark.html", app, "bookmark", bookmark=current)
    if request.form.get("action") == "deactivate":
        jc().directory.update_app(app_id, {"bookmark": {**current, "active": False}}, actor=actor())
        flash("Bookmark deactivated.", "ok")
        return redirect(url_for("console.bookmark", app_id=app_id))
    url = request.form.get("url", "").strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2048:
        flash("Enter an http:// or https:// URL.", "error")
        return _tab("jc_app_bookmark.html", app, "bookmark", 400, bookmark={"url": url, "active": current["active"]})
    jc().directory.update_app(app_id, {"bookmark": {"url": url, "active": True}}, actor=actor())
    flash("Bookmark activated.", "ok")
    return redirect(url_for("console.bookmark", app_id=app_id))


# -- Identity Management ----------------------------------------------------------------------------------


def _idm_form(app: dict) -> dict:
    config = jc().pusher.idm.public(app["_id"]) or {}
    default_base = ((catalog.template(app["name"]) or {}).get("provisioning") or {}).get("baseUrl", "")
    return {"base_url": config.get("base_url") or default_base,
            "group_management": config.get("group_management", True),
            "test_user_email": config.get("test_user_email") or DEFAULT_TEST_USER_EMAIL}


@bp.get("/sso/<app_id>/identity-management")
@guards.admin_required
def identity_management(app_id):
    """Identity Management: `configure` first, then Base URL, Token, group management, Activate and Save."""
    app = _app(app_id)
    configuring = request.args.get("configure") == "1" or jc().pusher.idm.get(app_id) is not None
    return _tab("jc_app_idm.html", app, "identity_management", configuring=configuring, form=_idm_form(app),
                steps=None, failure=None)


@bp.post("/sso/<app_id>/identity-management")
@guards.admin_required
def save_identity_management(app_id):
    """Save the settings; `Activate` also runs the connection test and shows its result or its reason."""
    _app(app_id)  # 404 before anything else
    pusher = jc().pusher
    form = {"base_url": request.form.get("base_url", "").strip(),
            "group_management": "group_management" in request.form,
            "test_user_email": request.form.get("test_user_email", "").strip() or DEFAULT_TEST_USER_EMAIL}
    token = request.form.get("token", "").strip() or None
    activating = request.form.get("action") == "activate"
    was_active = (pusher.idm.get(app_id) or {}).get("status") == "active"

    def page(status=200, **extra):
        context = {"configuring": True, "form": form, "steps": None, "failure": None, **extra}
        return _tab("jc_app_idm.html", _app(app_id), "identity_management", status, **context)

    try:  # a changed Base URL without a new Token Key is refused by `configure` (400 with the reason)
        changed = pusher.idm.configure_if_changed(app_id, token=token, **form)
        if activating:
            pusher.activate(app_id, form["test_user_email"])
    except ActivationError as error:
        return page(400, steps=error.steps, failure=error.message)
    except JumpCloudError as error:
        flash(error.message, "error")
        return page(400)
    if activating:
        flash("Identity Management is active: the connection test passed and provisioning has started.", "ok")
    elif changed and was_active:
        flash("Saved. The settings changed, so provisioning is paused until you click Activate again.", "warn")
    else:
        flash("Saved.", "ok")
    return redirect(url_for("console.identity_management", app_id=app_id))


@bp.post("/sso/<app_id>/identity-management/deactivate")
@guards.admin_required
def deactivate_identity_management(app_id):
    """Stop provisioning to this app (settings are kept)."""
    _app(app_id)
    jc().pusher.deactivate(app_id)
    flash("Identity Management is deactivated: changes are no longer sent to this application.", "ok")
    return redirect(url_for("console.identity_management", app_id=app_id))


# -- User Groups ------------------------------------------------------------------------------------------


@bp.get("/sso/<app_id>/groups")
@guards.admin_required
def app_groups(app_id):
    """User Groups: a checkbox per group (bound groups ticked), a page at a time."""
    app = _app(app_id)
    number, size, offset = pager.page_args(GROUPS_PER_PAGE, GROUPS_PER_PAGE)
    total, groups = jc().directory.list_groups_counted(list_query(offset, size, None, d.GROUP_SPACE, []))
    bound = set(jc().directory.bound_ids(app_id, "user_group"))
    return _tab("jc_app_groups.html", app, "app_groups", page=pager.Page(groups, number, size, total), bound=bound)


@bp.post("/sso/<app_id>/groups")
@guards.admin_required
def save_app_groups(app_id):
    """Save: bind the ticked groups and unbind the unticked ones among those shown on the page."""
    _app(app_id)
    directory = jc().directory
    shown = set(request.form.getlist("shown"))
    wanted = set(request.form.getlist("group")) & shown
    added, removed = directory.set_group_bindings(app_id, shown, wanted, actor=actor())
    flash(f"Saved: {added} group{'s' * (added != 1)} added, {removed} removed.", "ok")
    return redirect(url_for("console.app_groups", app_id=app_id, page=request.args.get("page", 1)))


# -- Provisioning (Directory Insights view) ---------------------------------------------------------------


@bp.get("/sso/<app_id>/provisioning")
@guards.admin_required
def provisioning(app_id):
    """What was sent to this app: recent DI-style events, what is pending and what is failing."""
    app = _app(app_id)
    pusher = jc().pusher
    number, size, offset = pager.page_args()
    failed_only = request.args.get("failed") == "1"
    events = jc().insights.for_application(app_id, limit=size + 1, offset=offset, failed_only=failed_only)
    page = pager.Page(events[:size], number, size, None, more=len(events) > size)
    failing = pusher.state.failing(1000, app_id=app_id)
    return _tab("jc_app_provisioning.html", app, "provisioning", page=page, failed_only=failed_only,
                pending=pusher.state.pending({app_id}), failing=failing,
                injected=fault_log(current_app, INJECTED_SHOWN))


@bp.post("/sso/<app_id>/delete")
@guards.admin_required
def delete_app(app_id):
    """Delete the application (its bindings go with it)."""
    app = _app(app_id)
    jc().directory.delete_app(app_id, actor=actor())
    flash(f"Deleted {app['displayLabel']}.", "ok")
    return redirect(url_for("console.sso"))
