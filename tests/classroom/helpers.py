"""Named helpers for the classroom tests."""

import functools

import requests

from sim.fake import directory as fake

TRAINER_PASSWORD = "trainer-password-1"
CACHED_DIRECTORY = functools.lru_cache(fake.make_directory)
CHEAP = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # tests only: cheap hashes


def small_class(tmp_path, **options) -> dict:
    """start_classroom's arguments for two blank seats of a small directory on free ports."""
    return {"seats": 2, "state_dir": str(tmp_path), "seed": 3, "users": 8, "groups": 2, "blank": True, "port": 0,
            "make_directory": CACHED_DIRECTORY, "synchronous": "NORMAL", "settings": CHEAP, **options}


def csrf_of(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def signed_in(url: str, password: str = TRAINER_PASSWORD) -> requests.Session:
    """A session signed in to the trainer page at `url`."""
    http = requests.Session()
    page = http.get(f"{url}/login", timeout=10).text
    http.post(f"{url}/login", data={"password": password, "csrf_token": csrf_of(page)}, timeout=10)
    return http


def ticks(seat_row: dict) -> dict:
    """{step key: time or None} of one seat's row in /seats.json."""
    return {step["key"]: step["at"] for step in seat_row["progress"]["steps"]}
