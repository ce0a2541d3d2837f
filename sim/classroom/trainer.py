"""The trainer's page of `sim classroom`: every seat with its URLs and logins (a printable handout), its ticks
through the seed guide, where it is stuck, and a reset per seat and for all. Its own login (one password).

Built on the consoles' shared plumbing (sim.web: signed sessions, CSRF, the sign-in throttle, the base page).
"""

import hmac

from flask import Blueprint
from flask import Flask
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from sim.control import NotResettable
from sim.store import Store
from sim.web import console_blueprint
from sim.web import init_console
from sim.web import sessions
from sim.web.console import Console
from sim.web.error_pages import error_page
from sim.web.guards import login_required
from sim.web.rules import SimFlask
from sim.web.throttle import Throttled
from sim.web.throttle import throttled_check

TRAINER = {"id": "trainer", "email": "trainer"}

bp: Blueprint = console_blueprint("trainer", __name__, template_folder="templates")


def create_trainer_app(classroom, store: Store, password: str) -> Flask:
    """The trainer's Flask app over a running `classroom`; `store` keeps its session secret and sessions."""
    app = SimFlask(__name__)  # URL builders compiled once per process (sim.web.rules)
    app.extensions["classroom"] = classroom
    app.extensions["trainer_password"] = password
    init_console(app, store, Console(
        product="Classroom", cookie="sim_trainer_session", login_endpoint="trainer.login",
        logout_endpoint="trainer.logout", home_endpoint="trainer.home",
        load_user=lambda uid: dict(TRAINER) if uid == TRAINER["id"] else None, is_admin=lambda user: True))
    app.register_blueprint(bp)
    return app


def classroom():
    from flask import current_app

    return current_app.extensions["classroom"]


def seat_rows() -> list[dict]:
    """Every seat: number, logins and progress, for the page and its JSON."""
    return [{**seat.logins(), "progress": seat.progress()} for seat in classroom().seats]


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The trainer's password (printed by `sim classroom`)."""
    from flask import current_app

    if request.method == "GET":
        return render_template("trainer_login.html", title="Log in")
    given = request.form.get("password", "")
    expected = current_app.extensions["trainer_password"]
    try:
        user = throttled_check("trainer", lambda: TRAINER if hmac.compare_digest(
            given.encode("utf-8", "surrogateescape"), expected.encode()) else None)
    except Throttled as refusal:
        flash(refusal.message, "error")
        return render_template("trainer_login.html", title="Log in"), refusal.status, \
            {"Retry-After": str(refusal.retry_after)}
    if user is None:
        flash("The password is incorrect.", "error")
        return render_template("trainer_login.html", title="Log in"), 401
    sessions.login_user(TRAINER["id"])
    return redirect(sessions.safe_next(request.args.get("next"), url_for("trainer.home")))


@bp.post("/logout")
def logout():
    sessions.logout_user()
    flash("You have logged out.", "ok")
    return redirect(url_for("trainer.login"))


@bp.get("/")
@login_required
def home():
    """Every seat: logins, ticks with their times, the last Activate error, and the reset buttons."""
    return render_template("trainer_seats.html", title="Seats", seats=seat_rows(), blank=classroom().blank)


@bp.get("/seats.json")
@login_required
def seats_json():
    """The same as JSON (for scripts and tests)."""
    return jsonify({"seats": seat_rows()})


@bp.get("/handout")
@login_required
def handout():
    """One card per seat with its URLs and logins; prints one seat per page."""
    return render_template("trainer_handout.html", title="Handout", seats=seat_rows())


@bp.post("/seats/<int:number>/reset")
@login_required
def reset_seat(number):
    seat = classroom().seat(number)
    if seat is None:
        return error_page(404, f"There is no seat {number}.")
    try:
        took = seat.reset()["seconds"]
    except NotResettable as exc:  # a wired seat whose first sync has not finished: nothing to go back to yet
        flash(f"Seat {number}: {exc}", "error")
        return redirect(url_for("trainer.home"))
    flash(f"Seat {number} is back to its starting state ({took:.2f} s).", "ok")
    return redirect(url_for("trainer.home"))


@bp.post("/reset-all")
@login_required
def reset_all():
    refused = []
    for seat in classroom().seats:
        try:
            seat.reset()
        except NotResettable:
            refused.append(str(seat.number))
    if refused:
        flash(f"Seats {', '.join(refused)} have no snapshot yet (first sync not finished); the others are reset.",
              "error")
    else:
        flash(f"All {len(classroom().seats)} seats are back to their starting state.", "ok")
    return redirect(url_for("trainer.home"))
