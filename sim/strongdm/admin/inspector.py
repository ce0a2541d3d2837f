"""StrongDM Admin UI: the request inspector, the SCIM requests the receiver got and what it answered.

Not a StrongDM page (its Activities show events, not bodies): a simulator aid, marked assumed in the README.
"""

from sim.strongdm.admin.common import bp
from sim.web import guards
from sim.web.inspector import inspector_page


@bp.get("/scim-inspector")
@guards.admin_required
def inspector():
    """Recent SCIM exchanges under /provisioning, newest first, filterable by user or group (Administrators only)."""
    return inspector_page("sdm_inspector.html")
