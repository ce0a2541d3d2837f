"""Fixtures for the inspector tests: a bare Flask app with an inspector, and a receiver-like blueprint recording."""

import pytest
from flask import Blueprint
from flask import Flask
from flask import current_app
from flask import request

from sim.inspect import control
from sim.inspect.hook import record_response
from sim.inspect.ring import ExchangeRing
from tests.inspect.helpers import CREDENTIAL
from tests.inspect.helpers import at_noon


def authorize(req):
    """The bare app's credential: `X-Test-Key: ok`; `no` is a known caller who may not."""
    key = req.headers.get("X-Test-Key")
    return "This key may not read exchanges." if key == "no" else key == CREDENTIAL


def scim_blueprint() -> Blueprint:
    bp = Blueprint("scim", __name__, url_prefix="/scim")

    @bp.after_request
    def inspect(response):
        return record_response(current_app.extensions["inspector"].ring, request, response)

    @bp.route("/<path:anything>", methods=["GET", "POST", "PATCH"])
    def echo(anything):
        if request.args.get("status"):
            return {"detail": "refused"}, int(request.args["status"])
        return request.get_data(as_text=True) or "{}", 201, {"Content-Type": "application/scim+json"}

    return bp


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    control.install(app, ExchangeRing(50, 200, clock=at_noon), authorize=authorize)
    app.register_blueprint(scim_blueprint())

    @app.get("/other")
    def other():
        return "not SCIM"
    return app


@pytest.fixture
def ring(app) -> ExchangeRing:
    return app.extensions["inspector"].ring


@pytest.fixture
def client(app):
    return app.test_client()
