"""`sim up --admin-password --api-key --scim-token`: credentials a handout or a CI job can hard-code."""

import pytest
import requests
from click.testing import CliRunner

from sim.cli import cli
from sim.run import up
from sim.run.preflight import StartError
from tests.run.helpers import CACHED_DIRECTORY
from tests.run.helpers import SMALL
from tests.run.helpers import signs_in
from tests.run.helpers import state_files

FIXED = {"admin_password": "Class-Room-2026", "api_key": "0123456789abcdef0123456789abcdef01234567",
         "scim_token": "class-token-0001-for-the-handout"}


def start(tmp_path, **options):
    return up.start(state_dir=str(tmp_path), make_directory=CACHED_DIRECTORY, synchronous="NORMAL",
                    **{**SMALL, **options})


def test_fixed_credentials_are_the_ones_that_work_and_survive_a_restart(tmp_path):
    for attempt in range(2):
        loop = start(tmp_path, **FIXED)
        try:
            jc, sdm = loop.endpoints["jumpcloud"], loop.endpoints["strongdm"]
            assert jc["api_key"] == FIXED["api_key"] and sdm["scim_token"] == FIXED["scim_token"]
            assert requests.get(f"{jc['url']}/api/systemusers", headers={"x-api-key": FIXED["api_key"]},
                                timeout=10).status_code == 200
            assert requests.get(f"{sdm['scim_base_url']}/Users", timeout=10,
                                headers={"Authorization": f"Bearer {FIXED['scim_token']}"}).status_code == 200
            for product in ("jumpcloud", "strongdm"):
                admin = loop.endpoints[product]["admin"]
                assert admin["password"] == FIXED["admin_password"]
                assert signs_in(loop.endpoints[product]["url"], admin), (product, attempt)
        finally:
            loop.stop()


def test_fixed_credentials_given_on_a_restart_replace_the_generated_ones(tmp_path):
    start(tmp_path).stop()
    loop = start(tmp_path, **FIXED)
    try:
        assert loop.endpoints["jumpcloud"]["api_key"] == FIXED["api_key"]
        assert loop.strongdm.app.extensions["strongdm"].org.check_token(FIXED["scim_token"])
        assert signs_in(loop.endpoints["jumpcloud"]["url"], loop.endpoints["jumpcloud"]["admin"])
    finally:
        loop.stop()


@pytest.mark.parametrize(("option", "value", "flag"), [
    ("admin_password", "short", "--admin-password"),
    ("admin_password", " Class-Room-2026", "--admin-password"),
    ("api_key", "0123456789ABCDEF0123456789ABCDEF01234567", "--api-key"),
    ("api_key", "0123456789abcdef", "--api-key"),
    ("scim_token", "too-short", "--scim-token"),
    ("scim_token", "has spaces in it, which bearer tokens cannot", "--scim-token"),
])
def test_a_credential_the_products_would_refuse_is_refused_before_any_state(tmp_path, option, value, flag):
    with pytest.raises(StartError, match=flag):
        start(tmp_path, **{option: value})
    assert state_files(tmp_path) == []


def test_a_fixed_scim_token_with_blank_is_refused(tmp_path):
    with pytest.raises(StartError, match="--blank"):
        start(tmp_path, blank=True, scim_token=FIXED["scim_token"])


def test_the_command_says_what_is_wrong_with_a_credential(tmp_path):
    result = CliRunner().invoke(cli, ["up", "--state-dir", str(tmp_path), "--api-key", "nope"])
    assert result.exit_code == 1 and "--api-key must be 40 lowercase hex" in result.output
    assert state_files(tmp_path) == []
