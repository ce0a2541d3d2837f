"""`sim scenario run`: play a scenario against a running `sim up`, from the endpoints it wrote (endpoints.json)."""

import requests

from sim.scenario.engine import DriverError
from sim.scenario.engine import play
from sim.scenario.load import check
from sim.scenario.load import load
from sim.scenario.observe import StrongDMView
from sim.scenario.rest import RestDriver
from sim.scenario.steps import ScenarioError


def _wiring(endpoints: dict, where: str) -> tuple[dict, dict]:
    jc, sdm = endpoints.get("jumpcloud") or {}, endpoints.get("strongdm") or {}
    if not jc.get("url") or not jc.get("api_key"):
        raise ScenarioError(f"no `sim up` found: {where} has no endpoints.json (start one with `sim up --wait`, "
                            "or pass the --state-dir it uses)")
    if not jc.get("app_id") or not sdm.get("scim_base_url") or not sdm.get("scim_token"):
        raise ScenarioError(f"the `sim up` of {where} does not provision StrongDM yet (started with --blank?): "
                            "finish the seed guide, or start it without --blank")
    return jc, sdm


def run(endpoints: dict, source: str, *, where: str = ".sim", say=None, each: bool = False) -> dict:
    """Play `source` (a built-in name or a file) through JumpCloud's REST API; returns `{"scenario", "segments"}`.

    `endpoints` is the endpoints.json of the `sim up` in `where`; what reached StrongDM is read from its
    SCIM view with the token in it; `each` waits after every step, so each step gets its own report.
    """
    check(source)  # a bad file fails before anything is sent
    jc, sdm = _wiring(endpoints, where)
    driver = RestDriver(jc["url"], jc["api_key"], jc["app_id"])
    try:
        try:
            driver.wait(0)  # is anybody there?
            view = StrongDMView(sdm["scim_base_url"], sdm["scim_token"])
        except DriverError as exc:
            raise ScenarioError(f"{exc} (endpoints from {where}/endpoints.json)") from None
        except requests.RequestException as exc:
            raise ScenarioError(f"cannot read StrongDM's SCIM view at {sdm['scim_base_url']} ({exc}): "
                                "is `sim up` running?") from None
        try:
            scenario = load(source, driver)
            segments = play(scenario, driver, observers=(view,), progress=say, each=each)
        except DriverError as exc:  # reading the directory for a built-in scenario
            raise ScenarioError(str(exc)) from None
        except requests.RequestException as exc:
            raise ScenarioError(f"lost StrongDM's SCIM view at {sdm['scim_base_url']} ({exc})") from None
        finally:
            view.close()
    finally:
        driver.close()
    return {"scenario": scenario.to_dict(), "segments": segments}
