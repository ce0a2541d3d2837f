"""`sim export`: byte-identical runs, the shapes of every file, exchanges.jsonl without secrets, the CLI."""

import json
import re
import socket

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.export import fixtures as export
from sim.jumpcloud.pusher.client import ScimClient
from sim.jumpcloud.pusher.client import ScimClientError

SMALL = {"seed": 5, "users": 12, "groups": 3}
JSON_FILES = [
    "jumpcloud/application_associations.json", "jumpcloud/applications.json", "jumpcloud/systemusers.json",
    "jumpcloud/usergroup_members.json", "jumpcloud/usergroups.json", "strongdm/activities.json",
    "strongdm/attachments.json", "strongdm/roles.json", "strongdm/scim/Groups.json", "strongdm/scim/Users.json",
    "strongdm/users.json",
]
ALL_FILES = sorted(JSON_FILES + ["README.md", "exchanges.jsonl"])


def read_tree(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    result = export.export(str(out), **SMALL)
    return out, result


def load(out, name):
    return json.loads((out / name).read_text(encoding="utf-8"))


def exchanges(out) -> list[dict]:
    return [json.loads(line) for line in (out / "exchanges.jsonl").read_text(encoding="utf-8").splitlines()]


def test_two_runs_with_the_same_arguments_are_byte_identical_and_another_seed_differs(exported, tmp_path):
    out, _ = exported
    export.export(str(tmp_path / "again"), **SMALL)
    assert read_tree(tmp_path / "again") == read_tree(out)
    export.export(str(tmp_path / "other"), **{**SMALL, "seed": 6})
    other = read_tree(tmp_path / "other")
    assert other["jumpcloud/systemusers.json"] != read_tree(out)["jumpcloud/systemusers.json"]


def test_the_export_writes_every_documented_file_and_its_readme_describes_each(exported):
    out, result = exported
    assert result["files"] == ALL_FILES
    assert sorted(read_tree(out)) == ALL_FILES
    readme = (out / "README.md").read_text(encoding="utf-8")
    for name in ALL_FILES[1:]:
        assert f"`{name}`" in readme
    assert "`sim export --seed 5 --users 12 --groups 3 --org-model roles`" in readme  # the suite pins roles


@pytest.mark.parametrize("name", JSON_FILES)
def test_json_files_have_sorted_keys_two_space_indent_and_a_trailing_newline(exported, name):
    out, _ = exported
    text = (out / name).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_jumpcloud_files_keep_the_api_shapes(exported):
    out, _ = exported
    users = load(out, "jumpcloud/systemusers.json")
    assert set(users) == {"totalCount", "results"} and users["totalCount"] == len(users["results"]) == 12
    assert all("_id" in u and "username" in u for u in users["results"])
    groups = load(out, "jumpcloud/usergroups.json")
    assert isinstance(groups, list) and len(groups) == 3 and all(g["type"] == "user_group" for g in groups)
    members = load(out, "jumpcloud/usergroup_members.json")
    assert set(members) == {g["id"] for g in groups}
    user_ids = {u["_id"] for u in users["results"]}
    for connections in members.values():
        for c in connections:
            assert c == {"attributes": None, "to": {"attributes": None, "id": c["to"]["id"], "type": "user"}}
            assert c["to"]["id"] in user_ids
    apps = load(out, "jumpcloud/applications.json")
    strongdm_app = next(a for a in apps["results"] if a["name"] == "strongdm")
    associations = load(out, "jumpcloud/application_associations.json")[strongdm_app["_id"]]
    # `sim up` (and so the export) binds every user group to the StrongDM application.
    assert {c["to"]["id"] for c in associations["user_group"]} == {g["id"] for g in groups}


def test_strongdm_files_agree_with_each_other_and_with_the_directory(exported):
    out, result = exported
    scim_users = load(out, "strongdm/scim/Users.json")
    assert scim_users["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert scim_users["totalResults"] == scim_users["itemsPerPage"] == len(scim_users["Resources"])
    users = load(out, "strongdm/users.json")
    assert {u["id"] for u in users} == {r["id"] for r in scim_users["Resources"]}
    assert all(re.fullmatch(r"a-[0-9a-f]{16}", u["id"]) for u in users)
    directory_ids = {u["_id"] for u in load(out, "jumpcloud/systemusers.json")["results"]}
    assert {u["external_id"] for u in users if u["managed_by"]} <= directory_ids
    roles = load(out, "strongdm/roles.json")
    scim_groups = load(out, "strongdm/scim/Groups.json")
    assert {r["name"] for r in roles} == {g["displayName"] for g in scim_groups["Resources"]}
    attachments = load(out, "strongdm/attachments.json")
    assert {a["role_id"] for a in attachments} <= {r["id"] for r in roles}
    assert sum(len(g.get("members") or []) for g in scim_groups["Resources"]) == len(attachments)
    activities = load(out, "strongdm/activities.json")
    assert [a["timestamp"] for a in activities] == sorted(a["timestamp"] for a in activities)
    assert result["counts"]["strongdm activities"] == len(activities)


def test_exchanges_are_the_whole_scim_conversation_in_order_without_secrets(exported):
    out, result = exported
    lines = exchanges(out)
    assert len(lines) == result["counts"]["scim exchanges"]
    assert all(set(x) == {"method", "path", "headers", "body", "status", "response_body"} for x in lines)
    # The Activate connection test comes first (reference §1.2): look the test user up, then create it.
    assert (lines[0]["method"], lines[0]["path"].split("?")[0]) == ("GET", "/Users")
    assert (lines[1]["method"], lines[1]["path"]) == ("POST", "/Users")
    assert all(200 <= x["status"] < 300 for x in lines)
    created = {x["response_body"]["id"] for x in lines if x["method"] == "POST" and x["path"] == "/Users"}
    assert {u["id"] for u in load(out, "strongdm/users.json")} <= created
    raw = (out / "exchanges.jsonl").read_text(encoding="utf-8")
    assert "authorization" not in raw.lower()
    assert export.secret_for(SMALL["seed"], "scim-token") not in raw


def test_no_file_holds_a_credential_or_an_ephemeral_port(exported):
    out, _ = exported
    text = "".join(b.decode("utf-8") for b in read_tree(out).values())
    for what in ("scim-token", "jumpcloud-api-key"):
        assert export.secret_for(SMALL["seed"], what) not in text
    assert export.ADMIN_PASSWORD not in text
    assert set(re.findall(r"127\.0\.0\.1:(\d+)", text)) <= {"8400", "8401"}


def test_the_scim_client_recorder_sees_failures_too_and_never_the_token():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    seen = []
    client = ScimClient(f"http://127.0.0.1:{port}/scim", "secret-token-123", recorder=seen.append, timeout=2)
    with pytest.raises(ScimClientError):
        client.create_user({"userName": "x@example.com"})
    client.close()
    assert seen == [{"method": "POST", "path": "/Users", "body": {"userName": "x@example.com"}, "status": None,
                     "response_body": None,
                     "headers": {"Accept": "application/scim+json, application/json",
                                 "Content-Type": "application/scim+json", "User-Agent": client.public_headers["User-Agent"]}}]


def test_the_export_pushes_with_one_worker_and_seeded_jitter():
    settings = export.push_settings(9)
    assert (settings["PUSH_WORKERS"], settings["PUSH_SEED"], settings["PUSH_DELAY"]) == (1, 9, 0.0)


def test_sim_export_writes_the_files_prints_counts_and_reports_progress_on_stderr(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--seed", "5", "--users", "6", "--groups", "2",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert re.search(r"^jumpcloud users\s+6$", result.stdout, re.M)
    assert "Wrote 13 files" in result.stdout
    assert "Sync" in result.stderr and "Sync" not in result.stdout
    assert sorted(read_tree(tmp_path / "out")) == ALL_FILES


@pytest.mark.parametrize("args", [["--users", "-1"], ["--groups", "x"], []])
def test_sim_export_refuses_bad_arguments(args, tmp_path):
    if args:
        args = args + ["--out", str(tmp_path)]
    result = CliRunner().invoke(cli, ["export", *args])
    assert result.exit_code == 2


def test_a_groups_org_exports_groups_and_account_groups_instead_of_roles(tmp_path):
    """StrongDM orgs since October 2025 (the default model) turn SCIM Groups into StrongDM Groups."""
    result = export.export(str(tmp_path), **SMALL, org_model="groups")
    names = set(result["files"])
    assert {"strongdm/groups.json", "strongdm/account_groups.json", "strongdm/group_roles.json"} <= names
    assert not names & {"strongdm/roles.json", "strongdm/attachments.json"}
    groups = load(tmp_path, "strongdm/groups.json")
    assert groups and all(re.fullmatch(r"group-[0-9a-f]{16}", g["id"]) for g in groups)
    scim_groups = load(tmp_path, "strongdm/scim/Groups.json")["Resources"]
    assert {g["id"] for g in scim_groups} == {g["id"] for g in groups}
    links = load(tmp_path, "strongdm/account_groups.json")
    assert all(re.fullmatch(r"accountgroup-[0-9a-f]{16}", link["id"]) for link in links)
    assert sum(len(g.get("members") or []) for g in scim_groups) == len(links)
    assert load(tmp_path, "strongdm/group_roles.json") == []  # SCIM never grants roles
    assert result["counts"]["strongdm account groups"] == len(links)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "--org-model groups" in readme and "`strongdm/account_groups.json`" in readme
