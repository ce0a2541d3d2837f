"""The mock StrongDM Admin UI: login, Users, Groups, Roles, Activities and Settings pages on one blueprint."""

from flask import Flask

# Imported for the routes they register on `bp`.
from sim.strongdm.admin import groups  # noqa: F401
from sim.strongdm.admin import pages  # noqa: F401
from sim.strongdm.admin import settings  # noqa: F401
from sim.strongdm.admin.common import bp


def install(app: Flask) -> None:
    """Register the Admin UI blueprint, with its routes and template filters, on `app`."""
    app.register_blueprint(bp)
