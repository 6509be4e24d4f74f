"""Real servers on 127.0.0.1 for the intake and notify tests: a GitHub REST API and an SMTP server.

Both bind an ephemeral port (port 0), so tests run in parallel under
``pytest -n auto``; neither ever reaches beyond the loopback interface.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import shutil
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

DATA = Path(__file__).resolve().parent / "data"


# --- GitHub ------------------------------------------------------------------------------


@dataclass
class FakeGitHub:
    """The state behind the fake API: issues by repository, and what clients did to them."""

    token: str = "test-token"
    max_per_page: int = 100  # GitHub's cap; tests lower it to make several pages
    issues: dict[str, list[dict]] = field(default_factory=dict)
    comments: list[tuple[str, int, str]] = field(default_factory=list)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # (method, path, auth)
    fail_close: bool = False
    url: str = ""

    def add_issue(self, repo: str, number: int, title: str, **extra: Any) -> dict:
        owner = repo.split("/")[0]
        login = extra.pop("login", f"{owner}-reader-{number}")
        issue = {
            "id": 2000000000 + number,
            "node_id": f"I_kwDOFloor{number:06d}",
            "url": f"{self.url}/repos/{repo}/issues/{number}",
            "repository_url": f"{self.url}/repos/{repo}",
            "comments_url": f"{self.url}/repos/{repo}/issues/{number}/comments",
            "html_url": f"https://github.com/{repo}/issues/{number}",
            "number": number,
            "title": title,
            "state": "open",
            "state_reason": None,
            "locked": False,
            "author_association": "NONE",
            "user": {
                "login": login,
                "id": 9000 + number,
                "node_id": f"U_kgDOReader{number:04d}",
                "html_url": f"https://github.com/{login}",
                "type": "User",
                "site_admin": False,
            },
            "labels": [
                {"id": 100 + i, "name": name, "color": "d876e3", "default": name == "question"}
                for i, name in enumerate(extra.pop("labels", ["question"]))
            ],
            "assignees": [],
            "milestone": None,
            "body": extra.pop("body", None),
            "comments": 0,
            "created_at": extra.pop("created_at", "2026-11-02T10:00:00Z"),
            "updated_at": "2026-11-02T10:00:00Z",
            "closed_at": None,
        }
        issue.update(extra)
        self.issues.setdefault(repo, []).append(issue)
        return issue


class _Handler(BaseHTTPRequestHandler):
    """Speaks the documented shapes of the three endpoints the kit uses."""

    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        state = self.server.state
        auth = self.headers.get("Authorization")
        state.requests.append((self.command, self.path, auth))
        if auth is not None and auth != f"Bearer {state.token}":
            self._reply(
                401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}
            )
            return False
        if self.headers.get("Accept") != "application/vnd.github+json":
            self._reply(415, {"message": "Unsupported 'Accept' header"})
            return False
        return True

    def _issue(self, parts: list[str]) -> tuple[str, dict] | None:
        repo = f"{parts[1]}/{parts[2]}"
        for issue in self.server.state.issues.get(repo, []):
            if issue["number"] == int(parts[4]):
                return repo, issue
        self._reply(404, {"message": "Not Found"})
        return None

    def do_GET(self) -> None:  # GET /repos/{owner}/{repo}/issues
        if not self._authorised():
            return
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if len(parts) != 4 or parts[0] != "repos" or parts[3] != "issues":
            self._reply(404, {"message": "Not Found"})
            return
        repo = f"{parts[1]}/{parts[2]}"
        if repo not in self.server.state.issues:
            self._reply(404, {"message": "Not Found"})
            return
        query = dict(urllib.parse.parse_qsl(url.query))
        state, labels = query.get("state", "open"), query.get("labels")
        per_page = min(int(query.get("per_page", 30)), self.server.state.max_per_page)
        page = int(query.get("page", 1))
        wanted = set(labels.split(",")) if labels else set()
        items = [
            i
            for i in self.server.state.issues[repo]
            if (state == "all" or i["state"] == state) and wanted <= {x["name"] for x in i["labels"]}
        ]
        last = max(1, -(-len(items) // per_page))
        links = []
        base = {**query, "per_page": str(per_page)}
        if page < last:
            links.append(f'<{self._page_url(url.path, base, page + 1)}>; rel="next"')
            links.append(f'<{self._page_url(url.path, base, last)}>; rel="last"')
        headers = {"Link": ", ".join(links)} if links else {}
        self._reply(200, items[(page - 1) * per_page : page * per_page], headers)

    def _page_url(self, path: str, query: dict[str, str], page: int) -> str:
        return f"{self.server.state.url}{path}?{urllib.parse.urlencode({**query, 'page': str(page)})}"

    def _json_body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def do_POST(self) -> None:  # POST /repos/{owner}/{repo}/issues/{number}/comments
        if not self._authorised():
            return
        parts = self.path.strip("/").split("/")
        if self.headers.get("Authorization") is None:
            self._reply(401, {"message": "Requires authentication"})
            return
        if len(parts) != 6 or parts[5] != "comments":
            self._reply(404, {"message": "Not Found"})
            return
        found = self._issue(parts)
        if found is None:
            return
        repo, issue = found
        body = self._json_body().get("body")
        if not body:
            self._reply(422, {"message": "Validation Failed"})
            return
        self.server.state.comments.append((repo, issue["number"], body))
        issue["comments"] += 1
        n = len(self.server.state.comments)
        self._reply(
            201,
            {
                "id": 1500000000 + n,
                "node_id": f"IC_kwDOFloor{n:06d}",
                "url": f"{self.server.state.url}/repos/{repo}/issues/comments/{1500000000 + n}",
                "html_url": f"{issue['html_url']}#issuecomment-{1500000000 + n}",
                "issue_url": issue["url"],
                "body": body,
                "user": {"login": "robin", "id": 1, "type": "User"},
                "author_association": "OWNER",
                "created_at": "2026-11-09T10:00:00Z",
                "updated_at": "2026-11-09T10:00:00Z",
            },
        )

    def do_PATCH(self) -> None:  # PATCH /repos/{owner}/{repo}/issues/{number}
        if not self._authorised():
            return
        parts = self.path.strip("/").split("/")
        if self.headers.get("Authorization") is None:
            self._reply(401, {"message": "Requires authentication"})
            return
        if len(parts) != 5:
            self._reply(404, {"message": "Not Found"})
            return
        found = self._issue(parts)
        if found is None:
            return
        if self.server.state.fail_close:
            self._reply(403, {"message": "Resource not accessible by integration"})
            return
        _, issue = found
        change = self._json_body()
        issue["state"] = change.get("state", issue["state"])
        issue["state_reason"] = change.get("state_reason", issue["state_reason"])
        self._reply(200, issue)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: FakeGitHub) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class GitHubServer:
    """``with GitHubServer() as gh:`` → gh.state (a FakeGitHub) and gh.url."""

    def __enter__(self) -> FakeGitHub:
        self.state = FakeGitHub()
        self.server = _Server(self.state)
        self.state.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def github_env(state: FakeGitHub, token: str | None = None) -> dict[str, str]:
    return {"GITHUB_API_URL": state.url, "GITHUB_TOKEN": token or state.token}


# --- SMTP ----------------------------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts (and refuses chosen recipients)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # each message's bytes as they arrived, for tests of the wire form
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(envelope.original_content or envelope.content)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class LoopbackController(Controller):
    """aiosmtpd's Controller on an ephemeral port: it learns the port the OS gave it."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextlib.contextmanager
def loopback_smtp() -> Iterator[tuple[LoopbackController, Mailbox]]:
    """A real SMTP server on 127.0.0.1 (an OS-chosen port) and the mailbox it delivers to."""
    box = Mailbox()
    controller = LoopbackController(box, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield controller, box
    finally:
        controller.stop()


def authenticator(user: str, password: str):
    def check(server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
        ok = ok and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)

    return check


def self_signed_cert(folder: Path) -> tuple[Path, Path] | None:
    """A throwaway certificate for 127.0.0.1 made with openssl; None when openssl is missing."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
    subprocess.run(
        command,
        check=True,
        capture_output=True,
    )
    return cert, key


def smtp_env(controller: Controller, **extra: str) -> dict[str, str]:
    env = {
        "FLOOR_SMTP_HOST": "127.0.0.1",
        "FLOOR_SMTP_PORT": str(controller.port),
        "FLOOR_SMTP_TLS": "none",
        "FLOOR_SMTP_FROM": "Robin <robin@example.net>",
        "FLOOR_SITEURL": "https://floor.example.net",
    }
    env.update(extra)
    return env
