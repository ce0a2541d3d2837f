"""Dependencies that compose: ranges in pyproject, the tested versions in constraints.txt, and the extras."""

import subprocess
import sys
import tomllib

from packaging.requirements import Requirement

from tests.paths import ROOT


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_runtime_dependencies_are_ranges_and_the_constraints_satisfy_every_requirement():
    pins = constraints()
    for text in project()["dependencies"]:
        requirement = Requirement(text)
        assert not any(spec.operator == "==" for spec in requirement.specifier), f"{text} is a pin, not a range"
        assert requirement.specifier.contains(pins[requirement.name.lower()]), (text, pins[requirement.name.lower()])
    for extra, texts in project()["optional-dependencies"].items():
        for text in texts:
            requirement = Requirement(text)
            assert requirement.specifier.contains(pins[requirement.name.lower()]), (extra, text)


def test_make_installs_with_the_constraints_run_without_the_test_toolchain_and_test_with_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-c $(CONSTRAINTS)" in makefile and "CONSTRAINTS := constraints.txt" in makefile
    assert "$(PIP) -e '.[sdk,yaml]'" in makefile and "$(PIP) -e '.[test,sdk,pytest,yaml]'" in makefile
    assert "run: $(RUN_STAMP)" in makefile and "test: $(STAMP)" in makefile
    assert "python -m build" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_license_file_is_the_license_pyproject_names():
    assert project()["license"] == "MIT" and project()["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_without_pytest_the_plugin_says_which_extra_to_install_in_one_line():
    code = "import sys; sys.modules['pytest'] = None; import sim.testing"  # None makes the import fail
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "ModuleNotFoundError: sim.testing needs pytest: pip install 'jumpcloud-strongdm-sim[pytest]'")
    assert "pytest" in project()["optional-dependencies"]["pytest"][0]
