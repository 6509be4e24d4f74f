"""The desk's gate: every request passes here before any page or action sees it.

A local server that writes files is reachable by every page the author's
browser opens, so each rule below stops one way in:

- **Host** must be ``127.0.0.1:PORT`` or ``localhost:PORT`` exactly: a hostile
  name that resolves to 127.0.0.1 (DNS rebinding) is refused with 400.
  Starlette's TrustedHostMiddleware compares the name without the port, so
  the check is made here, port included.
- **A secret per run.** The printed address carries ``?token=…``; a request
  with it gets an HttpOnly, SameSite=Strict cookie and a redirect that drops
  the token from the address bar. Without the token or the cookie: 403.
  Cookies are shared by every port of a host, so the cookie's name carries
  the port, and its value is derived from the secret (never the secret itself).
- **Changes are POSTs from this origin**: ``Origin`` must be this desk's own
  and ``Sec-Fetch-Site`` (where the browser sends it) ``same-origin``; each
  form also carries a CSRF token (checked by :func:`check_csrf`, which every
  POST route calls before anything else). Other methods than GET, HEAD and
  POST are refused: there is no CORS, so no preflight is ever answered.
- **Headers on every response**: a strict Content-Security-Policy (no inline
  script or style, nothing from elsewhere), ``no-store`` caching (a contact
  shown once is never kept), no referrer to other sites, no sniffing, no framing by others.
"""

from __future__ import annotations

import hmac
import html
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
)
# A preview of the site's page runs no script at all (the theme's scripts are not the desk's),
# submits nothing, and only the desk may frame it; the desk's own script updates it from outside.
PREVIEW_CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'none'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # not no-referrer: with it a browser sends `Origin: null` on POSTs
    "x-frame-options": "SAMEORIGIN",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
SAFE_METHODS = {"GET", "HEAD"}
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass
class Secrets:
    """One run's secret, and what is derived from it (so a leaked cookie is not the token)."""

    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def _derive(self, purpose: str) -> str:
        return hmac.new(self.token.encode(), purpose.encode(), "sha256").hexdigest()

    @property
    def cookie_name(self) -> str:
        return f"floor_desk_{self.port}"

    @property
    def cookie_value(self) -> str:
        return self._derive("cookie")

    @property
    def csrf(self) -> str:
        return self._derive("csrf")

    @property
    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    @property
    def origins(self) -> set[str]:
        return {f"http://{host}" for host in self.hosts}

    def url(self) -> str:
        """The address `floor desk` prints and opens."""
        return f"http://127.0.0.1:{self.port}/?token={self.token}"


def same(a: str | None, b: str) -> bool:
    """Constant-time comparison (a timing difference must not reveal the secret)."""
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def check_csrf(given: str | None, keys: Secrets) -> bool:
    return same(given, keys.csrf)


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def _headers(scope: Scope) -> dict[str, str]:
    """Request headers (the first of each name), lower-cased names, latin-1 values."""
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        found.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return found


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


FORBIDDEN = (
    "This is the author's desk of a From the Floor site. Open it with the address that "
    "`floor desk` printed (it holds a secret, new each time the desk starts)."
)


# An answer's Save (a queued question's or a published post's quick answer).
SAVE_PATH = re.compile(r"/q/[^/]+/save")
ANSWER_FIELDS = ("quick", "body")
MOST_TYPED = 16 * 1024 * 1024  # far above any answer; a bigger body is not read back


def _own_page(headers: dict[str, str], keys: Secrets) -> bool:
    """The request was sent by a page of this desk's address (the browser sets these headers)."""
    fetch_site = headers.get("sec-fetch-site")
    return headers.get("origin") in keys.origins and fetch_site in (None, "same-origin")


async def _typed_answer(receive: Receive, headers: dict[str, str]) -> dict[str, str]:
    """The answer fields of a form sent without this run's cookie (nothing else of it is kept)."""
    if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    body = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return {}
        body += message.get("body", b"")
        if len(body) > MOST_TYPED:
            return {}
        more = message.get("more_body", False)
    fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v for k, v in fields if k in ANSWER_FIELDS and v.strip()}


