"""The GitHub client keeps its token at home: a redirect to another host, port or scheme is refused.

Two real HTTP servers on this machine: the "API" answers with a redirect, the
other records every request's headers. urllib on its own would copy the
Authorization header to wherever a redirect points.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from from_the_floor.errors import FloorError
from from_the_floor.services import github_api

TOKEN = "ghs_not-a-real-token"
REPO = "robin/from-the-floor"


class Server:
    """A server on 127.0.0.1 that answers each path from ``routes`` and records what it was sent."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                outer.seen.append((self.path, dict(self.headers)))
                status, headers, body = outer.routes.get(self.path.split("?")[0], (404, {}, b"{}"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    with Server() as api, Server() as elsewhere:
        yield api, elsewhere


def redirect(to: str, code: int = 302) -> tuple[int, dict[str, str], bytes]:
    return code, {"Location": to}, b""


def authorised(server: Server) -> list[str]:
    return [path for path, headers in server.seen if any(k.lower() == "authorization" for k in headers)]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_redirect_to_another_host_never_carries_the_token(servers, host: str) -> None:
    api, elsewhere = servers
    issues = f"/repos/{REPO}/issues"
    api.routes[issues] = redirect(f"http://{host}:{elsewhere.port}{issues}")
    elsewhere.routes[issues] = (200, {}, b"[]")
    client = github_api.GitHub(f"http://127.0.0.1:{api.port}", TOKEN)
    with pytest.raises(FloorError, match=r"redirected GET .* to another host or scheme"):
        list(client.issues(REPO, "question"))
    assert authorised(api) == [api.seen[0][0]]  # the API itself was sent the token
    assert authorised(elsewhere) == []
    assert all(TOKEN not in json.dumps(headers) for _, headers in elsewhere.seen)


def test_a_redirect_to_plain_http_is_refused(servers) -> None:
    """A downgrade from https to http (same host name) is another origin too."""
    api, _ = servers
    handler = github_api._SameOriginRedirects(("https", f"127.0.0.1:{api.port}"))
    request = github_api.urllib.request.Request(
        f"https://127.0.0.1:{api.port}/repos/{REPO}/issues", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with pytest.raises(FloorError, match=r"to another host or scheme \(http://127.0.0.1"):
        handler.redirect_request(request, None, 301, "Moved", {}, f"http://127.0.0.1:{api.port}/x")


def test_a_redirect_within_the_api_is_followed_with_the_token(servers) -> None:
    """GitHub answers 301 for a renamed repository: that one is followed, on the same origin."""
    api, _ = servers
    api.routes[f"/repos/{REPO}/issues"] = redirect("/repositories/42/issues", 301)
    issue = {"number": 1, "title": "Moved?", "html_url": "https://github.com/robin/x/issues/1"}
    api.routes["/repositories/42/issues"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps([issue]).encode(),
    )
    client = github_api.GitHub(f"http://127.0.0.1:{api.port}", TOKEN)
    assert [i["number"] for i in client.issues(REPO, "question")] == [1]
    assert authorised(api) == [path for path, _ in api.seen] and len(api.seen) == 2
