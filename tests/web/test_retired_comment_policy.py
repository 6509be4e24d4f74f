"""The comment policy of a retired column sends no one to the closed Ask page.

Its rules said "New questions are welcome through the ask page", its no-comments line "ask a
follow-up question", and its closing line "Comments are closed on every post at the moment", as
if they would open again: on a retired column the Ask page says it takes no questions, so the
policy must not invite readers there. Built as the weekly job builds, in English and French.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers_publish import add_question, floor, new_site, ok


def _policy(site: Path) -> str:
    ok(floor(site, "build", today="2026-12-07T09:30:00+00:00"))
    return (site / "output" / "comment-policy" / "index.html").read_text(encoding="utf-8")


def _main(page: str) -> str:
    """The page's article, without the retired notice above it (which links the farewell, not Ask)."""
    found = re.search(r'<article class="page policy">(.*?)</article>', page, re.S)
    assert found, "the comment policy's article"
    return found.group(1)


def _column(root: Path, lang: str, **settings: object) -> Path:
    site = new_site(root, ask_channel="mailto", ask_email="ada@example.org", search=False, **settings)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(f'DEFAULT_LANG = "{lang}"\n')
    add_question(site, "why-ask-in-public", asked="2026-10-01")
    ok(floor(site, "publish", today="2026-11-09T09:00:00+00:00"))
    return site


@pytest.mark.parametrize(
    ("lang", "closed"),
    [
        ("en", "Comments are closed: the column has ended."),
        ("fr", "Les commentaires sont fermés : la chronique est terminée."),
    ],
)
def test_with_comments_the_rules_no_longer_send_readers_to_ask(
    tmp_path: Path, lang: str, closed: str
) -> None:
    site = _column(tmp_path / "site", lang, comments="isso", isso={"url": "https://comments.example.org/"})
    live = _main(_policy(site))
    assert 'href="/ask/"' in live and closed not in live  # live: the rules point to the Ask page
    ok(floor(site, "retire", today="2026-11-30"))
    retired = _main(_policy(site))
    assert "/ask/" not in retired
    assert closed in retired
    assert "at the moment" not in retired and "pour le moment" not in retired  # not "for now": for good
    assert ("Stay on the question." if lang == "en" else "Restez sur la question.") in retired


@pytest.mark.parametrize(
    ("lang", "no_comments"),
    [("en", "This site has no comments."), ("fr", "Ce site n’a pas de commentaires.")],
)
def test_without_comments_it_no_longer_asks_for_a_follow_up_question(
    tmp_path: Path, lang: str, no_comments: str
) -> None:
    site = _column(tmp_path / "site", lang)
    assert 'href="/ask/"' in _main(_policy(site))
    ok(floor(site, "retire", today="2026-11-30"))
    retired = _main(_policy(site))
    assert "/ask/" not in retired and no_comments in retired
