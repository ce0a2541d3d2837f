"""The benchmark's server processes: the receiver with N users loaded, and the memory probes.

Run as `python -m sim.bench.server <role> ...`; each role prints one JSON line when ready, then obeys
one-line commands on stdin (`grow N`, `rss`, `quit`) and answers each with a JSON line. Servers run in
their own process so the client does not share their interpreter lock. Each role imports what it runs
inside its own function, so a memory probe's process holds only the app it measures.
"""

import argparse
import json
import sys
import time

from sim.bench.floor import add_floor
from sim.bench.floor import user_body

TOKEN = "bench-token-0123456789abcdef"


def memory() -> dict:
    """This process's peak and current resident set size, in MB (Linux /proc; getrusage elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return {"peak_rss_mb": int(fields["VmHWM"].split()[0]) / 1024, "rss_mb": int(fields["VmRSS"].split()[0]) / 1024}
    except (OSError, KeyError, ValueError):
        import resource

        return {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_mb": None}


def load_users(sdm, start: int, stop: int) -> None:
    """Create users start..stop-1 through the model (as POST /Users would, minus HTTP), in one transaction."""
    from sim.strongdm.receiver.common import Call
    from sim.strongdm.receiver.users import user_fields

    call = Call(provider="generic")
    with sdm.store.write():
        for n in range(start, stop):
            fields = user_fields(user_body(n), call, creating=True)
            fields["managed_by"] = "generic"
            sdm.accounts.create_user(fields)


def serve_app(app, server: str):
    """Serve on a free loopback port with the chosen WSGI server."""
    from sim.serve import ServerThread

    return ServerThread(app, "127.0.0.1", 0, server=server).start()


def receiver(args) -> None:
    """The StrongDM receiver holding `--users` users, with the floor route beside it."""
    from sim.store import Store
    from sim.strongdm import create_app

    store = Store(args.state, synchronous=args.sync)
    app = create_app(store, token=TOKEN)
    add_floor(app)
    sdm = app.extensions["strongdm"]
    load_users(sdm, 0, args.users)
    server = serve_app(app, args.server)
    say({"url": server.url, "token": TOKEN, "users": sdm.accounts.count_users(), **memory()})
    for line in sys.stdin:
        command, *rest = line.split()
        if command == "grow":
            start = time.perf_counter()
            have = sdm.accounts.count_users()
            # Loaded users are numbered from 0; POSTed ones carry another tag, so numbering never clashes.
            first = max(_max_seed_number(sdm) + 1, 0)
            load_users(sdm, first, first + max(0, int(rest[0]) - have))
            say({"users": sdm.accounts.count_users(), "seconds": time.perf_counter() - start})
        elif command == "rss":
            say(memory())
        elif command == "quit":
            break
    server.stop()
    store.close()


def _max_seed_number(sdm) -> int:
    email = sdm.accounts.last_email_with_prefix("seed.user")
    return -1 if email is None else int(email.split("@")[0].removeprefix("seed.user"))


def memory_strongdm(args) -> None:
    """Peak RSS of the receiver holding `--users` users and serving typical SCIM reads and writes."""
    from sim.store import Store
    from sim.strongdm import create_app

    store = Store(args.state, synchronous=args.sync)
    app = create_app(store, token=TOKEN)
    sdm = app.extensions["strongdm"]
    if sdm.accounts.count_users() < args.users:
        load_users(sdm, 0, args.users)
    loaded = memory()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    base = "/provisioning/generic/v2"
    body = json.dumps(user_body(0, "probe")).encode()
    requests = [("GET", f"{base}/Users?startIndex={1 + i * 997 % args.users}&count=100", None) for i in range(50)]
    requests += [("GET", f"{base}/Users?filter=" + _quote(f'userName eq "seed.user{i * 991 % args.users:06d}'
                                                          '@bench.example.com"'), None) for i in range(50)]
    requests += [("GET", f"{base}/Groups", None), ("POST", f"{base}/Users", body)]
    say({"users": sdm.accounts.count_users(), "after_load": loaded, **_serve_and_probe(app, args.server, headers,
                                                                                    requests)})


def memory_jumpcloud(args) -> None:
    """Peak RSS of JumpCloud holding `--users` users: seeding (if the state is empty, timed) and serving its API."""
    from sim.jumpcloud import create_app
    from sim.jumpcloud.state import DEFAULT_ADMIN
    from sim.jumpcloud.state import fixed_api_key
    from sim.store import Store

    store = Store(args.state, synchronous=args.sync)
    app = create_app(store)
    jc = app.extensions["jumpcloud"]
    timing = {}
    if jc.is_empty():
        from sim.fake import directory as fake

        start = time.perf_counter()
        directory = fake.make_directory(args.seed, args.users, args.groups)
        generated = time.perf_counter()
        jc.seed(directory, DEFAULT_ADMIN, api_key=fixed_api_key(args.seed))
        del directory
        stored = time.perf_counter()
        timing = {"generate_seconds": generated - start, "store_seconds": stored - generated,
                  "seed_seconds": stored - start}
    loaded = memory()
    headers = {"x-api-key": fixed_api_key(args.seed), "Accept": "application/json"}
    requests = [("GET", f"/api/systemusers?limit=100&skip={i * 997 % args.users}", None) for i in range(50)]
    requests += [("GET", "/api/v2/usergroups?limit=100", None), ("GET", "/api/systemusers?limit=1", None)]
    say({"users": jc.directory.user_count(), "seeded_now": bool(timing), **timing,
         "after_load": loaded, **_serve_and_probe(app, args.server, headers, requests)})


def loop(args) -> None:
    """The loop figure (see `sim.bench.loop`), reported as one JSON line."""
    from sim.bench import loop as bench_loop

    say(bench_loop.run(users=args.users, groups=args.groups, state_dir=args.state, seed=args.seed,
                       floor_requests=args.floor_requests))


def loop_faults(args) -> None:
    """The convergence-under-faults figure (see `sim.bench.faults`), reported as one JSON line."""
    from sim.bench import faults as bench_faults

    say(bench_faults.run(users=args.users, groups=args.groups, state_dir=args.state, seed=args.seed))


def _serve_and_probe(app, server_name: str, headers: dict, requests: list) -> dict:
    from sim.bench.client import Client

    server = serve_app(app, server_name)
    client = Client(server.url, headers)
    statuses = {}
    try:
        for method, path, body in requests:
            status, _ = client.call(method, path, body)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        client.close()
        server.stop()
    return {"statuses": {str(k): v for k, v in sorted(statuses.items())}, **memory()}


def _quote(text: str) -> str:
    import urllib.parse

    return urllib.parse.quote(text, safe="")


def say(doc: dict) -> None:
    """One JSON line to the parent."""
    sys.stdout.write(json.dumps(doc) + "\n")
    sys.stdout.flush()


def main(argv=None) -> None:
    """Parse the role and its options, then run it."""
    parser = argparse.ArgumentParser(prog="python -m sim.bench.server")
    parser.add_argument("role", choices=sorted(ROLES))
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--state", required=True)
    parser.add_argument("--sync", default="NORMAL")
    parser.add_argument("--server", default="waitress")
    parser.add_argument("--floor-requests", type=int, default=2000)
    args = parser.parse_args(argv)
    ROLES[args.role](args)


ROLES = {"receiver": receiver, "memory-strongdm": memory_strongdm, "memory-jumpcloud": memory_jumpcloud, "loop": loop,
         "loop-faults": loop_faults}

if __name__ == "__main__":
    main()
