"""The Ask page's issue form round-trips: a submission rendered as GitHub renders it, taken in field by field.

GitHub's rendering of an issue form (checked against real issues, e.g.
appwrite/.github#10, Luson045/medi-connect#594, and the `_No response_` of
zentered/issue-forms-body-parser#40): for every field that is not
a ``markdown`` block, ``### <label>``, a blank line, the value, a blank line;
``_No response_`` for an empty field; a checkbox group as ``- [X] <option>`` or
``- [ ] <option>`` lines (older issues use ``[X]``, newer ``[x]``). The reader's
own line breaks inside a textarea arrive as CRLF, as browsers submit them.
The renderer below reads the form file itself, so a change to the shipped form
is tested as it stands.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from from_the_floor.core import question as question_mod
from from_the_floor.intake import intake_github, issue_form
from from_the_floor.intake.contact_mask import MASK
from helpers_floor import fails_cleanly, ok, run_floor, tree_digest
from helpers_intake import GitHubServer, github_env

REPO = "robin/from-the-floor"
TZ = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 9)


def render(form_path: Path, values: dict[str, object], *, tick: str = "X") -> str:
    """The issue body GitHub makes of a submission (field id → value; a checkbox group → set of options)."""
    form = yaml.safe_load(form_path.read_text(encoding="utf-8"))
    sections = []
    for element in form["body"]:
        if element["type"] == "markdown":
            continue
        label = element["attributes"]["label"]
        value = values.get(element.get("id"))
        if element["type"] == "checkboxes":
            chosen = value or set()
            text = "\n".join(
                f"- [{tick if option['label'] in chosen else ' '}] {option['label']}"
                for option in element["attributes"]["options"]
            )
        else:
            text = str(value).replace("\n", "\r\n") if value else "_No response_"
        sections.append(f"### {label}\n\n{text}")
    return "\n\n".join(sections)


def credit_option(form_path: Path) -> str:
    form = yaml.safe_load(form_path.read_text(encoding="utf-8"))
    group = next(e for e in form["body"] if e.get("id") == "credit")
    return group["attributes"]["options"][0]["label"]


def issue(number: int, title: str, body: str | None, **extra) -> dict:
    return {
        "number": number,
        "html_url": f"https://github.com/{REPO}/issues/{number}",
        "title": title,
        "body": body,
        "user": {"login": "octo-reader", "id": 583231, "type": "User"},
        "created_at": "2026-11-03T09:15:00Z",
        **extra,
    }


def take(payload: dict, form: issue_form.Form | None = None):
    return intake_github.to_message(payload, REPO, tz=TZ, today=TODAY, notify=False, form=form)


def test_shipped_form_round_trips_field_by_field() -> None:
    shipped = issue_form.SHIPPED
    form = issue_form.load(shipped)
    body = render(
        shipped,
        {
            "question": "How do you decide what to leave out of an answer?",
            "details": "I write a newsletter.\nMine keep getting longer.",
            "asker": "Priya",
            "credit": {credit_option(shipped)},
        },
    )
    assert "\r\n" in body and "### " + form.ids["credit"] in body
    new = take(issue(21, form.title + "Leaving things out", body), form).new
    assert new is not None
    assert new.question == "How do you decide what to leave out of an answer?"  # the field, not the title
    assert new.details == "I write a newsletter.\nMine keep getting longer."  # CRLF read as a line break
    assert (new.asker, new.credit) == ("Priya", True)
    assert new.contact == f"github:{REPO}/issues/21"


def test_an_issue_s_body_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing the form the body was filed with is its parse: the fields and the unread ones come
    from that one reading (the body was parsed three times: to choose, to read, to find unread)."""
    form = issue_form.load(issue_form.SHIPPED)
    parsed: list[str] = []
    real = issue_form._parse
    monkeypatch.setattr(issue_form, "_parse", lambda body, f: parsed.append(body) or real(body, f))
    body = render(issue_form.SHIPPED, {"question": "Why Mondays?", "details": "Curious."})
    new = take(issue(25, "Question: Why?", body), form).new
    assert new is not None and (new.question, new.details) == ("Why Mondays?", "Curious.")
    assert len(parsed) == 1


def test_empty_fields_no_response_and_an_unticked_box() -> None:
    shipped = issue_form.SHIPPED
    body = render(shipped, {"question": "Why Mondays?"}, tick="x")
    assert body.count("_No response_") == 2 and "- [ ] " in body
    # the reader typed nothing into the title: GitHub keeps the prefix without its space
    new = take(issue(22, "Question:", body)).new
    assert new is not None
    assert (new.question, new.details, new.asker, new.credit) == ("Why Mondays?", None, "octo-reader", False)
    # lower-case [x], as GitHub writes it now
    ticked = render(shipped, {"question": "Why Mondays?", "credit": {credit_option(shipped)}}, tick="x")
    assert take(issue(23, "Question: ", ticked)).new.credit is True


