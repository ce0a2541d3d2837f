"""What `sim up` and `sim classroom` check before they touch a state dir: ports, and fixed credentials.

A start that fails half-way used to leave a seeded state whose printed password was lost; everything that can
be known to fail is checked here first, and the message names the flag to change.
"""

import errno
import re
import socket

API_KEY = re.compile(r"[0-9a-f]{40}")  # JumpCloud API keys: 40 lowercase hex (what `create_api_key` issues)
# RFC 6750 §2.1 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/", then "=" padding.
SCIM_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")
SCIM_TOKEN_LENGTH = (16, 256)  # assumed: StrongDM does not document it; ours are 64 characters
# JumpCloud: "The minimum password length for new orgs is 12 characters by default ... The maximum allowable
# setting is 64 characters" (JumpCloud Help, "Manage Password and Security Settings").
PASSWORD_LENGTH = (12, 64)


class StartError(Exception):
    """A start refused before any side effect; the message says what to change."""


def check_ports(host: str, ports: list[tuple[int | None, str]]) -> None:
    """Raise StartError naming the flag of the first port (of `(port, flag)`) that cannot be bound; 0/None skip."""
    seen: dict[int, str] = {}
    for port, flag in ports:
        if not port:
            continue
        if port in seen:
            raise StartError(f"port {port} is given to both {seen[port]} and {flag}: give one of them another port")
        seen[port] = flag
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        probe = socket.socket(family, socket.SOCK_STREAM)
        # SO_REUSEADDR as werkzeug's server sets it: connections of a server just stopped (TIME_WAIT) do not
        # count, a live listener does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            why = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be bound ({exc.strerror})"
            raise StartError(f"port {port} on {host} {why}: pass another with {flag} (0 picks a free one)") from None
        finally:
            probe.close()


def check_credentials(*, admin_password: str | None = None, api_key: str | None = None,
                      scim_token: str | None = None) -> None:
    """Raise StartError when a fixed credential is not one the products would accept."""
    if admin_password is not None:
        low, high = PASSWORD_LENGTH
        if not low <= len(admin_password) <= high or not admin_password.isprintable() \
                or admin_password != admin_password.strip():
            raise StartError(f"--admin-password must be {low} to {high} printable characters, without spaces "
                             "at either end (JumpCloud's default password length)")
    if api_key is not None and not API_KEY.fullmatch(api_key):
        raise StartError("--api-key must be 40 lowercase hex characters, like the keys JumpCloud issues")
    if scim_token is not None:
        low, high = SCIM_TOKEN_LENGTH
        if not low <= len(scim_token) <= high or not SCIM_TOKEN.fullmatch(scim_token):
            raise StartError(f"--scim-token must be {low} to {high} characters of A-Z a-z 0-9 - . _ ~ + / "
                             "(an RFC 6750 bearer token)")
