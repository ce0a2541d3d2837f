"""`sim export` options: formats, the clean-folder rule, edge level and username style."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.export import fixtures as export
from sim.export.folder import FolderNotEmpty

TINY = {"seed": 3, "users": 8, "groups": 2}


@pytest.fixture(scope="module")
def every_format(tmp_path_factory):
    out = tmp_path_factory.mktemp("formats")
    export.export(str(out), **TINY, formats=("json", "csv", "ldif", "scim"))
    return out


def test_csv_has_jumpcloud_import_columns_and_one_row_per_user(every_format):
    rows = list(csv.DictReader(io.StringIO((every_format / "jumpcloud/systemusers.csv").read_text("utf-8"))))
    users = json.loads((every_format / "jumpcloud/systemusers.json").read_text("utf-8"))["results"]
    assert [r["username"] for r in rows] == [u["username"] for u in users]
    assert {"firstname", "lastname", "email", "manager"} <= set(rows[0])


def test_ldif_has_an_inetorgperson_per_user_and_a_group_of_names_per_group(every_format):
    text = (every_format / "jumpcloud/directory.ldif").read_text("utf-8")
    assert text.startswith("version: 1\n")
    assert text.count("objectClass: inetOrgPerson") == TINY["users"]
    assert text.count("objectClass: groupOfNames") == TINY["groups"]


def test_scim_ndjson_holds_one_resource_per_line(every_format):
    users = [json.loads(line) for line in (every_format / "strongdm/scim/Users.ndjson").read_text("utf-8").splitlines()]
    listed = json.loads((every_format / "strongdm/scim/Users.json").read_text("utf-8"))["Resources"]
    assert users == listed


def test_pushed_users_carry_the_office_locale_and_timezone(every_format):
    users = json.loads((every_format / "strongdm/scim/Users.json").read_text("utf-8"))["Resources"]
    sent = [json.loads(line)["body"] for line in (every_format / "exchanges.jsonl").read_text("utf-8").splitlines()]
    posted = [b for b in sent if isinstance(b, dict) and b.get("externalId")]
    assert posted and all(b.get("timezone") for b in posted)
    assert users


def test_a_non_empty_folder_is_refused_and_named(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FolderNotEmpty, match="notes.txt"):
        export.export(str(tmp_path), **TINY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_clean_replaces_an_earlier_export_but_never_foreign_files(tmp_path):
    export.export(str(tmp_path), **TINY, formats=("json", "csv"))
    export.export(str(tmp_path), **TINY, clean=True)
    assert not (tmp_path / "jumpcloud/systemusers.csv").exists()
    (tmp_path / "mine.txt").write_text("x")
    with pytest.raises(FolderNotEmpty, match="mine.txt"):
        export.export(str(tmp_path), **TINY, clean=True)
    assert (tmp_path / "README.md").exists()


def test_the_cli_reports_a_non_empty_folder_as_an_error(tmp_path):
    (tmp_path / "a.json").write_text("{}")
    result = CliRunner().invoke(cli, ["export", "--users", "3", "--groups", "1", "--out", str(tmp_path)])
    assert result.exit_code != 0 and "a.json" in result.output and "--clean" in result.output


def test_the_cli_passes_edge_style_and_formats(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--users", "25", "--groups", "1", "--out", str(tmp_path),
                                      "--edge", "none", "--username-style", "initial", "--format", "csv"])
    assert result.exit_code == 0, result.output
    users = json.loads((tmp_path / "jumpcloud/systemusers.json").read_text("utf-8"))["results"]
    assert not any("." in u["username"] for u in users)
    assert (tmp_path / "jumpcloud/systemusers.csv").exists()
    assert "--edge none --username-style initial --format csv" in (tmp_path / "README.md").read_text("utf-8")
