"""JumpCloud Console: the request inspector, the SCIM requests Identity Management sent and what it got back.

Not a JumpCloud page (its Directory Insights shows events, not bodies): a simulator aid, marked assumed in the README.
"""

from sim.jumpcloud.console.common import bp
from sim.web import guards
from sim.web.inspector import inspector_page


@bp.get("/scim-inspector")
@guards.login_required
def inspector():
    """Recent SCIM exchanges of the pusher and its connection tests, newest first, filterable by user or group."""
    return inspector_page("jc_inspector.html")
