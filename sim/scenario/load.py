"""Read a scenario: a built-in name, or a JSON or YAML file (YAML needs the `yaml` extra, PyYAML)."""

import json
import os

from sim.scenario.builtin import BUILTINS
from sim.scenario.steps import Scenario
from sim.scenario.steps import ScenarioError
from sim.scenario.steps import parse_scenario

MAX_FILE = 1 << 20  # a timeline of thousands of steps fits in far less
YAML_SUFFIXES = (".yaml", ".yml")


def _not_json(token: str):
    raise ValueError(f"{token} is not JSON (RFC 8259 §6)")


def parse_text(text: str, *, yaml: bool, name: str) -> Scenario:
    """Validate a scenario from the text of a file."""
    if yaml:
        try:
            import yaml as pyyaml
        except ImportError:
            raise ScenarioError(f"{name}: reading YAML needs PyYAML: pip install 'jumpcloud-strongdm-sim[yaml]' "
                                "(or write the scenario as JSON)") from None
        try:
            doc = pyyaml.safe_load(text)  # plain data only: no tags that build Python objects
        except pyyaml.YAMLError as exc:
            raise ScenarioError(f"{name}: not valid YAML: {exc}") from None
        except RecursionError:
            raise ScenarioError(f"{name}: nested too deep to be a scenario") from None
    else:
        try:
            doc = json.loads(text, parse_constant=_not_json)
        except ValueError as exc:
            raise ScenarioError(f"{name}: not valid JSON: {exc}") from None
        except RecursionError:
            raise ScenarioError(f"{name}: nested too deep to be a scenario") from None
    try:
        return parse_scenario(doc, name=os.path.splitext(os.path.basename(name))[0])
    except ScenarioError as exc:
        raise ScenarioError(f"{name}: {exc}") from None


def read_file(path: str) -> Scenario:
    """A scenario file (`.json`, `.yaml` or `.yml`)."""
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE:
            raise ScenarioError(f"{path}: {size} bytes; a scenario file holds at most {MAX_FILE} bytes")
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: a scenario file is UTF-8 text") from None
    return parse_text(text, yaml=path.lower().endswith(YAML_SUFFIXES), name=path)


def is_builtin(source: str) -> bool:
    """Whether `source` names a built-in scenario rather than a file."""
    return source in BUILTINS and not os.path.exists(source)


def check(source: str) -> Scenario | None:
    """Validate a file before anything runs (None for a built-in: it is written for its directory)."""
    if is_builtin(source):
        return None
    if not os.path.exists(source):
        raise ScenarioError(f"{source}: no such scenario file, and not a built-in scenario "
                            f"({', '.join(BUILTINS)})")
    return read_file(source)


def load(source: str, driver) -> Scenario:
    """The scenario `source` names: a built-in (written for `driver`'s directory) or a file."""
    if is_builtin(source):
        return BUILTINS[source](driver)
    return check(source)
