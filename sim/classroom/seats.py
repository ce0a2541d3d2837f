"""The seats of a class: each a JumpCloud + StrongDM pair (`sim up`'s, in this process) with its own state dir,
admin logins and ports. Seat n's JumpCloud listens on `port + 2n - 1`, its StrongDM on `port + 2n` (the trainer
page has `port`), or every port is picked free when `port` is 0.
"""

import concurrent.futures
import functools
import os
import threading
from dataclasses import dataclass
from dataclasses import field

from sim.classroom.progress import guide_progress
from sim.run import up
from sim.run.preflight import StartError
from sim.run.preflight import check_credentials
from sim.run.preflight import check_ports

MAX_SEATS = 100
SEAT_THREADS = 3  # seats started at once after the first (measured with `sim bench --only classroom` on 2 cores)


@dataclass
class Seat:
    """One trainee's sandbox."""

    number: int
    state_dir: str
    loop: up.Loop

    @property
    def name(self) -> str:
        return f"seat-{self.number:02d}"

    def logins(self) -> dict:
        """What the handout prints for this seat: both consoles' URLs and logins."""
        jc, sdm = self.loop.endpoints["jumpcloud"], self.loop.endpoints["strongdm"]
        return {"seat": self.number, "jumpcloud": {"url": jc["url"], **jc["admin"]},
                "strongdm": {"url": sdm["url"], **sdm["admin"]}}

    def progress(self) -> dict:
        """The seat's ticks through the seed guide (sim.classroom.progress)."""
        return guide_progress(self.loop.jumpcloud.app.extensions["jumpcloud"],
                              self.loop.strongdm.app.extensions["strongdm"])

    def reset(self) -> dict:
        """Back to the state right after seeding (or the first sync of a wired seat)."""
        return self.loop.reset()


@dataclass
class Classroom:
    """The running seats."""

    seats: list[Seat]
    state_dir: str
    blank: bool
    notes: list[str] = field(default_factory=list)

    def seat(self, number: int) -> Seat | None:
        return next((s for s in self.seats if s.number == number), None)

    def stop(self) -> None:
        for seat in self.seats:
            seat.loop.stop()


def seat_ports(port: int, seats: int) -> list[tuple[int, int]]:
    """(JumpCloud, StrongDM) ports per seat: consecutive after the trainer's `port`, or all free (0)."""
    if not port:
        return [(0, 0)] * seats
    return [(port + 2 * n - 1, port + 2 * n) for n in range(1, seats + 1)]


def start_classroom(*, seats: int, state_dir: str, seed: int | None = None, users: int | None = None,
                    groups: int | None = None, blank: bool = True, host: str = "127.0.0.1", port: int = 8400,
                    admin_password: str | None = None, api_key: str | None = None, scim_token: str | None = None,
                    make_directory=None, synchronous: str | None = None, settings: dict | None = None) -> Classroom:
    """Start `seats` seats under `state_dir/seat-NN`; raises StartError (before any state) for bad arguments.

    Every seat is seeded from the same directory (one seed: the same exercise for everyone), generated once.
    Seat 1 starts alone, the others in threads: werkzeug builds URL rules with compile(), and CPython 3.11's
    AST conversion is not safe across threads ("AST constructor recursion depth mismatch" when two apps were made
    at once); with the builders shared (sim.web.rules), only the first app of each kind compiles any.
    """
    if not 1 <= seats <= MAX_SEATS:
        raise StartError(f"--seats must be between 1 and {MAX_SEATS}")
    check_credentials(admin_password=admin_password, api_key=api_key, scim_token=scim_token)
    ports = seat_ports(port, seats)
    if port:
        if port + 2 * seats > 65535:
            raise StartError(f"--port {port} leaves no room for {seats} seats (they take the next {2 * seats} ports)")
        check_ports(host, [(port, "--port")] + [(p, f"--port (seat {n} takes ports {jc} and {sdm})")
                                                 for n, (jc, sdm) in enumerate(ports, 1) for p in (jc, sdm)])
    if make_directory is None:
        from sim.fake.directory import make_directory as generate

        make_directory = generate
    shared = shared_directory(make_directory)

    def start_seat(number: int) -> Seat:
        jc_port, sdm_port = ports[number - 1]
        loop = up.start(seed=seed, users=users, groups=groups, jumpcloud_port=jc_port, strongdm_port=sdm_port,
                        state_dir=seat_dir(state_dir, number), blank=blank, host=host, settings=settings,
                        make_directory=shared, synchronous=synchronous, admin_password=admin_password,
                        api_key=api_key, scim_token=None if blank else scim_token,
                        command=f"sim classroom (seat {number})")
        if not blank:
            up.first_sync(loop)
        return Seat(number, seat_dir(state_dir, number), loop)

    started: list[Seat] = []
    try:
        # Seat 1 alone: its apps compile every URL builder (sim.web.rules) and do the lazy imports, so the other
        # seats' apps compile no AST and may be built in threads. Most of a seat's start is its two admin
        # passwords' scrypt hashes, which release the GIL: threads overlap them on the machine's cores.
        started.append(start_seat(1))
        with concurrent.futures.ThreadPoolExecutor(SEAT_THREADS, thread_name_prefix="seat-start") as pool:
            pending = [pool.submit(start_seat, number) for number in range(2, seats + 1)]
            failure = None
            for future in pending:
                try:
                    started.append(future.result())
                except BaseException as exc:  # the others still finish (or fail) and are stopped below
                    failure = failure or exc
            if failure is not None:
                raise failure
    except BaseException:
        for seat in started:
            seat.loop.stop()
        raise
    room = Classroom(started, state_dir, blank)
    for seat in room.seats:
        room.notes += [f"{seat.name}: {note}" for note in seat.loop.notes]
    return room


def seat_dir(state_dir: str, number: int) -> str:
    """Seat `number`'s state dir: `seat-01` ... under the class's."""
    return os.path.join(state_dir, f"seat-{number:02d}")


def shared_directory(make_directory):
    """`make_directory`, called once per arguments for every seat and thread (the object is only read)."""
    lock = threading.Lock()
    cached = functools.lru_cache(maxsize=4)(make_directory)

    def shared(seed, users, groups):
        with lock:  # the first caller generates it; the others wait for that one instead of making their own
            return cached(seed, users, groups)

    return shared
