"""A published post's quick answer, written at the desk: an imported post arrives without one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from helpers_desk import desk
from helpers_floor import FLOOR_COMMAND, floor_env

POST = (
    "---\nquestion: Where did the old blog go?\nasked: 2019-03-01\nnumber: 1\n"
    "date: 2019-03-04T09:00:00+00:00\ntags: [moving]\nquick_answer:\n---\nIt moved here, <b>all of it</b>.\n"
)


def _post(site: Path) -> Path:
    path = site / "content" / "floor" / "old-blog.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(POST, encoding="utf-8")
    return path


def _digest(page: str) -> str:
    found = re.search(r'name="digest" value="([0-9a-f]+)"', page)
    assert found, page
    return found.group(1)


def test_the_queue_leads_to_a_published_post_whose_quick_answer_is_then_saved(site: Path) -> None:
    path = _post(site)
    with desk(site) as client:
        client.sign_in()
        queue = client.get("/").text
        assert "Published posts without a quick answer" in queue and 'href="/q/old-blog"' in queue
        page = client.get("/q/old-blog").text
        assert "Where did the old blog go?" in page and "#1" in page
        assert "&lt;b&gt;all of it&lt;/b&gt;" in page  # the published text, shown as text
        token = client.csrf("/q/old-blog")
        reply = client.post(
            "/q/old-blog/save", {"csrf": token, "digest": _digest(page), "quick": "  It  moved here. "}
        )
        assert reply.status == 303, reply.text
        said = client.get(reply.headers["location"]).text
        assert "Saved the quick answer of published post #1" in said
        assert "Published posts without a quick answer" not in client.get("/").text
    assert path.read_text(encoding="utf-8") == POST.replace(
        "quick_answer:\n", "quick_answer: It moved here.\n"
    )
    check = subprocess.run(
        [*FLOOR_COMMAND, "--site", str(site), "check"],
        capture_output=True,
        text=True,
        env=floor_env("2026-11-09"),
    )
    assert "quick_answer" not in check.stdout + check.stderr


def test_a_post_changed_since_the_page_was_opened_is_not_overwritten(site: Path) -> None:
    path = _post(site)
    with desk(site) as client:
        client.sign_in()
        page = client.get("/q/old-blog").text
        token = client.csrf("/q/old-blog")
        path.write_text(
            POST.replace("quick_answer:\n", "quick_answer: Written in an editor.\n"), encoding="utf-8"
        )
        reply = client.post("/q/old-blog/save", {"csrf": token, "digest": _digest(page), "quick": "Mine."})
        assert reply.status == 409
        assert "changed since you opened it" in reply.text and "Written in an editor." in reply.text
        assert 'value="Mine."' in reply.text  # the typed text is still in the field
        assert "Written in an editor." in path.read_text(encoding="utf-8")
        assert not list(path.parent.glob(".*.md"))  # nothing kept beside the post, where the build reads
        again = client.post(
            "/q/old-blog/save", {"csrf": token, "digest": _digest(reply.text), "quick": "Mine."}
        )
        assert again.status == 303
    assert "quick_answer: Mine.\n" in path.read_text(encoding="utf-8")
    assert "Written in an editor." not in path.read_text(encoding="utf-8")


def test_an_imported_blog_s_posts_without_a_quick_answer_are_links_in_the_report(site: Path) -> None:
    from test_pages import FIXTURES, _multipart

    body, kind = _multipart(
        {"all": "on"}, [("export.xml", (FIXTURES / "import" / "pelican-wordpressexport.xml").read_bytes())]
    )
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/intake")
        headers = {"Content-Type": kind, "Origin": client.origin, "Sec-Fetch-Site": "same-origin"}
        reply = client.request("POST", "/intake", body=body, headers={**headers, "X-CSRF-Token": token})
        said = client.get(reply.headers["location"]).text
        assert "write it on each post's page" in said
        linked = re.findall(r'<a href="/q/([^"]+)">\1</a>', said)
        assert linked and all((site / "content" / "floor" / f"{qid}.md").exists() for qid in linked)
        assert client.get(f"/q/{linked[0]}").status == 200


def test_a_typed_question_like_a_published_post_joins_it_and_says_split_is_for_a_terminal(site: Path) -> None:
    _post(site)
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/intake")
        reply = client.post("/intake/ask", {"csrf": token, "question": "Where did the old blog go now?"})
        said = client.get(reply.headers["location"].split("#")[0]).text
    assert "it reads like the published post old-blog" in said
    assert "<code>floor split old-blog --entry 1</code> in a terminal" in said and "#dups-h" not in said
    assert not list((site / "questions").glob("*.md"))


def test_a_published_post_s_date_is_said_in_the_site_s_zone(site: Path) -> None:
    """The file keeps a fixed offset (+01:00); the page says the zone as the schedule does."""
    conf = site / "pelicanconf.py"
    conf.write_text(
        re.sub(r'(?m)^TIMEZONE = .*$', 'TIMEZONE = "Europe/Paris"', conf.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    path = _post(site)
    path.write_text(POST.replace("T09:00:00+00:00", "T09:00:00+01:00"), encoding="utf-8")
    with desk(site) as client:
        client.sign_in()
        page = client.get("/q/old-blog").text
    assert "Mon 4 Mar 2019 09:00 CET" in page and "UTC+01:00" not in page
