"""`sim classroom --seats N`: the seats, the trainer page, and serving until Ctrl-C (parse, one call, echo)."""

import json
import os
import secrets
import time

import click

from sim.config import DEFAULTS
from sim.run.cli_support import credential_options
from sim.serve import LOOPBACK


@click.command("classroom")
@click.option("--seats", type=int, required=True, help="How many sandboxes (1-100), one per trainee.")
@click.option("--seed", type=int, default=None, show_default=str(DEFAULTS["SEED"]),
              help="Faker seed: every seat gets the same directory (fresh states only).")
@click.option("--users", type=int, default=None, show_default=str(DEFAULTS["USERS"]), help="Users per seat.")
@click.option("--groups", type=int, default=None, show_default=str(DEFAULTS["GROUPS"]), help="User groups per seat.")
@click.option("--blank", is_flag=True, help="Leave every seat unconfigured, for trainees to walk the seed guide.")
@click.option("--host", default=DEFAULTS["HOST"], show_default=True, help="Address every app binds.")
@click.option("--port", default=DEFAULTS["JUMPCLOUD_PORT"], show_default=True,
              help="The trainer page's port; seat n takes the next two (JumpCloud port+2n-1, StrongDM port+2n); "
                   "0 picks free ports.")
@click.option("--state-dir", default=".sim-class", show_default=True, type=click.Path(file_okay=False),
              help="Where the seats' state dirs (seat-01, ...) live.")
@click.option("--trainer-password", default=None, help="The trainer page's password (random unless given).")
@credential_options
def classroom(seats, seed, users, groups, blank, host, port, state_dir, trainer_password, admin_password, api_key,
              scim_token):
    """Run N isolated JumpCloud + StrongDM sandboxes in one process, and a trainer page that watches them."""
    from sim.classroom.seats import start_classroom
    from sim.classroom.trainer import create_trainer_app
    from sim.run import runner
    from sim.run.preflight import StartError
    from sim.run.serving import serve_app
    from sim.run.state.lock import StateDirBusy
    from sim.run.state.lock import StateLock
    from sim.run.state.private import write_private
    from sim.store import open_store

    if host not in LOOPBACK:
        click.echo(f"warning: serving {seats} sandboxes on {host}: anyone who can reach it can try their logins. "
                   + ("Every seat shares the fixed credentials you gave." if admin_password else
                      "Every seat has its own random logins (on the handout)."), err=True)
    began = time.monotonic()
    try:
        lock = StateLock(state_dir, "sim classroom").acquire()
    except StateDirBusy as exc:
        raise click.ClickException(f"{exc}: stop it first") from None
    try:
        try:
            room = start_classroom(seats=seats, state_dir=state_dir, seed=seed, users=users, groups=groups,
                                   blank=blank, host=host, port=port, admin_password=admin_password,
                                   api_key=api_key, scim_token=scim_token)
        except StartError as exc:
            raise click.ClickException(str(exc)) from None
        password = trainer_password or secrets.token_urlsafe(12)
        trainer = serve_app(create_trainer_app(room, open_store(state_dir, "trainer"), password), host, port)
        rows = [seat.logins() for seat in room.seats]
        write_private(os.path.join(state_dir, "classroom.json"), json.dumps(
            {"trainer": {"url": trainer.url, "password": password}, "seats": rows}, indent=2) + "\n")
        for note in room.notes:
            click.echo(f"note: {note}")
        click.echo(f"Trainer     {trainer.url}/  password {password}  (handout: {trainer.url}/handout)")
        for row in rows:
            jc, sdm = row["jumpcloud"], row["strongdm"]
            click.echo(f"Seat {row['seat']:>2}     JumpCloud {jc['url']}/ {jc['email']} / {jc['password']}   "
                       f"StrongDM {sdm['url']}/ {sdm['email']} / {sdm['password']}")
        click.echo(f"{seats} seats ready in {time.monotonic() - began:.1f} s; logins in {state_dir}/classroom.json"
                   "    Ctrl-C stops")
        try:
            runner.wait_for_interrupt()
        finally:
            trainer.stop()
            room.stop()
    finally:
        lock.release()
