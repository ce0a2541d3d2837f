"""`sim bench`: the simulator's speed on loopback, each figure beside its floor measured in the same run.

The floor is a trivial route on the same app, server and client (`sim.bench.floor.add_floor`), so a
ratio to it is the cost of our own code. Servers run in child processes so the client never holds
their interpreter lock. Every figure is checked against the targets of issue #8 and printed PASS/MISS.
"""

import importlib
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass

from sim.bench import client as bench_client
from sim.bench.classroom import bench_classroom
from sim.bench.floor import FLOOR_PATH
from sim.bench.floor import user_body

SCIM_BASE = "/provisioning/generic/v2"


@dataclass(frozen=True)
class Sizes:
    """How much work each figure does: `FULL` for `make bench`, `QUICK` for tests and CI."""

    users: int = 10_000             # users loaded in the receiver
    big_users: int = 100_000        # the second lookup size, the seeding and the memory figures
    posts: int = 2_000              # POST /Users per throughput run
    lookups: int = 1_000            # `userName eq` requests per latency run
    pages: int = 300                # count=100 pages at random startIndex
    floor_requests: int = 2_000     # requests per floor run
    loop_users: int = 10_000
    loop_groups: int = 20
    fault_users: int = 200          # the convergence-under-faults figure (fault-free, then under 503:0.3)
    classroom_seats: int = 20       # `sim classroom --blank`: start time and memory (issue #16)


FULL = Sizes()
QUICK = Sizes(users=300, big_users=2_000, posts=100, lookups=60, pages=40, floor_requests=150, loop_users=40,
              loop_groups=4, fault_users=30, classroom_seats=2)

# Issue #8's targets. `lookup_growth` allows 10% for run-to-run noise in "no slower at 100k than at 10k".
TARGETS = {
    "post_ratio": 0.80,
    "lookup_ratio": 1.3,
    "lookup_growth": 1.10,
    "page_median_ms": 10.0,
    "page_p90_over_median": 2.0,
    "loop_ratio": 1.5,
    "seed_seconds": 10.0,
    "rss_mb": 400.0,
    "faults_ratio": 3.0,  # issue #15: under 503:0.3, converged within 3x the fault-free time, 0 lost, 0 duplicated
    "classroom_seconds": 10.0, "classroom_rss_mb": 1536.0,  # issue #16: 20 seats in under 10 s and 1.5 GB
}


PARTS = ("receiver", "durability", "memory", "loop", "faults", "classroom")