def test_title_prefix_is_stripped_when_the_field_is_empty_and_plain_issues_work_as_before() -> None:
    body = render(issue_form.SHIPPED, {"details": "Just curious."})
    new = take(issue(24, "Question: Do you answer every question?", body)).new
    assert new is not None and new.question == "Do you answer every question?"
    assert new.details == "Just curious."
    plain = take(issue(25, "Do you ever say no?", "I asked a **hard** one.\r\n")).new
    assert plain is not None
    assert (plain.question, plain.details, plain.asker, plain.credit) == (
        "Do you ever say no?",
        "I asked a **hard** one.",
        "octo-reader",
        False,
    )
    nothing = take(issue(26, "Question: ", render(issue_form.SHIPPED, {})))
    assert nothing.new is None and "title is empty" in nothing.reason


def test_a_readers_own_heading_stays_in_their_text() -> None:
    body = render(
        issue_form.SHIPPED,
        {
            "question": "What is a good question?",
            "details": "### Background\n\nI teach.\n\n### Credit\n\nnone",
        },
    )
    new = take(issue(27, "Question: ", body)).new
    assert new is not None
    assert "### Background" in new.details and "I teach." in new.details
    # "### Credit" inside the details comes before the real Credit heading: still the reader's text
    assert "### Credit" in new.details and new.credit is False


def test_the_sites_own_form_labels_are_followed(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "ISSUE_TEMPLATE"
    folder.mkdir(parents=True)
    (folder / "bug.yml").write_text(
        "name: Bug\ndescription: x\nbody:\n  - type: textarea\n    id: what\n"
        "    attributes:\n      label: What happened\n",
        encoding="utf-8",
    )
    data = yaml.safe_load(issue_form.SHIPPED.read_text(encoding="utf-8"))
    relabel = {"question": "Deine Frage", "details": "Mehr dazu", "asker": "Name", "credit": "Nennung"}
    for element in data["body"]:
        if element.get("id") in relabel:
            element["attributes"]["label"] = relabel[element["id"]]
    data["title"] = "Frage: "
    data["body"].append({"type": "input", "id": "city", "attributes": {"label": "Stadt"}})
    own = folder / "frage.yml"
    own.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    form = issue_form.for_site(tmp_path, "question")
    assert form.path == own
    body = render(own, {"question": "Wie fängt man an?", "asker": "Jo", "city": "Bonn"})
    message = take(issue(28, "Frage: ", body), form)
    assert message.new is not None
    assert (message.new.question, message.new.asker) == ("Wie fängt man an?", "Jo")
    assert message.notes == ["ignored form field: Stadt"]
    # without a site form, the shipped one
    assert issue_form.for_site(tmp_path / "elsewhere", "question").path == issue_form.SHIPPED


def test_a_site_form_that_is_the_shipped_copy_is_parsed_once(tmp_path: Path, monkeypatch) -> None:
    """An English `floor init --ask-github` site's form is the shipped file, byte for byte: it is
    read as the site's own and the shipped one is not parsed again to compare it (each YAML parse
    of the form is several milliseconds of `floor intake github`)."""
    folder = tmp_path / ".github" / "ISSUE_TEMPLATE"
    folder.mkdir(parents=True)
    own = folder / "question.yml"
    own.write_text(issue_form.SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    loaded = []
    real_load = issue_form.load
    monkeypatch.setattr(issue_form, "load", lambda path: loaded.append(path) or real_load(path))
    form = issue_form.for_site(tmp_path, "question")
    assert loaded == [own]
    assert form.path == own and form.earlier is None
    assert (form.ids, form.title) == (real_load(issue_form.SHIPPED).ids, real_load(issue_form.SHIPPED).title)
    # a copy the author has edited (a reworded description) is compared with the shipped form
    edited = own.read_text(encoding="utf-8").replace("Short is fine.", "Short is good.")
    own.write_text(edited, encoding="utf-8")
    loaded.clear()
    form = issue_form.for_site(tmp_path, "question")
    assert loaded == [own, issue_form.SHIPPED] and form.earlier is None  # same labels: no fallback


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"user": {"login": 12345}}, "user.login: int is not a GitHub login"),
        ({"user": "octo"}, "user: expected an object"),
        ({"created_at": "2091-01-01T00:00:00Z"}, "not a plausible date"),
        ({"created_at": "1970-01-01T00:00:00Z"}, "not a plausible date"),
        ({"created_at": 1730000000}, "created_at: expected an ISO 8601 time, got int"),
        ({"created_at": "yesterday"}, "is not an ISO 8601 time"),
        ({"title": ["a", "list"]}, "title: expected text, got list"),
        ({"body": {"k": 1}}, "body: expected text, got dict"),
        ({"number": "7"}, "number: the issue has no number"),
        ({"number": True}, "number: the issue has no number"),
        ({"html_url": None}, "html_url: expected text"),
    ],
)
def test_fields_of_the_wrong_type_are_a_reason_not_a_traceback(change: dict, reason: str) -> None:
    message = take({**issue(30, "A fine question?", None), **change})
    assert message.new is None and reason in message.reason
    json.loads(message.raw)  # the rejected copy is still the issue as JSON


