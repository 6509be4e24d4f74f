"""`floor intake github`: issues through the REST API (a real HTTP server on 127.0.0.1), paginated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.errors import FloorError
from from_the_floor.intake import intake_github
from from_the_floor.services import github_api
from helpers_floor import fails_cleanly, ok, opened, run_floor, tree_digest
from helpers_intake import GitHubServer, github_env

REPO = "robin/from-the-floor"


@pytest.fixture
def gh():
    with GitHubServer() as state:
        yield state


def test_client_follows_link_pages_and_skips_pull_requests(gh) -> None:
    gh.max_per_page = 2
    for n in range(1, 6):
        gh.add_issue(REPO, n, f"Question number {n}?")
    gh.add_issue(REPO, 6, "Fix a typo", pull_request={"url": "…"})
    gh.add_issue(REPO, 7, "Unrelated bug", labels=["bug"])
    gh.add_issue(REPO, 8, "Old question?", state="closed")
    api = github_api.GitHub(gh.url, gh.token)
    issues = list(api.issues(REPO, "question"))
    assert [i["number"] for i in issues] == [1, 2, 3, 4, 5]
    pages = [path for method, path, _ in gh.requests if method == "GET"]
    assert len(pages) == 3  # six labelled open items (one a pull request), two a page
    assert "labels=question" in pages[0] and "state=open" in pages[0]
    assert all(auth == f"Bearer {gh.token}" for _, _, auth in gh.requests)


def test_link_to_another_host_is_not_followed(gh) -> None:
    api = github_api.GitHub(gh.url, "secret")
    with pytest.raises(FloorError) as err:
        api._request("GET", "http://127.0.0.2:9/repos/x/y/issues")
    assert "another host" in err.value.message
    assert github_api.next_link('<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last"') == (
        "https://x/a?page=2"
    )
    assert github_api.next_link('<https://x/a?page=1>; rel="prev"') is None


def test_api_errors_are_clear(gh) -> None:
    gh.add_issue(REPO, 1, "Q?")
    with pytest.raises(FloorError) as err:
        list(github_api.GitHub(gh.url, "wrong").issues(REPO, "question"))
    assert "401" in err.value.message and "GITHUB_TOKEN" in err.value.message
    with pytest.raises(FloorError) as err:
        list(github_api.GitHub(gh.url, gh.token).issues("robin/missing", "question"))
    assert "404" in err.value.message
    with pytest.raises(FloorError):
        github_api.check_repo("not a repo")


def test_issue_to_question() -> None:
    issue = {
        "number": 12,
        "html_url": f"https://github.com/{REPO}/issues/12",
        "title": "  Do you ever say no to a reader? ",
        "body": "<!-- Please write your question below -->\nI asked a **hard** one.\r\n",
        "user": {"login": "octo-reader"},
        "created_at": "2026-11-01T23:30:00Z",
    }
    message = intake_github.to_message(
        issue, REPO, tz=ZoneInfo("Europe/Berlin"), today=dt.date(2026, 11, 9), notify=True
    )
    new = message.new
    assert new is not None
    assert new.question == "Do you ever say no to a reader?"
    assert new.details == "I asked a **hard** one."
    assert (new.asker, new.credit, new.source, new.notify) == ("octo-reader", False, "issue", True)
    assert new.contact == f"github:{REPO}/issues/12"
    assert intake_github.parse_contact(new.contact) == (REPO, 12)
    assert new.intake_id == issue["html_url"]
    assert new.asked == dt.date(2026, 11, 2)  # 00:30 in Berlin
    empty = intake_github.to_message(
        {**issue, "title": " "}, REPO, tz=ZoneInfo("UTC"), today=dt.date(2026, 11, 9), notify=False
    )
    assert empty.new is None and "title is empty" in empty.reason and empty.suffix == ".json"


def test_cli_github_imports_once(site: Path, gh) -> None:
    gh.max_per_page = 2
    gh.add_issue(REPO, 3, "How do you choose the next question?", body="Curious.", login="ada")
    gh.add_issue(REPO, 4, "Why only Mondays?", login="bo")
    gh.add_issue(REPO, 5, "What makes a good question?", login="cy")
    gh.add_issue(REPO, 9, "Build fails", labels=["bug"])
    out = ok(
        run_floor("intake", "github", "--repo", REPO, "--label", "question", site=site, env=github_env(gh))
    )
    assert "3 added, 0 merged, 0 already imported, 0 rejected" in out
    q = question_mod.load(site / "questions" / "how-do-you-choose-the-next-question.md")
    assert (q.source, q.asker, opened(site, q.contact)) == ("issue", "ada", f"github:{REPO}/issues/3")
    assert q.intake_id == f"https://github.com/{REPO}/issues/3"
    assert not q.notify

    before = tree_digest(site)
    again = run_floor("intake", "github", "--repo", REPO, site=site, env=github_env(gh))
    assert "0 added, 0 merged, 3 already imported" in ok(again)
    assert tree_digest(site) == before

    # a new issue in other words merges into the queued one
    gh.add_issue(REPO, 10, "How do you choose which question is next?", login="dee")
    out = ok(run_floor("intake", "github", "--repo", REPO, "--notify", site=site, env=github_env(gh)))
    assert "merged issue #10 into how-do-you-choose-the-next-question" in out
    q = question_mod.load(q.path)
    assert [(e.asker, opened(site, e.contact), e.notify) for e in q.also_asked_by] == [
        ("dee", f"github:{REPO}/issues/10", True)
    ]


def test_cli_github_refuses_cleanly(site: Path, gh) -> None:
    gh.add_issue(REPO, 1, "Q?")
    before = tree_digest(site)
    err = fails_cleanly(
        run_floor("intake", "github", "--repo", REPO, site=site, env=github_env(gh, "bad-token"))
    )
    assert "401" in err and "Bad credentials" in err
    err = fails_cleanly(run_floor("intake", "github", "--repo", "nope", site=site, env=github_env(gh)))
    assert "OWNER/NAME" in err
    assert tree_digest(site) == before


def _issue(number: int, title: str, body: str) -> dict:
    return {
        "number": number,
        "html_url": f"https://github.com/{REPO}/issues/{number}",
        "title": title,
        "body": body,
        "user": {"login": "lectrice"},
        "created_at": "2026-12-01T10:00:00Z",
    }


def test_a_french_column_s_issue_form_is_french_and_reads_english_issues_too(tmp_path: Path) -> None:
    """`floor init --lang fr --ask-github` writes the form in French; intake reads an issue filed
    with it (as GitHub renders an issue form: `### Label`, `_No response_`, `- [X]`), and one
    filed with the English form the column had before."""
    from from_the_floor.intake import issue_form

    site = tmp_path / "site"
    ok(
        run_floor(
            "init",
            site,
            "--no-git",
            "--title",
            "Demandez-moi",
            "--author",
            "Camille",
            "--lang",
            "fr",
            "--ask-github",
            REPO,
        )
    )
    text = (site / ".github" / "ISSUE_TEMPLATE" / "question.yml").read_text(encoding="utf-8")
    assert "Your question" not in text and "Ask a question" not in text
    form = issue_form.for_site(site, "question")
    assert form.path.name == "question.yml" and form.title == "Question : "
    assert form.ids == {
        "question": "Votre question",
        "details": "Plus de détails (facultatif)",
        "asker": "Nom à afficher avec la question (facultatif)",
        "credit": "Mention du nom",
    }
    assert form.issue_labels == ["question"]  # the label intake lists issues by stays as it was
    tz, today = ZoneInfo("Europe/Paris"), dt.date(2026, 12, 7)
    french = _issue(
        3,
        "Question : Faut-il tout dire ?",
        "### Votre question\n\nFaut-il tout dire à ses lecteurs ?\n\n"
        "### Plus de détails (facultatif)\n\n_No response_\n\n"
        "### Nom à afficher avec la question (facultatif)\n\nLéa\n\n"
        "### Mention du nom\n\n- [X] Vous pouvez afficher ce nom avec ma question dans la chronique.\n",
    )
    new = intake_github.to_message(french, REPO, tz=tz, today=today, notify=False, form=form).new
    assert new is not None
    assert (new.question, new.details, new.asker, new.credit) == (
        "Faut-il tout dire à ses lecteurs ?",
        None,
        "Léa",
        True,
    )
    english = _issue(
        2,
        "Question: Do you read every question?",
        "### Your question\n\nDo you read every question?\n\n"
        "### More detail (optional)\n\nAll of them?\n\n"
        "### Name to show with the question (optional)\n\n_No response_\n\n"
        "### Credit\n\n- [ ] You may show this name with my question in the column.\n",
    )
    message = intake_github.to_message(english, REPO, tz=tz, today=today, notify=False, form=form)
    assert message.new is not None and message.notes == []
    assert (message.new.question, message.new.details, message.new.asker, message.new.credit) == (
        "Do you read every question?",
        "All of them?",
        "lectrice",
        False,
    )
