"""JumpCloud Console: the app's Import Users tab, a preview of the users its SCIM service provider has and the
directory does not, and the Import action that creates them (an import job with `users.create`)."""

from flask import flash
from flask import redirect
from flask import url_for

from sim.jumpcloud.console.common import actor
from sim.jumpcloud.console.common import bp
from sim.jumpcloud.console.common import jc
from sim.jumpcloud.console.sso import app_or_404
from sim.jumpcloud.console.sso import render_tab
from sim.jumpcloud.errors import JumpCloudError
from sim.web import guards

SHOWN = 200  # preview rows listed; the import takes every new user


@bp.get("/sso/<app_id>/import")
@guards.admin_required
def app_import(app_id):
    """Preview: the provider's users no JumpCloud user matches by email (or why they cannot be read)."""
    app = app_or_404(app_id)
    try:
        new, problem = jc().imports.new_users(app_id), None
    except JumpCloudError as error:
        new, problem = [], error.message
    return render_tab("jc_app_import.html", app, "app_import", new=new[:SHOWN], total=len(new), problem=problem)


@bp.post("/sso/<app_id>/import")
@guards.admin_required
def run_app_import(app_id):
    """Import: create the new users (STAGED, creationSource jumpcloud:scim); say how it went."""
    app_or_404(app_id)
    try:
        job = jc().imports.run(app_id, {"operations": ["users.create"]}, actor=actor())
    except JumpCloudError as error:
        flash(error.message, "error")
        return redirect(url_for("console.app_import", app_id=app_id))
    results = jc().bulk.results(job, skip=0, limit=10_000, kinds=("import",))
    created = sum(1 for r in results if r["meta"]["operation"] == "users.create" and r["status"] == "finished")
    failed = sum(1 for r in results if r["status"] == "failed")
    flash(f"Imported {created} user{'s' if created != 1 else ''}" + (f"; {failed} failed." if failed else "."),
          "error" if failed else "ok")
    return redirect(url_for("console.app_import", app_id=app_id))
