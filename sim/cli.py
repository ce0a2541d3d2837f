"""The `sim` command: parse options, call one function, print."""

import click

from sim.classroom.command import classroom
from sim.config import DEFAULTS
from sim.export.command import export_command
from sim.faults.options import fault_option
from sim.faults.options import fault_seed_option
from sim.faults.options import fault_settings
from sim.faults.options import rate_limits_option
from sim.run.cli_support import STATE_DIR_OPTION
from sim.run.cli_support import credential_options
from sim.run.keys_command import strongdm_keys
from sim.scenario.commands import scenario_group

WAIT_TIMEOUT = 120.0  # seconds `sim up --wait` and `sim wait` wait: seeding and the first sync of 50 users take ~5 s


def print_version(ctx, _param, value):
    """--version: the package, Python, Faker and SQLite versions (Faker decides what a seed generates)."""
    if value and not ctx.resilient_parsing:
        from sim.run.about import version_text

        click.echo(version_text())
        ctx.exit()


def org_model_settings(org_model: str | None) -> dict:
    """--org-model as a setting; absent, sim.config decides (SIM_STRONGDM_ORG_MODEL, else groups)."""
    return {"STRONGDM_ORG_MODEL": org_model} if org_model else {}


class Commands(click.Group):
    """The `sim` group: a state file SQLite cannot use, or a start refused before it began (a busy port), ends any
    command with its one-line reason, no traceback."""

    def invoke(self, ctx):
        from sim.run.preflight import StartError
        from sim.store import StoreError

        try:
            return super().invoke(ctx)
        except (StoreError, StartError) as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=Commands, invoke_without_command=True)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=print_version,
              help="Show the package, Python, Faker and SQLite versions and exit.")
@click.pass_context
def cli(ctx):
    """Offline simulator of JumpCloud -> StrongDM user provisioning over SCIM 2.0."""
    if ctx.invoked_subcommand is None:  # plain `sim` asks what there is: the help, and success
        click.echo(ctx.get_help())


@cli.command()
@click.option("--port", default=8401, show_default=True, help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told).")
@STATE_DIR_OPTION
@click.option("--token", default=None, help="Activate the Generic SCIM provider with this token.")
@click.option("--profile", type=click.Choice(["strongdm", "rfc"]), default="strongdm", show_default=True,
              help="strongdm: only what StrongDM documents; rfc: the full RFC 7644 feature set.")
@click.option("--grpc-port", default=8402, show_default=True,
              help="Port of the SDK API (gRPC; needs the [sdk] extra; 0 picks a free one).")
@click.option("--org-model", type=click.Choice(["groups", "roles"]), default=None,
              help="StrongDM org model: groups (orgs created since 2 October 2025; the default) or roles (legacy). "
              "Kept in the state: another value later is refused.")
@fault_option(target="the SCIM receiver")
@fault_seed_option
@rate_limits_option
def strongdm(port, host, state_dir, token, profile, grpc_port, org_model, faults, fault_seed, rate_limits):
    """Serve the mock StrongDM (SCIM receiver, Admin UI and, with the [sdk] extra, the SDK API) alone."""
    from sim.run import runner
    from sim.run.cli_support import strongdm_banner

    server, sdk, endpoints = runner.serve_strongdm(
        state_dir, host=host, port=port, token=token, profile=profile, grpc_port=grpc_port,
        settings=org_model_settings(org_model) | fault_settings({"strongdm": faults}, seed=fault_seed,
                                                                rate_limits=rate_limits))
    click.echo(strongdm_banner(endpoints, sdk, profile, server.app.extensions["strongdm"].org_model, state_dir))
    for rule in faults:
        click.echo(f"Fault              {rule.text()}")
    try:
        runner.wait_for_interrupt()
    finally:
        if sdk:
            sdk.stop()
        server.stop()


cli.add_command(strongdm_keys)


