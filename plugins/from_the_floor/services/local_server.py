"""The local preview's web server: output/ on loopback, as a host such as GitHub Pages serves it.

A missing page gets the site's own 404.html with status 404, a folder is its
index.html or nothing (never a listing of its files), and a port another
program holds is one clear sentence, not a logged traceback after "serving at".
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..errors import FloorError

NOT_FOUND_PAGE = "404.html"  # where GitHub Pages, Netlify, Cloudflare Pages … look for it
_FALLBACK_404 = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Page not found</title>"
    b"<h1>Page not found</h1><p><a href='/'>Go to the home page</a></p></html>"
)


def _bindable(bind: str, port: int) -> bool:
    with socket.socket(_family(bind), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((bind, port))
        except OSError:
            return False
        return True


def free_port_near(port: int, bind: str, tries: int = 20) -> int | None:
    """The first port after ``port`` that can be bound now (a suggestion: it may be taken next)."""
    return next((p for p in range(port + 1, min(port + 1 + tries, 65536)) if _bindable(bind, p)), None)


def _in_use(port: int, bind: str) -> FloorError:
    near = free_port_near(port, bind)
    other = f": floor serve --port {near}" if near else " with --port"
    return FloorError(
        f"port {port} is already in use (another floor serve or program holds it); "
        f"stop that one, or choose another port{other}"
    )


def ensure_free(bind: str, port: int) -> None:
    """Fail now, before a build, when the port is taken (port 0 asks the system for any)."""
    if port and not _bindable(bind, port):
        raise _in_use(port, bind)


def _family(bind: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in bind else socket.AF_INET


def make_server(handler: Callable[..., Any], bind: str, port: int) -> ThreadingHTTPServer:
    """A threading server on ``bind:port``; a port in use is a FloorError naming a free one."""

    class Server(ThreadingHTTPServer):
        address_family = _family(bind)
        daemon_threads = True

    try:
        return Server((bind, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise _in_use(port, bind) from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
            raise FloorError(f"cannot listen on {bind}:{port}: {exc.strerror}") from None
        raise


class StaticHandler(SimpleHTTPRequestHandler):
    """Files from one folder; folders only through their index.html; the site's 404 page."""

    def __init__(self, *args: Any, directory: str, **kwargs: Any) -> None:
        super().__init__(*args, directory=directory, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows what floor says, not a line per request

    def list_directory(self, path: str | os.PathLike) -> None:
        """A folder without index.html is not a page: 404, never its file names."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        body = not_found_body(Path(self.directory))
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def not_found_body(output: Path) -> bytes:
    """The site's own 404.html (the theme ships one), else a minimal page."""
    try:
        return (output / NOT_FOUND_PAGE).read_bytes()
    except OSError:
        return _FALLBACK_404


def static_server(output: Path, bind: str, port: int) -> ThreadingHTTPServer:
    return make_server(partial(StaticHandler, directory=str(output)), bind, port)


def serve_until_interrupted(server: ThreadingHTTPServer) -> None:
    """Serve until Ctrl-C, then free the port: the one way `floor serve` stops, live or not."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
