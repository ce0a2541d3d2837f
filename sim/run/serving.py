"""Serving one app of a sandbox: bound first, so its console cookie can be named after the port it got."""

from sim.serve import ServerThread
from sim.web.sessions import name_cookie_for_port


def serve_app(app, host: str, port: int) -> ServerThread:
    """Bind `app` to host:port (0 picks one), name its console cookie after the bound port, and serve it."""
    server = ServerThread(app, host, port)
    if "console" in app.extensions:
        name_cookie_for_port(app, server.port)
    return server.start()
