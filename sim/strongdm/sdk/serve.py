"""Start the SDK API beside the Flask app when the `[sdk]` extra is installed, with a usable API key.

This module imports neither grpc nor strongdm at load time, so `sim strongdm` and `sim up` can call
it unconditionally: without the extra it returns None and the simulator runs SCIM-only.
"""

import base64
import binascii
import importlib.util
from dataclasses import dataclass

from sim.strongdm.api_keys import ApiKeys

KEY_NAME = "sim (endpoints.json)"


def sdk_available() -> bool:
    """True when the `strongdm` SDK and grpcio can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in ("strongdm", "grpc", "google.rpc"))


@dataclass
class SdkApi:
    """A running gRPC listener and the API key written to endpoints.json."""

    server: object
    host: str
    port: int
    access_key: str
    secret: str

    @property
    def address(self) -> str:
        """`host:port` as `strongdm.Client(host=...)` takes it."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def endpoints(self) -> dict:
        """The keys to merge into endpoints.json's `strongdm` entry."""
        return {"grpc": self.address, "api_access_key": self.access_key, "api_secret": self.secret}

    def stop(self, grace: float = 1.0) -> None:
        """Stop serving."""
        self.server.stop(grace).wait()


def usable_key(api_keys: ApiKeys, access_key: str | None, secret: str | None) -> bool:
    """True when (access_key, secret) is a live key of this org, e.g. one from a previous run's endpoints.json."""
    if not access_key or not secret:
        return False
    try:
        decoded = base64.b64decode(secret, validate=True)
    except (binascii.Error, ValueError):
        return False
    return api_keys.signing_secret(access_key) == decoded


def start_sdk_api(sdm, host: str = "127.0.0.1", port: int = 0, *, previous: dict | None = None,
                  check_signature: bool = True) -> SdkApi | None:
    """Serve the SDK API for `sdm`, reusing `previous` endpoints' key if still live; None without the extra."""
    if not sdk_available():
        return None
    from sim.strongdm.sdk.servicers import start_grpc

    previous = previous or {}
    api_keys = ApiKeys(sdm.store, sdm.activities)
    access_key, secret = previous.get("api_access_key"), previous.get("api_secret")
    if not usable_key(api_keys, access_key, secret):
        created = api_keys.create_api_key(KEY_NAME)
        access_key, secret = created["access_key"], created["secret"]
    server, bound = start_grpc(sdm, host, port, api_keys=api_keys, check_signature=check_signature)
    return SdkApi(server=server, host=host, port=bound, access_key=access_key, secret=secret)
