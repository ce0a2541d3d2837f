"""The committed fixtures/ are exactly what `sim export --seed 42 --users 50 --groups 8` writes today."""

import pathlib

from sim.export import fixtures as export

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"
ARGS = {"seed": 42, "users": 50, "groups": 8, "formats": ("json", "csv", "ldif", "scim")}  # the Makefile's target
HINT = "fixtures/ is out of date: run `make fixtures` and review the diff (git diff fixtures/) before committing it"


def tree(root: pathlib.Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_fresh_export_equals_the_committed_fixtures_byte_for_byte(tmp_path):
    export.export(str(tmp_path), **ARGS)
    fresh, committed = tree(tmp_path), tree(FIXTURES)
    assert sorted(fresh) == sorted(committed), (
        f"{HINT} "
        f"files differ: {sorted(set(fresh) ^ set(committed))}")
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"{HINT}; changed: {changed}"


def test_the_makefile_target_makes_the_fixtures_with_these_arguments():
    makefile = (FIXTURES.parent / "Makefile").read_text(encoding="utf-8")
    assert ("sim export --seed 42 --users 50 --groups 8 --format csv --format ldif --format scim --clean "
            "--out fixtures") in makefile
