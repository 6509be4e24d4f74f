"""Typing in a question at the desk files it as `floor ask` and the inbox do, and says what happened."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from from_the_floor.core.sealing import is_sealed
from from_the_floor.core.site import Site
from helpers_desk import desk

CONTACT = "ann.reader@example.org"


def _page_after(reply, client) -> str:
    assert reply.status == 303, reply.text
    return client.get(reply.headers["location"].split("#")[0]).text  # a browser keeps the #part


def _asked(site: Path, fields: dict[str, str]) -> str:
    """The page the desk shows after its Ask form is sent once with ``fields``."""
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/intake")
        return _page_after(client.post("/intake/ask", {"csrf": token, **fields}), client)


def test_a_typed_question_is_filed_sealed_and_linked(site: Path) -> None:
    with desk(site) as client:
        client.sign_in()
        form = client.get("/intake").text
        assert 'value="2026-11-09"' in form  # asked: today in the site's zone by default
        token = client.csrf("/intake")
        page = _page_after(
            client.post(
                "/intake/ask",
                {
                    "csrf": token,
                    "question": f"How do you plan a quiet week? Write to me at {CONTACT}",
                    "asker": "Ann",
                    "credit": "on",
                    "contact": CONTACT,
                    "notify": "on",
                    "tags": "planning, weeks",
                    "asked": "",
                    "source": "talk",
                },
            ),
            client,
        )
    files = list((site / "questions").glob("*.md"))
    assert len(files) == 1
    qid = files[0].stem
    text = files[0].read_text(encoding="utf-8")
    assert CONTACT not in text and CONTACT not in page  # sealed at rest, never shown back
    contact = re.search(r"^contact: (.+)$", text, re.M)
    assert contact and is_sealed(contact.group(1).strip().strip("'\""))
    assert "asked: 2026-11-09" in text and "credit: true" in text and "notify: true" in text
    assert "source: talk" in text and "tags: [planning, weeks]" in text
    assert f"Added to the queue as question {qid}" in page
    assert f'<a href="/q/{qid}">answer it on its page</a>' in page
    assert "removed 1 contact detail" in page


def test_a_typed_near_duplicate_joins_the_question_as_another_reader(site: Path, make_question) -> None:
    make_question(site, "stalk", "Do you ever stalk your customers?")
    page = _asked(site, {"question": "Have you ever stalked your custmers?", "asked": "2026-11-02"})
    assert [p.stem for p in (site / "questions").glob("*.md")] == ["stalk"]
    assert "Not a new question" in page and "as reader 2" in page
    assert '<a href="/q/stalk#dups-h">Split it off on its page</a>' in page
    readers = Site(site).questions_dir
    text = (readers / "stalk.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in readers.rglob("*.jsonl")
    )
    assert "Have you ever stalked your custmers?" in text


def test_a_mistake_keeps_what_was_typed_but_never_the_contact(site: Path) -> None:
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/intake")
        reply = client.post(
            "/intake/ask",
            {"csrf": token, "question": "Can I <b>bold</b> this?", "asked": "2026-02-30", "contact": CONTACT},
        )
        assert reply.status == 422
        assert "February 2026 has 28 days" in reply.text
        assert "Can I &lt;b&gt;bold&lt;/b&gt; this?" in reply.text and "<b>bold" not in reply.text
        assert CONTACT not in reply.text and "type it once more" in reply.text
        reply = client.post("/intake/ask", {"csrf": token, "question": "Is it late?", "notify": "on"})
        assert reply.status == 422 and "needs their contact" in reply.text
        reply = client.post("/intake/ask", {"csrf": token, "question": "  "})
        assert reply.status == 422 and "type the question" in reply.text
        refused = client.post("/intake/ask", {"question": "No token?"})
        assert refused.status == 403
    assert not list((site / "questions").glob("*.md"))


def test_the_same_person_asking_again_adds_nothing(site: Path) -> None:
    fields = {"question": "Do you ever stalk your customers?", "contact": CONTACT}
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/intake")
        _page_after(client.post("/intake/ask", {"csrf": token, **fields}), client)
        again = _page_after(
            client.post(
                "/intake/ask", {"csrf": token, **fields, "question": "Have you ever stalked your custmers?"}
            ),
            client,
        )
    assert "Nothing added: the same reader already asked this" in again
    assert '<a href="/q/do-you-ever-stalk-your-customers">open it</a>' in again and CONTACT not in again
    text = (site / "questions" / "do-you-ever-stalk-your-customers.md").read_text(encoding="utf-8")
    assert "also_asked_by" not in text


@pytest.mark.parametrize("typed", ["Edge Case", "Edge-Case"])
def test_a_typed_tag_is_written_as_the_imported_posts_spell_it(site: Path, run_floor, typed: str) -> None:
    """The theme test data's posts say "edge case": typed "Edge Case" (or "Edge-Case", one tag
    page with it), the tag was written as typed and `floor check` then warned that the two share
    one page and feed."""
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "wp-theme-unit-test.xml"
    assert run_floor("import", fixture, "--all", site=site).returncode == 0
    page = _asked(site, {"question": "What is an edge case?", "tags": typed, "source": "talk"})
    (written,) = (site / "questions").glob("*.md")
    assert "tags: [edge case]" in written.read_text(encoding="utf-8")
    assert f"tags written as the column already spells them: &#39;{typed}&#39; as &#39;edge case&#39;" in page
    assert "share one page" not in run_floor("check", site=site).stderr