class ServerProcess:
    """A `python -m sim.bench.server` child speaking one JSON line per command."""

    def __init__(self, role: str, *args: str, env: dict | None = None):
        self.proc = subprocess.Popen([sys.executable, "-m", "sim.bench.server", role, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)
        self.ready = self.read()

    def read(self) -> dict:
        """The child's next JSON line (it exits with an error if it could not answer)."""
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            raise RuntimeError(f"bench server exited with status {code}")
        return json.loads(line)

    def ask(self, command: str) -> dict:
        """Send one command, return its answer."""
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        """Ask the child to quit and wait for it."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_child(role: str, *args: str, env: dict | None = None) -> dict:
    """Run a one-shot bench child and return its JSON answer."""
    with ServerProcess(role, *args, env=env) as child:
        return child.ready


# -- the receiver ----------------------------------------------------------------------------------------


def _lookup_path(n: int) -> str:
    user_name = user_body(n)["userName"]
    return f"{SCIM_BASE}/Users?filter=" + urllib.parse.quote(f'userName eq "{user_name}"', safe="")


def _floor_latency(url: str, headers: dict, n: int) -> bench_client.Latency:
    return bench_client.latency(url, headers, [("GET", FLOOR_PATH, None)] * n)


def _ratio(value: float, floor: float) -> float:
    return value / floor if floor else float("nan")


def bench_receiver(sizes: Sizes, workdir: str, server: str, rng: random.Random) -> dict:
    """POST throughput, `userName eq` lookups at two sizes and random pages, each beside its floor."""
    out = {}
    state = os.path.join(workdir, "strongdm.sqlite3")
    with ServerProcess("receiver", "--users", str(sizes.users), "--state", state, "--server", server) as rx:
        url = rx.ready["url"]
        headers = {"Authorization": f"Bearer {rx.ready['token']}", "Accept": "application/scim+json"}

        floor = _floor_latency(url, headers, sizes.floor_requests)
        lookups = [("GET", _lookup_path(rng.randrange(sizes.users)), None) for _ in range(sizes.lookups)]
        lookup = bench_client.latency(url, headers, lookups)
        out["lookup_small"] = {"users": rx.ready["users"], **lookup.as_dict(), "floor": floor.as_dict(),
                               "ratio": _ratio(lookup.median, floor.median)}

        pages = [("GET", f"{SCIM_BASE}/Users?startIndex={rng.randrange(1, sizes.users - 99)}&count=100", None)
                 for _ in range(sizes.pages)]
        page = bench_client.latency(url, headers, pages, warmup=5)
        out["page"] = {"users": rx.ready["users"], **page.as_dict(), "p90_over_median": page.p90 / page.median}

        body_len = len(json.dumps(user_body(0, "post")).encode())
        for clients in (1, 4):
            def floor_request(n: int) -> bench_client.Request:
                return "POST", FLOOR_PATH, json.dumps(user_body(n, "floor")).encode()

            def post_request(n: int, clients=clients) -> bench_client.Request:
                return "POST", f"{SCIM_BASE}/Users", json.dumps(user_body(n, f"post{clients}")).encode()

            base = bench_client.throughput(url, headers, floor_request, sizes.floor_requests, clients)
            posts = bench_client.throughput(url, headers, post_request, sizes.posts, clients, expect=201)
            out[f"post_{clients}"] = {**posts, "body_bytes": body_len, "floor_rps": base["rps"],
                                      "ratio": _ratio(posts["rps"], base["rps"])}

        grown = rx.ask(f"grow {sizes.big_users}")
        floor_big = _floor_latency(url, headers, sizes.floor_requests)
        lookups = [("GET", _lookup_path(rng.randrange(sizes.big_users)), None) for _ in range(sizes.lookups)]
        lookup_big = bench_client.latency(url, headers, lookups)
        out["lookup_big"] = {"users": grown["users"], "grow_seconds": grown["seconds"], **lookup_big.as_dict(),
                             "floor": floor_big.as_dict(), "ratio": _ratio(lookup_big.median, floor_big.median),
                             "growth": _ratio(lookup_big.median, lookup.median)}
        out["receiver_process"] = rx.ask("rss")
    out["state"] = state
    return out


def bench_durability(sizes: Sizes, workdir: str, server: str) -> dict:
    """POST /Users with one client when every commit is fsynced (synchronous=FULL), beside its floor."""
    state = os.path.join(workdir, "strongdm-full.sqlite3")
    with ServerProcess("receiver", "--users", "0", "--state", state, "--server", server, "--sync", "FULL") as rx:
        url = rx.ready["url"]
        headers = {"Authorization": f"Bearer {rx.ready['token']}"}
        base = bench_client.throughput(url, headers, lambda n: ("POST", FLOOR_PATH, b"{}"), sizes.floor_requests, 1)
        posts = bench_client.throughput(
            url, headers, lambda n: ("POST", f"{SCIM_BASE}/Users", json.dumps(user_body(n, "full")).encode()),
            max(sizes.posts // 2, 20), 1, expect=201)
    return {**posts, "floor_rps": base["rps"], "ratio": _ratio(posts["rps"], base["rps"]), "synchronous": "FULL"}


# -- seeding and memory ----------------------------------------------------------------------------------


def bench_memory(sizes: Sizes, workdir: str, server: str, receiver_state: str | None) -> dict:
    """Seed JumpCloud with `big_users` (timed), then peak RSS of each app serving from a fresh process."""
    jc_state = os.path.join(workdir, "jumpcloud.sqlite3")
    n = str(sizes.big_users)
    seeding = run_child("memory-jumpcloud", "--users", n, "--groups", "20", "--state", jc_state, "--server", server)
    jumpcloud = run_child("memory-jumpcloud", "--users", n, "--state", jc_state, "--server", server)
    sdm_state = receiver_state or os.path.join(workdir, "strongdm-mem.sqlite3")
    strongdm = run_child("memory-strongdm", "--users", n, "--state", sdm_state, "--server", server)
    return {"seeding": seeding, "jumpcloud": jumpcloud, "strongdm": strongdm}


# -- the loop --------------------------------------------------------------------------------------------


def bench_loop(sizes: Sizes, workdir: str, server: str) -> dict:
    """Seeded directory to converged with `sim up`'s functions, in a child process (see `sim.bench.loop`)."""
    try:  # the child runs `sim up`'s functions: if they cannot load, skip this figure, not the whole bench
        importlib.import_module("sim.run.up")
    except ImportError as exc:
        return {"skipped": f"loop not available: {exc}"}
    state = os.path.join(workdir, "loop")
    env = {**os.environ, "SIM_SERVER": server}
    return run_child("loop", "--users", str(sizes.loop_users), "--groups", str(sizes.loop_groups), "--state", state,
                     "--floor-requests", str(sizes.floor_requests), env=env)


def bench_faults(sizes: Sizes, workdir: str, server: str) -> dict:
    """The same first sync fault-free and under 503:0.3, in a child process (see `sim.bench.faults`)."""
    env = {**os.environ, "SIM_SERVER": server}
    return run_child("loop-faults", "--users", str(sizes.fault_users), "--groups", "4", "--state",
                     os.path.join(workdir, "faults"), env=env)


# -- putting it together ---------------------------------------------------------------------------------


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def machine() -> dict:
    """What the figures were measured on."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version, "processor": platform.processor() or platform.machine()}


def run(*, quick: bool = False, server: str = "waitress", seed: int = 1, workdir: str | None = None,
        parts: tuple[str, ...] = PARTS) -> dict:
    """Run the benchmark; returns the report (figures, targets, machine)."""
    sizes = QUICK if quick else FULL
    rng = random.Random(seed)
    started = time.perf_counter()
    report = {"mode": "quick" if quick else "full", "server": server, "synchronous": "NORMAL",
              "sizes": sizes.__dict__, "machine": machine(), "figures": {},
              # Other work on the machine slows floors and figures unevenly: say how busy it was.
              "load_average": {"start": _load()}}
    with tempfile.TemporaryDirectory(prefix="sim-bench-", dir=workdir) as tmp:
        figures = report["figures"]
        receiver_state = None
        if "receiver" in parts:
            figures["receiver"] = bench_receiver(sizes, tmp, server, rng)
            receiver_state = figures["receiver"].pop("state")
        if "durability" in parts:
            figures["post_full_sync"] = bench_durability(sizes, tmp, server)
        if "memory" in parts:
            figures["memory"] = bench_memory(sizes, tmp, server, receiver_state)
        if "loop" in parts:
            figures["loop"] = bench_loop(sizes, tmp, server)
        if "faults" in parts:
            figures["faults"] = bench_faults(sizes, tmp, server)
        if "classroom" in parts:
            figures["classroom"] = bench_classroom(sizes.classroom_seats, tmp)
    report["seconds"] = time.perf_counter() - started
    report["load_average"]["end"] = _load()
    report["targets"] = check_targets(report)
    return report


def check_targets(report: dict) -> list[dict]:
    """Each target of issue #8 with the measured value and PASS/MISS (absent figures are skipped)."""
    fig = report["figures"]
    checks = []

    def check(name: str, value, limit, ok: bool, unit: str = "") -> None:
        checks.append({"target": name, "value": value, "limit": limit, "unit": unit, "pass": bool(ok)})

    rx = fig.get("receiver")
    if rx:
        check("POST /Users, 1 client, rate / floor rate", rx["post_1"]["ratio"], TARGETS["post_ratio"],
              rx["post_1"]["ratio"] >= TARGETS["post_ratio"], ">=")
        check(f"userName eq lookup at {rx['lookup_small']['users']:,} users, latency / floor",
              rx["lookup_small"]["ratio"], TARGETS["lookup_ratio"],
              rx["lookup_small"]["ratio"] <= TARGETS["lookup_ratio"], "<=")
        check(f"userName eq lookup at {rx['lookup_big']['users']:,} users, latency / floor",
              rx["lookup_big"]["ratio"], TARGETS["lookup_ratio"],
              rx["lookup_big"]["ratio"] <= TARGETS["lookup_ratio"], "<=")
        check("lookup at the big size / at the small size (no slower; 10% noise)", rx["lookup_big"]["growth"],
              TARGETS["lookup_growth"], rx["lookup_big"]["growth"] <= TARGETS["lookup_growth"], "<=")
        check("count=100 page, median ms", rx["page"]["median_ms"], TARGETS["page_median_ms"],
              rx["page"]["median_ms"] < TARGETS["page_median_ms"], "<")
        check("count=100 page, p90 / median", rx["page"]["p90_over_median"], TARGETS["page_p90_over_median"],
              rx["page"]["p90_over_median"] <= TARGETS["page_p90_over_median"], "<=")
    loop = fig.get("loop")
    if loop and "skipped" not in loop:
        check("loop seconds / (SCIM requests / floor rate)", loop["ratio"], TARGETS["loop_ratio"],
              loop["ratio"] <= TARGETS["loop_ratio"], "<=")
    flt = fig.get("faults")
    if flt:
        bad = flt["faulty"]["lost"] + flt["faulty"]["duplicated"] + flt["faulty"]["pending"]
        check(f"{flt['users']} users under {flt['rule'].split('@')[0]}: seconds / fault-free seconds "
              f"({flt['faulty']['lost']} lost, {flt['faulty']['duplicated']} duplicated)", flt["ratio"],
              TARGETS["faults_ratio"], flt["ratio"] <= TARGETS["faults_ratio"] and not bad, "<=")
    room = fig.get("classroom")
    if room:
        check(f"sim classroom --seats {room['seats']} --blank, start s", room["start_seconds"],
              TARGETS["classroom_seconds"], room["start_seconds"] < TARGETS["classroom_seconds"], "<")
        if room["peak_rss_mb"] is not None:
            check(f"sim classroom --seats {room['seats']}, peak RSS MB", room["peak_rss_mb"],
                  TARGETS["classroom_rss_mb"], room["peak_rss_mb"] < TARGETS["classroom_rss_mb"], "<")
    mem = fig.get("memory")
    if mem:
        seed = mem["seeding"]
        check(f"seed {seed['users']:,} users (generate + store), s", seed["seed_seconds"], TARGETS["seed_seconds"],
              seed["seed_seconds"] < TARGETS["seed_seconds"], "<")
        for app in ("jumpcloud", "strongdm"):
            check(f"{app} peak RSS holding {mem[app]['users']:,} users, MB", mem[app]["peak_rss_mb"],
                  TARGETS["rss_mb"], mem[app]["peak_rss_mb"] < TARGETS["rss_mb"], "<")
    return checks


def format_table(report: dict) -> str:
    """The human-readable report: figures beside their floors, then the targets with PASS/MISS."""
    fig = report["figures"]
    m = report["machine"]
    lines = [f"sim bench ({report['mode']}): {m['cpus']} CPUs, Python {m['python']}, SQLite {m['sqlite']}, "
             f"server {report['server']}, synchronous={report['synchronous']}, {report['seconds']:.0f} s"]
    load = report.get("load_average", {})
    if load.get("start") and load.get("end"):
        lines.append(f"load average (1/5/15 min): {load['start']} at start, {load['end']} at end "
                     f"(above {m['cpus']}, other work competed for the CPUs)")
    lines.append("")
    rows = [("figure", "value", "floor", "ratio")]
    rx = fig.get("receiver")
    if rx:
        for clients in (1, 4):
            p = rx[f"post_{clients}"]
            rows.append((f"POST /Users, {clients} client{'s' if clients > 1 else ''} (req/s)", f"{p['rps']:.0f}",
                         f"{p['floor_rps']:.0f}", f"{p['ratio']:.2f}"))
        for key in ("lookup_small", "lookup_big"):
            lk = rx[key]
            rows.append((f"userName eq at {lk['users']:,} users (median ms)", f"{lk['median_ms']:.2f}",
                         f"{lk['floor']['median_ms']:.2f}", f"{lk['ratio']:.2f}"))
        pg = rx["page"]
        rows.append((f"count=100 page at {pg['users']:,} users (median / p90 ms)",
                     f"{pg['median_ms']:.2f} / {pg['p90_ms']:.2f}", "", f"p90/med {pg['p90_over_median']:.2f}"))
    full = fig.get("post_full_sync")
    if full:
        rows.append(("POST /Users, 1 client, synchronous=FULL (req/s)", f"{full['rps']:.0f}",
                     f"{full['floor_rps']:.0f}", f"{full['ratio']:.2f}"))
    loop = fig.get("loop")
    if loop and "skipped" in loop:
        rows.append(("loop", loop["skipped"], "", ""))
    elif loop:
        rows.append((f"loop {loop['users']:,} users / {loop['groups']} groups to converged, "
                     f"synchronous={loop['synchronous']} (s)",
                     f"{loop['seconds']:.1f}", f"{loop['floor_seconds']:.1f}", f"{loop['ratio']:.2f}"))
        rows.append(("loop users/s, SCIM requests (req/s)", f"{loop['users_per_second']:.0f} users/s",
                     f"{loop['scim_requests']} req", f"{loop['requests_per_second']:.0f} req/s"))
    flt = fig.get("faults")
    if flt:
        rows.append((f"{flt['users']} users to converged under {flt['rule'].split('@')[0]} / fault-free (s)",
                     f"{flt['faulty']['seconds']:.1f}", f"{flt['clean']['seconds']:.1f}", f"{flt['ratio']:.2f}"))
    mem = fig.get("memory")
    if mem:
        seed = mem["seeding"]
        rows.append((f"seed {seed['users']:,} users: generate + store (s)",
                     f"{seed['generate_seconds']:.1f} + {seed['store_seconds']:.1f}", "", ""))
        rows.append((f"jumpcloud peak RSS while seeding {seed['users']:,} (MB)", f"{seed['peak_rss_mb']:.0f}", "", ""))
        for app in ("jumpcloud", "strongdm"):
            rows.append((f"{app} peak RSS holding {mem[app]['users']:,} users (MB)",
                         f"{mem[app]['peak_rss_mb']:.0f}", "", ""))
    if fig.get("classroom"):
        room = fig["classroom"]
        rows.append((f"sim classroom --seats {room['seats']}: start (s) / peak RSS (MB)",
                     f"{room['start_seconds']:.1f} / {room['peak_rss_mb']}", "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                               for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", "targets:"]
    for t in report["targets"]:
        lines.append(f"  {'PASS' if t['pass'] else 'MISS'}  {t['target']}: {t['value']:.2f} "
                     f"(target {t['unit']} {t['limit']:g})")
    return "\n".join(lines)


def write_json(report: dict, path: str) -> None:
    """Write the report as JSON (creating the folder if needed)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, sort_keys=True)
        f.write("\n")