@pytest.fixture
def gh():
    with GitHubServer() as state:
        yield state


def test_cli_takes_the_form_in_comments_when_asked_and_rejects_bad_issues_whole(site: Path, gh) -> None:
    form_file = site / ".github" / "ISSUE_TEMPLATE" / "question.yml"
    assert issue_form.for_site(site, "question").path == form_file
    body = render(
        form_file,
        {
            "question": "How do you keep a column going for years?",
            "details": "Write back to me at sam.reader@example.org or on +44 20 7946 0958.",
            "asker": "Sam",
            "credit": {credit_option(form_file)},
        },
    )
    gh.add_issue(REPO, 3, "Question: ", body=body, login="sam-r")
    gh.add_issue(REPO, 4, "Question: Why only one question a week?", login=4242)
    gh.add_issue(REPO, 5, "Question: What about the archive?", created_at="3026-01-01T00:00:00Z")
    out = run_floor("intake", "github", "--repo", REPO, "--comment", site=site, env=github_env(gh))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert "1 added, 0 merged, 0 already imported, 2 rejected" in out.stdout
    assert "rejected issue #4: user.login: int is not a GitHub login" in out.stderr
    assert "rejected issue #5: created_at" in out.stderr
    assert "removed 2 contact details" in out.stdout
    q = question_mod.load(site / "questions" / "how-do-you-keep-a-column-going-for-years.md")
    assert (q.asker, q.credit, q.source) == ("Sam", True, "issue")
    assert q.details == f"Write back to me at {MASK} or on {MASK}."
    assert "sam.reader" not in q.path.read_text(encoding="utf-8")
    rejected = sorted((site / "questions" / "inbox" / "rejected").glob("issue-*.json.age"))  # sealed
    assert len(rejected) == 2
    # one comment, on the issue taken in, sent as the REST API takes it
    assert [(repo, number) for repo, number, _ in gh.comments] == [(REPO, 3)]
    assert "in the queue for" in gh.comments[0][2]
    posts = [(m, p) for m, p, _ in gh.requests if m == "POST"]
    assert posts == [("POST", f"/repos/{REPO}/issues/3/comments")]
    # a re-run files nothing and comments nothing more
    before = tree_digest(site)
    again = ok(run_floor("intake", "github", "--repo", REPO, "--comment", site=site, env=github_env(gh)))
    assert "0 added" in again and len(gh.comments) == 1
    assert tree_digest(site) == before


def test_no_comment_without_the_setting(site: Path, gh) -> None:
    gh.add_issue(REPO, 8, "Question: Is this on?", login="ada")
    ok(run_floor("intake", "github", "--repo", REPO, site=site, env=github_env(gh)))
    assert gh.comments == []
    assert intake_github.comment_text(
        {"FLOOR_GITHUB_INTAKE_COMMENT": True, "SITENAME": "Ask Robin"}, None
    ) == (intake_github.DEFAULT_COMMENT.replace("{site}", "Ask Robin"))
    assert intake_github.comment_text({"FLOOR_GITHUB_INTAKE_COMMENT": "Got it, {site}!"}, None) == (
        "Got it, the column!"
    )
    assert intake_github.comment_text({"FLOOR_GITHUB_INTAKE_COMMENT": True}, False) is None


def test_a_broken_site_form_is_a_clear_error_before_anything_is_written(site: Path, gh) -> None:
    form_file = site / ".github" / "ISSUE_TEMPLATE" / "question.yml"
    form_file.write_text(
        "name: Ask\nbody:\n  - type: textarea\n    id: question\n   bad: [indent\n", encoding="utf-8"
    )
    gh.add_issue(REPO, 1, "Question: Why?", login="ada")
    before = tree_digest(site)
    err = fails_cleanly(run_floor("intake", "github", "--repo", REPO, site=site, env=github_env(gh)))
    assert "question.yml" in err and "not a readable issue form" in err
    assert tree_digest(site) == before