@cli.command()
@click.option("--port", default=8400, show_default=True, help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told).")
@STATE_DIR_OPTION
@click.option("--seed", default=42, show_default=True, help="Faker seed for the directory (first start only).")
@click.option("--users", default=50, show_default=True, help="Users to generate (first start only).")
@click.option("--groups", default=8, show_default=True, help="User groups to generate (first start only).")
@fault_option(target="the JumpCloud API", example="503:0.2@GET /api/*")
@fault_seed_option
@click.option("--scim-url", default=None, help="Push the StrongDM app's users and groups to this SCIM base URL.")
@click.option("--scim-token", default=None, help="Bearer token for --scim-url.")
def jumpcloud(port, host, state_dir, seed, users, groups, faults, fault_seed, scim_url, scim_token):
    """Serve the mock JumpCloud (REST API v1/v2, Directory Insights) alone; seeds only an empty state."""
    from sim.run import runner
    from sim.run.cli_support import jumpcloud_banner

    if scim_url and not scim_token:
        raise click.UsageError("--scim-url needs --scim-token")
    server, creds, seeded = runner.serve_jumpcloud(state_dir, host=host, port=port, seed=seed, users=users,
                                                   groups=groups,
                                                   settings=fault_settings({"jumpcloud": faults}, seed=fault_seed))
    click.echo(jumpcloud_banner(server.url, creds, seed if seeded else None, state_dir))
    for rule in faults:
        click.echo(f"Fault              {rule.text()}")
    try:
        if scim_url:
            from sim.jumpcloud.errors import JumpCloudError
            from sim.run.up import connect_scim

            try:
                connect_scim(server.app, scim_url, scim_token)
            except JumpCloudError as exc:  # a failed connection test or bad settings, with the reason
                raise click.ClickException(exc.message) from None
            click.echo(f"Identity Mgmt      pushing to {scim_url} (GET /_sim/idle?timeout=S waits for it)")
        runner.wait_for_interrupt()
    except KeyboardInterrupt:  # Ctrl-C before the handler is installed is still a clean stop
        pass
    finally:
        server.app.extensions["jumpcloud"].pusher.close()  # cuts requests in flight: a slow SCIM server cannot hold the exit
        server.stop()


@cli.command()
@click.option("--seed", type=int, default=None, show_default=str(DEFAULTS["SEED"]),
              help="Faker seed for the directory (fresh state only).")
@click.option("--users", type=int, default=None, show_default=str(DEFAULTS["USERS"]),
              help="Users to generate (fresh state only).")
@click.option("--groups", type=int, default=None, show_default=str(DEFAULTS["GROUPS"]),
              help="User groups to generate (fresh state only).")
@click.option("--jumpcloud-port", default=DEFAULTS["JUMPCLOUD_PORT"], show_default=True,
              help="JumpCloud's port (0 picks a free one).")
@click.option("--strongdm-port", default=DEFAULTS["STRONGDM_PORT"], show_default=True,
              help="StrongDM's port (0 picks a free one).")
@click.option("--state-dir", default=DEFAULTS["STATE_DIR"], show_default=True, type=click.Path(file_okay=False),
              help="Where the SQLite state and endpoints.json live.")
@click.option("--grpc-port", default=8402, show_default=True,
              help="StrongDM SDK API (gRPC) port, when the sdk extra is installed (0 picks a free one).")
@click.option("--host", default=DEFAULTS["HOST"], show_default=True, help="Address both apps bind (loopback unless told).")
@click.option("--fresh", is_flag=True, help="Discard the old state first.")
@click.option("--blank", is_flag=True, help="Seed the directory but leave both products unconfigured (seed guide).")
@click.option("--detach", is_flag=True, help="Run in the background (sim.pid, sim.log in the state dir); `sim down` stops it.")
@click.option("--wait", is_flag=True, help="Implies --detach; return once both apps and the first sync are ready, "
              "exit 1 with the reason otherwise.")
@click.option("--timeout", default=WAIT_TIMEOUT, show_default=True, type=click.FloatRange(min=0),
              help="Seconds --wait waits.")
@click.option("--orphans", type=click.Choice(["stop", "adopt", "suspend"]), default="stop", show_default=True,
              help="StrongDM accounts a lost JumpCloud state left behind: stop and say so, keep them, or suspend them.")
