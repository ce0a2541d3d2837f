"""The `--fault`, `--fault-seed` and `--rate-limits` options of `sim up`, `sim strongdm` and `sim jumpcloud`."""

import click

from sim.faults.rules import SYNTAX
from sim.faults.rules import FaultSyntaxError
from sim.faults.rules import parse_rule


def parse_faults(ctx, param, values) -> tuple:
    """click callback: parse every `--fault` now, so a typo stops the command with the syntax shown."""
    rules = []
    for value in values:
        try:
            rules.append(parse_rule(value))
        except FaultSyntaxError as exc:
            raise click.BadParameter(f"{exc}\n\nRule syntax:\n{SYNTAX}", ctx=ctx, param=param) from None
    return tuple(rules)


def fault_option(*names: str, target: str = "the app", example: str = "503:0.2@POST /provisioning/*"):
    """A repeatable fault option (`--fault` unless `names` are given)."""
    return click.option(*(names or ("--fault", "faults")), multiple=True, callback=parse_faults, metavar="RULE",
                        help=f"Inject a fault into {target} (repeatable): e.g. '{example}', "
                             "'latency:50ms±20ms', 'outage:30s', '429:0.1:retry-after=2', 'revoked'. "
                             "Change them at run time with PUT /_sim/faults.")


fault_seed_option = click.option("--fault-seed", type=int, default=None,
                                 help="Seed of the faults' random source (default: SIM_SEED, 42): same seed, same faults.")
rate_limits_option = click.option("--rate-limits", is_flag=True,
                                  help="Apply StrongDM's documented rate limits: 500 writes and 5,000 reads a minute "
                                       "per token, then 429 with Retry-After.")


def fault_settings(rules_by_app: dict | None = None, *, seed: int | None = None, rate_limits: bool = False) -> dict:
    """The settings that carry these options to `create_app` (see `sim.faults.middleware.rules_from_settings`).

    `rules_by_app` maps an app's name, as its factory passes it to `rules_from_settings`, to that app's
    rules, so `sim up` can pass one dict to both apps.
    """
    settings = {f"{name.upper()}_FAULTS": list(rules) for name, rules in (rules_by_app or {}).items()}
    settings["RATE_LIMITS"] = rate_limits
    if seed is not None:
        settings["FAULT_SEED"] = seed
    return settings
