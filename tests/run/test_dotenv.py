"""endpoints.env: endpoints.json as KEY=value lines that a shell, docker and dotenv libraries all read."""

import os
import subprocess

from sim.run import runner
from sim.run.dotenv import env_lines

ENDPOINTS = {
    "jumpcloud": {"url": "http://127.0.0.1:8400", "api_key": "k" * 40, "app_id": "81da8e36955470343b386386",
                  "admin": {"email": "a@example.com", "password": "p"}},
    "strongdm": {"url": "http://127.0.0.1:8401", "scim_base_url": "http://127.0.0.1:8401/provisioning/generic/v2",
                 "scim_token": "tok-EN_1", "admin": {"email": "b@example.com", "password": "q"},
                 "grpc": "127.0.0.1:8402", "api_access_key": "auth-1", "api_secret": "it's a+secret/="},
}


def test_write_endpoints_also_writes_the_documented_env_file_readable_by_its_owner_only(tmp_path):
    runner.write_endpoints(str(tmp_path), ENDPOINTS)
    path = tmp_path / "endpoints.env"
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    loaded = subprocess.run(["bash", "-c", f"set -a; . {path}; set +a; env"], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    assert "JUMPCLOUD_API_URL=http://127.0.0.1:8400/api" in loaded
    assert f"JUMPCLOUD_API_KEY={'k' * 40}" in loaded
    assert "SCIM_BASE_URL=http://127.0.0.1:8401/provisioning/generic/v2" in loaded
    assert "SCIM_TOKEN=tok-EN_1" in loaded
    assert "SDM_API_SECRET_KEY=it's a+secret/=" in loaded  # quoted in the file, exact after the shell reads it
    assert "SCIM_TOKEN=tok-EN_1\n" in path.read_text()  # safe values bare: docker's --env-file keeps quotes


def test_entries_a_state_does_not_have_are_left_out():
    blank = {"jumpcloud": {"url": "http://127.0.0.1:1", "api_key": "k", "app_id": None},
             "strongdm": {"url": "http://127.0.0.1:2", "scim_base_url": "http://127.0.0.1:2/p", "scim_token": None}}
    assert set(env_lines(blank)) == {"JUMPCLOUD_URL", "JUMPCLOUD_API_URL", "JUMPCLOUD_API_KEY", "STRONGDM_URL",
                                     "SCIM_BASE_URL"}
