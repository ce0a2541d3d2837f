"""The mock JumpCloud Console: login, Users, User Groups, SSO apps and Identity Management."""

from flask import Flask

from sim.jumpcloud.console import directory  # noqa: F401  (its pages hang on the blueprint)
from sim.jumpcloud.console import dynamic  # noqa: F401
from sim.jumpcloud.console import imports  # noqa: F401
from sim.jumpcloud.console import pages  # noqa: F401
from sim.jumpcloud.console import sso  # noqa: F401
from sim.jumpcloud.console.common import bp
from sim.jumpcloud.console.common import console_settings
from sim.web import init_console


def install(app: Flask) -> None:
    """Register the console at `/` on a JumpCloud app (after its API blueprints)."""
    init_console(app, app.extensions["jumpcloud"].store, console_settings())
    app.register_blueprint(bp)
