"""Named helpers for the scenario tests: the endpoints a `sim up` would write for a loop, scenario files."""

import json

from sim.export.fixtures import SCIM_PATH


def endpoints_of(loop) -> dict:
    """endpoints.json as `sim up` writes it, for an in-process loop."""
    return {"jumpcloud": {"url": loop.jumpcloud.url, "api_key": loop.api_key, "app_id": loop.app_id},
            "strongdm": {"url": loop.strongdm.url, "scim_base_url": loop.strongdm.url + SCIM_PATH,
                         "scim_token": loop.scim_token}}


def write_state_dir(path, endpoints: dict) -> str:
    """A state dir holding only endpoints.json."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "endpoints.json").write_text(json.dumps(endpoints))
    return str(path)


def scenario_file(path, doc, *, yaml_text: str | None = None) -> str:
    """Write a scenario as JSON (or the given YAML text, when the name ends in .yaml)."""
    path.write_text(yaml_text if yaml_text is not None else json.dumps(doc), encoding="utf-8")
    return str(path)
