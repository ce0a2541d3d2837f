"""The scenario files the README shows are valid scenarios, in JSON and in YAML."""

import json
import pathlib
import re

from sim.scenario.load import parse_text

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("### Lifecycle scenarios"):text.index("## Testing your code")]


def test_the_readme_s_json_and_yaml_scenarios_validate_and_use_every_documented_step_kind():
    blocks = re.findall(r"```(json|yaml)\n(.*?)```", section(), re.S)
    assert [kind for kind, _ in blocks] == ["json", "yaml"]
    for kind, text in blocks:
        scenario = parse_text(text, yaml=kind == "yaml", name=f"README.{kind}")
        assert scenario.steps
    assert json.loads(blocks[0][1])["steps"][0]["do"] == "hire"
    documented = set(re.findall(r"^\| `([a-z-]+)`", section(), re.M))
    assert {"hire", "update", "rename", "transfer", "manager", "suspend", "create-group", "rename-group",
            "add-member", "configure"} <= documented
