"""A desk on a real loopback port, and raw HTTP requests to it (any Host, Origin or cookie)."""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from from_the_floor.core.site import Site
from from_the_floor.desk import server

TODAY = "2026-11-09"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Client:
    """Requests as a browser (or an attacker's page) would send them, header by header."""

    port: int
    token: str
    cookie: str = ""

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookie:
            sent["Cookie"] = self.cookie
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        conn.close()
        return reply

    def sign_in(self) -> Reply:
        reply = self.request("GET", f"/?token={self.token}")
        self.cookie = reply.headers["set-cookie"].split(";", 1)[0]
        return reply

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def csrf(self, path: str = "/") -> str:
        found = re.search(r'name="csrf-token" content="([0-9a-f]+)"', self.get(path).text)
        assert found, "no CSRF token on the page"
        return found.group(1)

    def post(self, path: str, fields: dict[str, str], *, headers: dict[str, str] | None = None) -> Reply:
        from urllib.parse import urlencode

        sent = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Sec-Fetch-Site": "same-origin",
        }
        sent.update(headers or {})
        return self.request("POST", path, headers=sent, body=urlencode(fields).encode())


@contextmanager
def desk(site_dir: Path, today: str = TODAY) -> Iterator[Client]:
    """The desk for ``site_dir`` on a free port; a client that has not signed in yet."""
    with server.running(Site(site_dir), 0, today=today) as run:
        yield Client(run.port, run.keys.token)
