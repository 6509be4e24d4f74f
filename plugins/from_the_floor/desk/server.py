"""Serving the desk: one uvicorn server on 127.0.0.1, and the address with this run's secret."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import uvicorn

from ..core.site import Site
from ..errors import FloorError
from .app import create_app
from .security import Secrets

HOST = "127.0.0.1"  # never another address: the desk writes files and shows readers' contacts


@dataclass
class Running:
    url: str
    port: int
    server: uvicorn.Server
    keys: Secrets


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise FloorError(
            f"port {port} on {HOST} is taken ({exc.strerror}); "
            "give another with --port, or 0 for any free one"
        ) from None
    sock.listen(64)
    return sock


def prepare(
    site: Site, port: int = 0, *, today: str | None = None
) -> tuple[uvicorn.Server, socket.socket, Secrets]:
    """The server, its bound socket (so the port is known before it starts) and the run's secrets."""
    site.settings  # noqa: B018 - a site with broken settings is refused before anything starts
    sock = _bind(port)
    keys = Secrets(port=sock.getsockname()[1])
    config = uvicorn.Config(
        create_app(site, keys, today=today),
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,  # nothing stands in front of it: never believe X-Forwarded-*
        lifespan="off",
    )
    return uvicorn.Server(config), sock, keys


def serve(
    site: Site, port: int = 0, *, today: str | None = None, ready: Callable[[str], None] | None = None
) -> None:
    """Run until interrupted (Ctrl+C); ``ready`` gets the address to open."""
    serve_prepared(prepare(site, port, today=today), ready=ready)


def serve_prepared(
    prepared: tuple[uvicorn.Server, socket.socket, Secrets], *, ready: Callable[[str], None] | None = None
) -> None:
    server, sock, keys = prepared
    if ready is not None:
        ready(keys.url())
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


@contextlib.contextmanager
def running(site: Site, port: int = 0, *, today: str | None = None) -> Iterator[Running]:
    """The desk in a background thread, for tests and tools; stopped on leaving the block."""
    server, sock, keys = prepare(site, port, today=today)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="floor-desk", daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            threading.Event().wait(0.02)
        yield Running(keys.url(), keys.port, server, keys)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
