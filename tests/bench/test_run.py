"""`sim bench --quick`: it runs end to end, prints the table and writes JSON of the documented shape (no timings asserted)."""

import json

import pytest
from click.testing import CliRunner

from sim.bench.client import percentile
from sim.cli import cli


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    result = CliRunner().invoke(cli, ["bench", "--quick", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, json.loads(out.read_text())


def test_quick_bench_writes_every_figure_to_json(quick_run):
    _, report = quick_run
    assert report["mode"] == "quick"
    assert set(report["figures"]) == {"receiver", "post_full_sync", "memory", "loop", "faults", "classroom"}
    receiver = report["figures"]["receiver"]
    assert {"post_1", "post_4", "lookup_small", "lookup_big", "page"} <= set(receiver)
    for clients in (1, 4):
        post = receiver[f"post_{clients}"]
        assert post["clients"] == clients
        assert post["rps"] > 0 and post["floor_rps"] > 0
    assert receiver["lookup_big"]["users"] > receiver["lookup_small"]["users"]
    assert receiver["page"]["p90_ms"] >= receiver["page"]["median_ms"] > 0


def test_quick_loop_converges_and_counts_its_scim_requests(quick_run):
    _, report = quick_run
    loop = report["figures"]["loop"]
    assert loop["converged"] and loop["failing"] == 0
    assert loop["strongdm_users"] > 0
    assert loop["scim_requests"] == sum(loop["by_method"].values()) > loop["strongdm_users"]


def test_quick_fault_figure_syncs_twice_and_counts_lost_and_duplicated_users(quick_run):
    _, report = quick_run
    faults = report["figures"]["faults"]
    assert faults["rule"].startswith("503:0.3")
    assert faults["faulty"]["injected"] > 0 and faults["clean"]["injected"] == 0
    for run in (faults["clean"], faults["faulty"]):
        assert run["converged"] and run["users_wanted"] > 0
        assert run["lost"] == 0 and run["duplicated"] == 0
    assert faults["ratio"] == faults["faulty"]["seconds"] / faults["clean"]["seconds"]


def test_quick_memory_figures_come_from_each_app_process(quick_run):
    _, report = quick_run
    memory = report["figures"]["memory"]
    assert memory["seeding"]["seeded_now"] is True
    assert memory["jumpcloud"]["seeded_now"] is False  # the second process serves the state the first one seeded
    for app in ("jumpcloud", "strongdm"):
        assert memory[app]["users"] >= report["sizes"]["big_users"]
        assert memory[app]["peak_rss_mb"] > 0
        assert set(memory[app]["statuses"]) <= {"200", "201"}


def test_every_target_is_printed_with_pass_or_miss(quick_run):
    output, report = quick_run
    assert len(report["targets"]) == 11
    for target in report["targets"]:
        verdict = "PASS" if target["pass"] else "MISS"
        assert f"{verdict}  {target['target']}" in output
    assert "POST /Users, 1 client (req/s)" in output


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([1.0], 90, 1.0),
    ([1.0, 2.0, 3.0, 4.0, 5.0], 50, 3.0),
    ([5.0, 1.0, 4.0, 2.0, 3.0], 100, 5.0),
    ([0.0, 10.0], 90, 9.0),
])
def test_percentile_interpolates_between_ranks(values, q, expected):
    assert percentile(values, q) == pytest.approx(expected)


def test_the_classroom_figure_reports_start_time_and_memory_of_the_real_command(tmp_path):
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(cli, ["bench", "--quick", "--only", "classroom", "--out", str(out)])
    assert result.exit_code == 0, result.output
    room = json.loads(out.read_text())["figures"]["classroom"]
    assert room["seats"] == 2 and room["start_seconds"] > 0 and room["peak_rss_mb"] > 0
    assert "sim classroom --seats 2" in result.output