@click.option("--sqlite-sync", type=click.Choice(["NORMAL", "FULL"], case_sensitive=False), default=None,
              help="SQLite durability of both state files: NORMAL (default; a killed process loses nothing "
              "acknowledged) or FULL (an fsync per commit; survives an OS crash too). Default: SIM_SQLITE_SYNC, "
              "else NORMAL.")
@click.option("--org-model", type=click.Choice(["groups", "roles"]), default=None,
              help="StrongDM org model: groups (orgs created since 2 October 2025; the default) or roles (legacy). "
              "Kept in the state: another value later is refused.")
@credential_options
@fault_option(target="the StrongDM SCIM receiver")
@fault_option("--jumpcloud-fault", "jumpcloud_faults", target="the JumpCloud API", example="503:0.2@GET /api/*")
@fault_seed_option
@rate_limits_option
def up(seed, users, groups, jumpcloud_port, strongdm_port, grpc_port, state_dir, host, fresh, blank, detach, wait,
       timeout, orphans, sqlite_sync, org_model, admin_password, api_key, scim_token, faults, jumpcloud_faults,
       fault_seed, rate_limits):
    """Run the whole loop: JumpCloud pushing users and groups to StrongDM over SCIM, on loopback."""
    import sys

    from sim.jumpcloud.pusher.settings import ActivationError
    from sim.run import daemon
    from sim.run import up as loop_up
    from sim.run.lost_state import LostStateError
    from sim.run.preflight import StartError
    from sim.store import StoreError

    if detach or wait:
        try:
            child = daemon.spawn(state_dir, daemon.child_args(sys.argv[1:]))
            if wait:
                daemon.wait_ready(state_dir, timeout=timeout, child=child)
        except daemon.NotReady as exc:
            if wait:
                click.echo(daemon.down(state_dir), err=True)
            raise click.ClickException(str(exc)) from None
        ready = "ready" if wait else "starting (`sim wait` waits for it)"
        click.echo(f"sim up {ready} in the background, pid {child.pid}; log {state_dir}/sim.log; `sim down` stops it")
        click.echo(f"Endpoints in {state_dir}/endpoints.json and {state_dir}/endpoints.env")
        return
    daemon.mark(state_dir, "starting")
    try:
        try:
            loop = loop_up.start(seed=seed, users=users, groups=groups, jumpcloud_port=jumpcloud_port,
                                 strongdm_port=strongdm_port, grpc_port=grpc_port, state_dir=state_dir,
                                 fresh=fresh, blank=blank, host=host, orphans=orphans, synchronous=sqlite_sync,
                                 admin_password=admin_password, api_key=api_key, scim_token=scim_token,
                                 command=" ".join(["sim", *sys.argv[1:]]),
                                 settings=org_model_settings(org_model) | fault_settings(
                                     {"strongdm": faults, "jumpcloud": jumpcloud_faults}, seed=fault_seed,
                                     rate_limits=rate_limits))
        except (ActivationError, StoreError, LostStateError, StartError) as exc:  # a failed connection test, a
            reason = exc.message if isinstance(exc, ActivationError) else str(exc)  # damaged or lost state, a busy
            daemon.mark(state_dir, daemon.FAILED, reason)  # port: the reason and the choices
            raise click.ClickException(reason) from None
        except (Exception, SystemExit) as exc:  # a bad state dir: for `sim wait`
            daemon.mark(state_dir, daemon.FAILED, f"{exc.__class__.__name__}: {exc}"
                        if isinstance(exc, Exception) else "could not start: see its output (sim.log when detached)")
            raise
        serve(loop, state_dir, blank)
    finally:
        daemon.release(state_dir)


def serve(loop, state_dir, blank):
    """`sim up` once started: the first sync, the endpoints, and serving until Ctrl-C or SIGTERM."""
    from sim.run import daemon
    from sim.run import runner
    from sim.run import up as loop_up
    from sim.run.cli_support import up_banner

    try:
        for note in loop.notes:
            click.echo(f"note: {note}")
        if not blank:
            with click.progressbar(length=1, label="First sync", show_pos=True) as bar:
                status = daemon.first_sync_recorded(state_dir, lambda progress: loop_up.first_sync(loop, progress),
                                                    bar)
            failing = len(status["failing"])
            click.echo(f"Sync {'done' if status['idle'] else 'continuing in the background'}: "
                       f"{status['pending']} pending, {failing} failing")
        else:
            daemon.mark(state_dir, daemon.READY)
        click.echo(up_banner(loop.endpoints, state_dir))
        runner.wait_for_interrupt()
    finally:
        loop.stop()