NOT_SAVED = (
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>Not saved: the desk was restarted</title></head>\n<body><main>\n"
    "<h1>Not saved: the desk was restarted</h1>\n"
    "<p role=\"alert\">This page was opened before the desk last started (or in another browser), "
    "so the desk cannot tell it came from you and saved nothing.</p>\n{typed}"
    "<p>Open the desk with the address <code>floor desk</code> printed when it started "
    "(run <code>floor desk</code> again if it is not running), go to the question, "
    "and paste your text there.</p>\n</main></body></html>\n"
)
FIELD = (
    '<p><label for="{name}">{label}</label><br>'
    '<textarea id="{name}" readonly rows="{rows}" cols="80">{text}</textarea></p>\n'
)
LABELS = {"quick": "Quick answer", "body": "More thoughtful answer"}


async def _not_saved(send: Send, typed: dict[str, str]) -> None:
    """The refusal of an answer saved from a page of an earlier run, its text given back: the
    author's work is not lost with the old page (it is the author's own text, escaped, from a
    page of this address; a reader's contact is never a field of this form)."""
    fields = [
        FIELD.format(
            name=name,
            label=LABELS[name],
            rows=min(20, max(2, typed[name].count("\n") + 2)),
            text=html.escape(typed[name]),
        )
        for name in ANSWER_FIELDS
        if name in typed
    ]
    if fields:
        fields.insert(0, "<p>Your text is below: copy it before you leave this page.</p>\n")
    body = NOT_SAVED.format(typed="".join(fields)).encode("utf-8")
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": 403, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware applying the rules of this module before the app runs."""

    def __init__(self, app: App, keys: Secrets) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing to guard
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if headers.get("host", "") not in self.keys.hosts:
            await _plain(send, 400, "Refused: this desk answers only at 127.0.0.1 or localhost on its port.")
            return
        method = scope["method"]
        if method not in SAFE_METHODS | {"POST"}:
            await _plain(send, 405, "Method not allowed.", [(b"allow", b"GET, HEAD, POST")])
            return
        query = scope.get("query_string", b"").decode("latin-1")
        pairs = parse_qsl(query, keep_blank_values=True)
        token = next((v for k, v in pairs if k == "token"), None)
        if token is not None and method in SAFE_METHODS:
            if not same(token, self.keys.token):
                await _plain(send, 403, FORBIDDEN)
                return
            rest = urlencode([(k, v) for k, v in pairs if k != "token"])
            location = scope.get("path", "/") + (f"?{rest}" if rest else "")
            cookie = SimpleCookie()
            cookie[self.keys.cookie_name] = self.keys.cookie_value
            morsel = cookie[self.keys.cookie_name]
            morsel["httponly"] = True
            morsel["samesite"] = "Strict"
            morsel["path"] = "/"
            await _plain(
                send,
                303,
                "Signed in: on to the desk.",
                [
                    (b"location", location.encode("latin-1")),
                    (b"set-cookie", morsel.OutputString().encode("latin-1")),
                ],
            )
            return
        jar = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no cookie
            jar = SimpleCookie()
        sent = jar.get(self.keys.cookie_name)
        if sent is None or not same(sent.value, self.keys.cookie_value):
            saving = method == "POST" and SAVE_PATH.fullmatch(scope.get("path", ""))
            if saving and _own_page(headers, self.keys):  # a page of an earlier run: its text back
                await _not_saved(send, await _typed_answer(receive, headers))
                return
            await _plain(send, 403, FORBIDDEN)
            return
        if method == "POST":
            origin = headers.get("origin")
            fetch_site = headers.get("sec-fetch-site")
            if origin not in self.keys.origins or (fetch_site is not None and fetch_site != "same-origin"):
                await _plain(send, 403, "Refused: a change must come from the desk's own page.")
                return

        async def secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, secured)
