"""The committed fixtures/ are exactly what `make fixtures` (seed 42, 50 users, 8 groups, joiners-movers-leavers) writes today.

Byte-identical only with the Faker version they were made with (constraints.txt's, what `make` installs): with
another Faker installed the comparison is skipped and says why, except under CI, which must run it.
"""

import os
import pathlib
import re
from importlib import metadata

import pytest

from sim.export import fixtures as export

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
ARGS = {"seed": 42, "users": 50, "groups": 8, "formats": ("json", "csv", "ldif", "scim"),
        "scenario": "joiners-movers-leavers"}  # the Makefile's target
HINT = "fixtures/ is out of date: run `make fixtures` and review the diff (git diff fixtures/) before committing it"


def pinned_faker() -> str:
    """The Faker version in constraints.txt: the one CI tests with and the fixtures were made with."""
    found = re.search(r"^faker==(\S+)$", (ROOT / "constraints.txt").read_text(encoding="utf-8"), re.M | re.I)
    assert found, "constraints.txt pins no Faker version"
    return found.group(1)


def faker_verdict(installed: str, pinned: str, *, ci: bool) -> tuple[str | None, str]:
    """(None, "") to compare; ("skip" or "fail", why) when another Faker than the fixtures' is installed."""
    if installed == pinned:
        return None, ""
    why = (f"fixtures/ were made with Faker {pinned} (constraints.txt) but Faker {installed} is installed: "
           f"a seed's directory differs between Faker versions, so the byte-for-byte comparison is skipped "
           f"(`make test` installs Faker {pinned})")
    return ("fail", why + "; CI must run it") if ci else ("skip", why)


def tree(root: pathlib.Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_fresh_export_equals_the_committed_fixtures_byte_for_byte(tmp_path):
    verdict, why = faker_verdict(metadata.version("faker"), pinned_faker(), ci=bool(os.environ.get("CI")))
    if verdict == "fail":
        pytest.fail(why)
    if verdict == "skip":
        pytest.skip(why)
    export.export(str(tmp_path), **ARGS)
    fresh, committed = tree(tmp_path), tree(FIXTURES)
    assert sorted(fresh) == sorted(committed), (
        f"{HINT} "
        f"files differ: {sorted(set(fresh) ^ set(committed))}")
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"{HINT}; changed: {changed}"


def test_another_faker_skips_the_comparison_naming_both_versions_and_ci_fails_instead():
    assert faker_verdict("40.54.0", "40.54.0", ci=True) == (None, "")
    verdict, why = faker_verdict("25.9.2", "40.54.0", ci=False)
    assert verdict == "skip"
    assert why.startswith("fixtures/ were made with Faker 40.54.0 (constraints.txt) but Faker 25.9.2 is installed")
    assert "`make test` installs Faker 40.54.0" in why
    verdict, why = faker_verdict("25.9.2", "40.54.0", ci=True)
    assert verdict == "fail" and why.endswith("; CI must run it")


def test_the_fixtures_record_the_faker_version_they_were_made_with():
    assert f"Generated with Faker {pinned_faker()}:" in (FIXTURES / "README.md").read_text(encoding="utf-8")


def test_the_makefile_target_makes_the_fixtures_with_these_arguments():
    makefile = (FIXTURES.parent / "Makefile").read_text(encoding="utf-8")
    assert ("sim export --seed 42 --users 50 --groups 8 --format csv --format ldif --format scim "
            "--scenario joiners-movers-leavers --clean --out fixtures") in makefile