cli.add_command(classroom)


@cli.command("wait")
@STATE_DIR_OPTION
@click.option("--timeout", default=WAIT_TIMEOUT, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to wait.")
def wait_command(state_dir, timeout):
    """Wait for the `sim up` on a state dir to be ready (both apps, first sync); exit 1 with the reason if not."""
    from sim.run import daemon

    try:
        run = daemon.wait_ready(state_dir, timeout=timeout)
    except daemon.NotReady as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"sim up ready (pid {run['pid']}); endpoints in {state_dir}/endpoints.json and endpoints.env")


@cli.command()
@STATE_DIR_OPTION
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to wait after SIGTERM before SIGKILL.")
def down(state_dir, timeout):
    """Stop the `sim up` running on a state dir (started with --detach or --wait)."""
    from sim.run import daemon

    click.echo(daemon.down(state_dir, timeout=timeout))


@cli.command()
@click.option("--quick", is_flag=True, help="Small sizes, a few seconds: for tests and CI.")
@click.option("--out", default="bench.json", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the JSON report.")
@click.option("--server", type=click.Choice(["waitress", "werkzeug"]), default="waitress", show_default=True,
              help="WSGI server to measure (the default serves sim up; werkzeug is the fallback).")
@click.option("--only", multiple=True,
              type=click.Choice(["receiver", "durability", "memory", "loop", "faults", "classroom"]),
              help="Run only these parts (repeatable); all by default.")
def bench(quick, out, server, only):
    """Measure the simulator on loopback beside a trivial-route floor; print a table, write JSON."""
    from sim.bench import run as bench_mod

    report = bench_mod.run(quick=quick, server=server, parts=tuple(only) or bench_mod.PARTS)
    bench_mod.write_json(report, out)
    click.echo(bench_mod.format_table(report))
    click.echo(f"\nJSON report: {out}")


cli.add_command(export_command)


@cli.command()
@STATE_DIR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def status(state_dir, as_json):
    """Summarise a state dir: counts, wiring, pending and failing pushes (never a secret)."""
    import json

    from sim.run import status as status_mod

    summary = status_mod.summarize(state_dir)
    click.echo(json.dumps(summary, indent=2, sort_keys=True) if as_json else status_mod.format_summary(summary))


@cli.command()
@STATE_DIR_OPTION
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset(state_dir, yes):
    """Delete a state dir's SQLite files and endpoints.json (stop sim up first)."""
    from sim.run import status as status_mod
    from sim.run.state.lock import StateDirBusy

    try:
        status_mod.refuse_if_busy(state_dir)  # checked before asking, and again, under the lock, while deleting
        files = status_mod.state_files(state_dir)
        if not files:
            click.echo(f"No state in {state_dir}.")
            return
        if not yes:
            click.confirm(f"Delete the simulator state in {state_dir} ({len(files)} files)?", abort=True)
        seats = status_mod.seat_dirs(state_dir)
        removed = status_mod.reset_locked(state_dir)
    except StateDirBusy as exc:
        raise click.ClickException(f"{exc}: stop it first (`sim down`, or Ctrl-C where it runs)") from None
    click.echo(f"Removed {len(removed)} files from {state_dir}" + (f" and its {len(seats)} seats." if seats else "."))


cli.add_command(scenario_group)


@cli.command()
@click.option("--server", default=f"http://{DEFAULTS['HOST']}:{DEFAULTS['JUMPCLOUD_PORT']}", show_default=True,
              help="The URL the document names as its server.")
def openapi(server):
    """Print the mock JumpCloud's OpenAPI 3.1 document (what GET /api/openapi.json serves)."""
    import json

    from sim.jumpcloud.api.openapi import document

    click.echo(json.dumps(document(server), indent=2))
