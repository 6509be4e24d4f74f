"""Each defence of the desk, attacked: without the defence the attack works, so each test fails.

Real requests to a real server on 127.0.0.1 (http.client lets a test send any Host,
Origin or cookie a hostile page or a rebinding DNS name would make a browser send).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers_desk import desk

QID = "is-it-safe"


@pytest.fixture
def queued(site: Path, make_question) -> Path:
    make_question(site, QID, "Is it safe?")
    return site


def test_without_the_secret_every_page_and_action_is_403(queued: Path) -> None:
    with desk(queued) as client:
        for path in ["/", f"/q/{QID}", "/intake", "/schedule", "/publish", "/stats", "/static/desk.js"]:
            assert client.get(path).status == 403, path
        assert client.get("/?token=wrong").status == 403
        assert client.get("/", headers={"Cookie": f"floor_desk_{client.port}=forged"}).status == 403
        before = (queued / "questions" / f"{QID}.md").read_bytes()
        refused = client.post(f"/q/{QID}/save", {"quick": "Yes.", "body": "Owned."})
        assert refused.status == 403
        assert (queued / "questions" / f"{QID}.md").read_bytes() == before


def test_the_secret_sets_a_strict_cookie_and_leaves_the_address_bar(queued: Path) -> None:
    with desk(queued) as client:
        signed = client.sign_in()
        assert signed.status == 303
        assert signed.headers["location"] == "/"  # the token is gone from the address
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert client.token not in cookie  # the cookie is derived from the secret, not the secret
        assert client.get("/").status == 200


def test_a_foreign_host_is_refused_even_with_the_cookie(queued: Path) -> None:
    """DNS rebinding: a hostile name resolving to 127.0.0.1 makes the browser send its own Host."""
    with desk(queued) as client:
        client.sign_in()
        for host in [
            "evil.example",
            f"evil.example:{client.port}",
            "127.0.0.1",
            f"127.0.0.1:{client.port + 1}",
        ]:
            reply = client.get("/", headers={"Host": host})
            assert 400 <= reply.status < 500, host
            assert b"Queue" not in reply.body
        assert client.get("/", headers={"Host": f"localhost:{client.port}"}).status == 200


def test_a_cross_origin_post_changes_nothing(queued: Path) -> None:
    path = queued / "questions" / f"{QID}.md"
    before = path.read_bytes()
    with desk(queued) as client:
        client.sign_in()
        token = client.csrf()
        fields = {"csrf": token, "quick": "Yes.", "body": "Owned.", "reason": "spam"}
        attacks = [
            {"Origin": "http://evil.example"},
            {
                "Origin": f"http://localhost:{client.port + 1}"
            },  # another local app: same site, not same origin
            {"Origin": "null"},
            {"Origin": client.origin, "Sec-Fetch-Site": "cross-site"},
            {"Origin": client.origin, "Sec-Fetch-Site": "same-site"},
        ]
        for headers in attacks:
            for action in ["save", "decline", "hold"]:
                assert client.post(f"/q/{QID}/{action}", fields, headers=headers).status == 403, headers
        no_origin = client.request(
            "POST",
            f"/q/{QID}/hold",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=f"csrf={token}".encode(),
        )
        assert no_origin.status == 403
        assert path.read_bytes() == before
        # and the same POST from the desk's own page works
        assert client.post(f"/q/{QID}/hold", {"csrf": token}).status == 303
        assert b"hold: true" in path.read_bytes()


def test_a_post_without_the_csrf_token_changes_nothing(queued: Path) -> None:
    path = queued / "questions" / f"{QID}.md"
    before = path.read_bytes()
    with desk(queued) as client:
        client.sign_in()
        for fields in [{}, {"csrf": ""}, {"csrf": "0" * 64}, {"csrf": client.token}]:
            reply = client.post(f"/q/{QID}/save", {**fields, "quick": "Yes.", "body": "Owned."})
            assert reply.status == 403, fields
        assert path.read_bytes() == before


def test_no_cors_and_only_get_head_post(queued: Path) -> None:
    with desk(queued) as client:
        client.sign_in()
        preflight = client.request(
            "OPTIONS",
            f"/q/{QID}/save",
            headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status == 405
        assert not any(h.startswith("access-control-") for h in preflight.headers)
        page = client.get("/", headers={"Origin": "http://evil.example"})
        assert not any(h.startswith("access-control-") for h in page.headers)
        for method in ["PUT", "DELETE", "PATCH"]:
            assert client.request(method, f"/q/{QID}").status == 405


def test_every_response_has_a_strict_policy_and_is_never_stored(queued: Path) -> None:
    with desk(queued) as client:
        for reply in [client.get("/"), client.sign_in(), client.get("/"), client.get(f"/q/{QID}")]:
            csp = reply.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "style-src 'self'" in csp and "object-src 'none'" in csp
            assert "unsafe-inline" not in csp and "default-src 'none'" in csp
            assert reply.headers["cache-control"] == "no-store"
            assert reply.headers["x-content-type-options"] == "nosniff"
            assert reply.headers["referrer-policy"] == "same-origin"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[tuple[str, str]] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, _value in attrs:
            if name.startswith("on"):
                self.found.add((tag, name))
        data_block = tag == "script" and dict(attrs).get("type") == "application/ld+json"  # never run
        if tag in ("script", "img", "iframe") and not data_block:
            self.found.add((tag, dict(attrs).get("src") or ""))


def _elements(text: str) -> set[tuple[str, str]]:
    """Scripts, images and frames (with their sources) and any on* attribute, as a browser parses them."""
    parser = _Tags()
    parser.feed(text)
    return parser.found


SAFE_ELEMENTS = {
    ("script", "/static/desk.js"),
    ("iframe", "/q/hostile/preview"),
    ("img", "/stats/chart.svg"),
}
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_hostile_reader_text_is_inert_everywhere(site: Path, make_question) -> None:
    """The question, details, asker and tags of a reader, as text in every page, attribute and title."""
    make_question(
        site,
        "hostile",
        "'" + HOSTILE + "'",
        details="'" + HOSTILE + "'",
        asker="'" + HOSTILE + "'",
        tags="['" + HOSTILE + "', plain]",
        source="'" + HOSTILE + "'",
    )
    with desk(site) as client:
        client.sign_in()
        pages = [
            "/",
            "/?q=script",
            "/?tag=" + "%22%3E%3Cscript%3E",
            "/q/hostile",
            "/q/hostile/preview",
            "/schedule",
            "/stats",
        ]
        for path in pages:
            text = client.get(path).text
            assert "<script>alert" not in text, path
            assert "<img src=x" not in text, path
            assert _elements(text) <= SAFE_ELEMENTS, path
        title = re.search(r"<title>(.*?)</title>", client.get("/q/hostile").text, re.S).group(1)
        assert "&lt;script&gt;" in title
        token = client.csrf("/q/hostile")
        fragment = client.post("/q/hostile/preview", {"csrf": token, "quick": "Yes.", "body": "Fine."}).text
        assert "<script>alert" not in fragment and "floor-quick-answer" in fragment
        # the question is the preview's headline, above the fragment, as text
        assert "&lt;script&gt;" in client.get("/q/hostile/preview").text.split("<h1", 1)[1].split("</h1>")[0]


def test_an_answer_saved_from_a_page_of_an_earlier_run_comes_back_to_copy(queued: Path) -> None:
    """The desk stopped (Ctrl+C, a crash, kill -9) and started again on its port: the open page's
    Save carries the old run's cookie, so nothing is saved; the typed answer is given back, as
    text, on the refusal itself. Only to a page of the desk's own address and only the answer."""
    from from_the_floor.core.site import Site
    from from_the_floor.desk import server
    from helpers_desk import TODAY, Client

    path = queued / "questions" / f"{QID}.md"
    before = path.read_bytes()
    with desk(queued) as first:
        first.sign_in()
        csrf = first.csrf(f"/q/{QID}")
        port, cookie = first.port, first.cookie
    with server.running(Site(queued), port, today=TODAY) as run:
        stale = Client(run.port, run.keys.token, cookie=cookie)
        body = "Line one.\n\n<script>alert(1)</script>"
        typed = {"csrf": csrf, "digest": "x", "quick": "Yes & no.", "body": body}
        refused = stale.post(f"/q/{QID}/save", typed)
        assert refused.status == 403
        assert refused.headers["content-type"].startswith("text/html")
        assert "Not saved: the desk was restarted" in refused.text
        assert ">Yes &amp; no.</textarea>" in refused.text
        assert "Line one.\n\n&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in refused.text
        assert "<script" not in refused.text
        assert refused.headers["content-security-policy"].startswith("default-src 'none'")
        # another site's page, or another of the desk's buttons: the plain refusal, nothing echoed
        for origin in ["http://evil.example", f"http://localhost:{run.port + 1}"]:
            other = stale.post(f"/q/{QID}/save", typed, headers={"Origin": origin})
            assert other.status == 403 and "Yes" not in other.text
        declined = stale.post(f"/q/{QID}/decline", {**typed, "reason": "Private reason"})
        assert declined.status == 403 and "Private" not in declined.text and "Yes" not in declined.text
        assert path.read_bytes() == before
