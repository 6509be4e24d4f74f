"""The author's whole loop at the desk, in Debian's Chromium: take in a real email, answer it while
the preview follows, publish, push, and see the post on the built site; an edit made in the CLI
while the desk is open is never lost; the keyboard alone answers; axe finds nothing, light and dark,
at 390 and 320 px too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import serve

pytestmark = pytest.mark.browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from from_the_floor.core.site import Site  # noqa: E402
from from_the_floor.desk import server  # noqa: E402
from helpers_floor import FLOOR_COMMAND, floor_env  # noqa: E402

TODAY = "2026-11-09"  # a Monday: the new site's weekly slot (09:00 UTC) is due by the end of it
MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "gmail-forward-2005.eml"
QID = "signed-email-causes-file-attachments"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page, axe_source: str) -> list:
    """axe-core's WCAG violations on the page as it is now (axe injected afresh)."""
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations",
        WCAG,
    )


def floor(site: Path, *args: str) -> str:
    done = subprocess.run(
        [*FLOOR_COMMAND, "--site", str(site), *args],
        capture_output=True,
        text=True,
        env=floor_env(TODAY),
        timeout=180,
    )
    assert done.returncode == 0, f"floor {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A new column (`floor init`) in a git repository with a remote, as a GitHub site would be."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "site"
    floor(tmp_path, "init", str(root), "--title", "Ask Robin", "--author", "Robin")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    # floor init makes the repository and its first commit; without a git identity it only stages
    head = ["git", "-C", str(root), "rev-parse", "--verify", "-q", "HEAD"]
    if subprocess.run(head, capture_output=True).returncode != 0:
        git(root, "commit", "-q", "-m", "A new column")
    git(root, "remote", "add", "origin", str(remote))
    return root


@pytest.fixture
def desk(site: Path):
    with server.running(Site(site), 0, today=TODAY) as run:
        yield run


def new_page(browser, url: str, *, width=1280, height=900, scheme="light", bypass_csp=False, javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        bypass_csp=bypass_csp,
        reduced_motion="reduce",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(url)  # the address `floor desk` prints: its token becomes a cookie
    assert "token=" not in page.url
    return page, problems


def test_the_authors_loop(browser, site: Path, desk, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page, problems = new_page(browser, desk.url)
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    expect(page.get_by_text("The queue is empty")).to_be_visible()

    # take in: a real forwarded email, through `floor intake eml`'s own functions and report
    page.get_by_role("link", name="Take in", exact=True).click()
    page.get_by_label("Files to take in").set_input_files(str(MAIL))
    page.get_by_role("button", name="Take in", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"added {QID}")
    expect(page.get_by_role("status")).to_contain_text("1 added, 0 merged")

    # the queue shows it; its page has the two fields
    page.get_by_role("link", name="Queue", exact=True).click()
    expect(page.locator("#counts")).to_contain_text("1 unanswered")
    page.get_by_role("link", name="Signed email causes file attachments").click()
    quick = page.get_by_label("Quick answer")
    thoughtful = page.get_by_label("More thoughtful answer")
    quick.fill("Yes, and it is harmless.")
    thoughtful.press_sequentially("The *signature* travels as a file.", delay=5)
    preview = page.frame_locator("#preview-frame")
    # the first whole page takes Pelican a few seconds to make
    expect(preview.locator(".floor-thoughtful-answer em")).to_have_text("signature", timeout=60_000)
    expect(preview.locator(".floor-quick-answer")).to_have_text("Yes, and it is harmless.")
    assert "travels" not in (site / "questions" / f"{QID}.md").read_text(encoding="utf-8")  # not saved yet

    # meanwhile, in a terminal: the author sets a priority. The desk's Save must not undo it.
    floor(site, "set", QID, "--priority", "3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("changed since you opened it")
    kept = site / "questions" / f".{QID}.rejected-edit.md"
    assert "The *signature* travels as a file." in kept.read_text(encoding="utf-8")
    text = (site / "questions" / f"{QID}.md").read_text(encoding="utf-8")
    assert "priority: 3" in text and "travels" not in text
    expect(thoughtful).to_have_value("The *signature* travels as a file.")  # still in the field
    page.get_by_role("button", name="Save").click()  # now knowingly over the current file
    expect(page.get_by_role("status").first).to_contain_text(re.compile(r"Saved\. “[^”]+”: ready"))
    text = (site / "questions" / f"{QID}.md").read_text(encoding="utf-8")
    assert "priority: 3" in text and "The *signature* travels as a file." in text

    # the answer, taken in and saved here, reaches the repository with Push alone (no terminal)
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_role("button", name="Push").click()
    expect(page.get_by_role("status")).to_contain_text("committed: Save the column's questions")
    expect(page.get_by_role("status")).to_contain_text(f"new: questions/{QID}.md")
    assert "travels as a file" in git(tmp_path / "remote.git", "show", f"main:questions/{QID}.md")

    # the schedule updates as the answer is saved
    page.get_by_role("link", name="Schedule", exact=True).click()
    expect(page.locator("pre.report")).to_contain_text(QID)

    # publish: what goes out, as readers will see it; then Publish now (floor publish --commit) and Push
    page.get_by_role("link", name="Publish", exact=True).click()
    publish_frame = page.frame_locator("#publish-frame")
    expect(publish_frame.locator(".floor-thoughtful-answer")).to_contain_text("signature")
    heading = publish_frame.locator("h1").inner_text()
    previewed = publish_frame.locator(".floor-qa").inner_html()
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_role("status")).to_contain_text(f"published #1 (Mon 9 Nov 2026 09:00 UTC): {QID}")
    expect(page.get_by_role("status")).to_contain_text("committed: Publish")
    page.get_by_role("button", name="Push").click()
    expect(page.get_by_role("status")).to_contain_text("main -> main")
    assert "Publish" in git(tmp_path / "remote.git", "log", "--oneline", "main")

    page.get_by_role("link", name="Stats", exact=True).click()
    expect(page.get_by_role("img")).to_have_attribute("alt", re.compile(r"\w"))
    # the refused first Save answered 409, as it should; nothing else went wrong
    assert [p for p in problems if "status of 409" not in p] == [], problems

    # see the post: the built site shows what the preview showed
    floor(site, "build")
    with serve(site / "output") as url:
        post, _ = new_page(browser, f"{url}/")
        post.locator(f"a[href$='/floor/{QID}/']").first.click()
        expect(post.locator("h1")).to_have_text(heading)  # the heading the preview showed
        assert post.locator(".floor-qa").inner_html() == previewed  # and the very same post body
        expect(post.locator(".floor-thoughtful-answer em")).to_have_text("signature")
        expect(post.locator(".floor-quick-answer")).to_have_text("Yes, and it is harmless.")


def test_keyboard_only_answer(browser, site: Path, make_question_file, desk) -> None:
    from playwright.sync_api import expect

    page, problems = new_page(browser, desk.url)
    page.keyboard.press("/")  # the search shortcut
    page.keyboard.type("cake")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Is the cake a lie?")).to_be_visible()
    for _ in range(40):  # Tab to the question's link, then Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Is the cake a lie?":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Is the cake a lie?")).to_be_visible()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "quick":
            break
    page.keyboard.type("No.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the help text to the textarea
    if page.evaluate("document.activeElement.id") != "body":
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "body"
    page.keyboard.type("There is cake.")
    page.keyboard.press("Control+s")
    expect(page.get_by_role("status").first).to_contain_text(re.compile(r"Saved\. “[^”]+”: ready"))
    assert "There is cake." in (site / "questions" / "cake.md").read_text(encoding="utf-8")
    assert not problems, problems


@pytest.fixture
def make_question_file(site: Path) -> None:
    (site / "questions" / "cake.md").write_text(
        "---\nquestion: Is the cake a lie?\nasked: 2026-11-01\nasker: Pat\ncontact: pat@example.org\n"
        "tags: [cake]\nquick_answer:\n---\n",
        encoding="utf-8",
    )
    (site / "questions" / "cake-again.md").write_text(
        "---\nquestion: Is the cake really a lie?\nasked: 2026-11-02\nquick_answer:\n---\n", encoding="utf-8"
    )


PAGES = ["/", "/q/cake", "/intake", "/schedule", "/publish", "/stats"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_and_320_px_fits(
    browser, site: Path, make_question_file, desk, axe_source, scheme
) -> None:
    from test_accessibility import describe

    for width in (1280, 390, 320):  # 320: WCAG's reflow width (a phone, or 1280 px at 400 %)
        page, _ = new_page(browser, desk.url, width=width, scheme=scheme, bypass_csp=True)  # axe is injected
        for path in PAGES:
            page.goto(path if path.startswith("http") else f"http://127.0.0.1:{desk.port}{path}")
            result = axe_violations(page, axe_source)
            assert not result, f"{path} ({scheme}, {width} px):\n{describe(result)}"
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path} scrolls sideways at {width} px ({wide} px wide)"
        page.context.close()


def test_the_contact_shows_only_on_a_click_and_is_never_stored(
    browser, site: Path, make_question_file, desk
) -> None:
    from playwright.sync_api import expect

    floor(site, "keys", "init")
    floor(site, "seal")
    assert "pat@example.org" not in (site / "questions" / "cake.md").read_text(encoding="utf-8")
    page, problems = new_page(browser, desk.url)
    page.goto(f"http://127.0.0.1:{desk.port}/q/cake")
    assert "pat@example.org" not in page.content()
    with page.expect_response(re.compile(r"/q/cake/contact$")) as caught:
        page.get_by_role("button", name="Show the contact").click()
    assert caught.value.headers["cache-control"] == "no-store"
    expect(page.get_by_text("Pat: pat@example.org")).to_be_visible()
    page.goto(f"http://127.0.0.1:{desk.port}/q/cake")
    assert "pat@example.org" not in page.content()
    stored = page.evaluate("JSON.stringify([localStorage, sessionStorage, document.cookie])")
    assert "pat@example.org" not in stored
    assert not problems, problems


def test_without_javascript_every_form_still_works(browser, site: Path, make_question_file, desk) -> None:
    from playwright.sync_api import expect

    page, problems = new_page(browser, desk.url, javascript=False)
    page.goto(f"http://127.0.0.1:{desk.port}/q/cake")
    page.get_by_label("Quick answer").fill("No.")
    page.get_by_label("More thoughtful answer").fill("There is *cake*.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text(re.compile(r"Saved\. “[^”]+”: ready"))
    frame = page.frame_locator("#preview-frame")
    expect(frame.locator(".floor-thoughtful-answer em")).to_have_text("cake", timeout=60_000)
    page.get_by_label("Tags").fill("cake, truth")
    page.get_by_role("button", name="Update scheduling").click()
    expect(page.get_by_role("status").first).to_contain_text("cake: ready")
    page.get_by_role("button", name="Hold").click()
    expect(page.get_by_role("status").first).to_contain_text("cake: held")
    assert "tags: [cake, truth]" in (site / "questions" / "cake.md").read_text(encoding="utf-8")
    assert not problems, problems


def test_a_question_heard_at_a_talk_is_typed_in(browser, site: Path, desk) -> None:
    from playwright.sync_api import expect

    page, problems = new_page(browser, desk.url)
    page.get_by_role("link", name="Take in", exact=True).click()
    expect(page.get_by_label("Asked on")).to_have_value(TODAY)  # today, in the site's zone
    page.get_by_label("The question", exact=True).fill("How do you say no to a reader kindly?")
    page.get_by_label("Their name").fill("Sam")
    page.get_by_label("They agreed to be named on the post").check()
    page.get_by_label("Their contact").fill("sam@example.org")
    page.get_by_label("They want to hear when the answer is up").check()
    page.get_by_role("button", name="Add the question").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Added to the queue as question how-do-you-say-no-to-a-reader-kindly")
    assert "sam@example.org" not in page.content()
    status.get_by_role("link", name="answer it on its page").click()
    expect(page.get_by_role("heading", name="How do you say no to a reader kindly?")).to_be_visible()
    expect(page.get_by_text("agreed to be credited")).to_be_visible()
    text = (site / "questions" / "how-do-you-say-no-to-a-reader-kindly.md").read_text(encoding="utf-8")
    assert "sam@example.org" not in text and "notify: true" in text
    assert not problems, problems


def test_a_published_post_s_missing_quick_answer_is_written_at_the_desk(browser, site: Path, desk) -> None:
    from playwright.sync_api import expect

    post = site / "content" / "floor" / "old-blog.md"
    post.write_text(
        "---\nquestion: Where did the old blog go?\nasked: 2019-03-01\nnumber: 1\n"
        "date: 2019-03-04T09:00:00+00:00\nquick_answer:\n---\nIt moved here.\n",
        encoding="utf-8",
    )
    page, problems = new_page(browser, desk.url)
    page.get_by_role("link", name="Where did the old blog go?").click()
    page.get_by_label("Quick answer").fill("It lives here now.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved the quick answer of published post #1")
    assert "quick_answer: It lives here now.\n" in post.read_text(encoding="utf-8")
    assert not problems, problems


def test_leaving_a_page_with_unsaved_text_asks_first(browser, site: Path, make_question_file, desk) -> None:
    """Typed text is lost if the page goes (a link, another button, a reload): the browser asks,
    and staying keeps the text; Save, and a page with nothing typed, leave without asking."""
    from playwright.sync_api import expect

    page, problems = new_page(browser, desk.url)
    asked: list[str] = []

    def stay(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", stay)
    page.goto(f"http://127.0.0.1:{desk.port}/q/cake")
    page.get_by_role("link", name="Schedule").click()  # nothing typed: no question
    expect(page.get_by_role("heading", name="Schedule", exact=True)).to_be_visible()
    assert asked == []
    page.goto(f"http://127.0.0.1:{desk.port}/q/cake")
    page.get_by_label("More thoughtful answer").click()
    page.keyboard.type("Half of an answer")
    page.get_by_role("link", name="Schedule").click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/q/cake")
    expect(page.get_by_label("More thoughtful answer")).to_have_value("Half of an answer")
    page.get_by_role("button", name="Hold").click(no_wait_after=True)  # another button loses it too
    page.wait_for_timeout(500)
    assert asked == ["beforeunload", "beforeunload"]
    assert "hold: true" not in (site / "questions" / "cake.md").read_text(encoding="utf-8")
    page.get_by_label("Quick answer").click()
    page.keyboard.type("No.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text(re.compile(r"Saved\. “[^”]+”: ready"))
    assert len(asked) == 2
    page.get_by_role("link", name="Schedule").click()  # saved: nothing left to lose
    expect(page.get_by_role("heading", name="Schedule", exact=True)).to_be_visible()
    assert len(asked) == 2
    assert not problems, problems


def test_a_save_that_never_reached_the_desk_gives_the_text_back(
    browser, site: Path, make_question_file
) -> None:
    """The desk stopped (Ctrl+C, kill -9, a crash) while Save was sent: the browser shows its own
    error page and the answer was not written. Opening the question again in that tab, once the
    desk runs again, puts the typed text back in the fields and says so; a Save that arrived
    leaves nothing behind."""
    from playwright.sync_api import expect

    question = site / "questions" / "cake.md"
    before = question.read_bytes()
    with server.running(Site(site), 0, today=TODAY) as first:
        port = first.port
        page, problems = new_page(browser, first.url)
        page.goto(f"http://127.0.0.1:{port}/q/cake")
        page.get_by_label("Quick answer").fill("No.")
        page.get_by_label("More thoughtful answer").fill("There is cake,\nand it is real.")
    page.get_by_role("button", name="Save").click(no_wait_after=True)  # the desk is gone
    page.wait_for_timeout(1000)
    assert question.read_bytes() == before
    problems.clear()  # the browser logs the refused connection
    with server.running(Site(site), port, today=TODAY) as again:
        page.goto(again.url)  # the new address, in the same tab
        page.goto(f"http://127.0.0.1:{port}/q/cake")
        expect(page.get_by_role("alert")).to_contain_text("did not reach the desk")
        expect(page.get_by_label("Quick answer")).to_have_value("No.")
        expect(page.get_by_label("More thoughtful answer")).to_have_value("There is cake,\nand it is real.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status").first).to_contain_text(re.compile(r"Saved\. “[^”]+”: ready"))
        assert "There is cake,\nand it is real." in question.read_text(encoding="utf-8")
        page.reload()  # saved: nothing is given back again
        expect(page.get_by_role("heading", name="Is the cake a lie?")).to_be_visible()
        assert page.get_by_role("alert").count() == 0
    assert not problems, problems


def test_a_crowded_question_keeps_scheduling_within_keyboard_reach(
    browser, site: Path, desk, tmp_path: Path, axe_source
) -> None:
    """A question asked by 30 readers lists the first 20 with their Split off buttons and folds the
    rest into a closed <details> that says how many: the keyboard reaches Scheduling in about 20
    presses, not one per reader; the folded ones open with Enter, no JavaScript; axe finds nothing."""
    from helpers_crowd import QID as CROWD
    from helpers_crowd import crowd_csv
    from test_accessibility import describe

    floor(site, "intake", "csv", str(crowd_csv(tmp_path / "talk.csv", 30)))
    page, problems = new_page(browser, desk.url, javascript=False)
    page.goto(f"http://127.0.0.1:{desk.port}/q/{CROWD}")
    assert page.locator("details.more-readers > summary").inner_text() == "9 more readers merged in"
    page.locator("#dups-h").click()
    passed: list[str] = []
    while page.evaluate("document.activeElement.id") != "priority":
        page.keyboard.press("Tab")
        passed.append(page.evaluate("document.activeElement.textContent.trim()"))
        assert len(passed) <= 100, passed
    # on the way: 20 Split off buttons, the folded readers' summary, never the folded buttons
    assert passed.count("Split off") == 20, passed
    assert "9 more readers merged in" in passed
    page.locator("details.more-readers > summary").focus()
    page.keyboard.press("Enter")
    assert page.locator('button[aria-label^="Split off reader 29 as"]').is_visible()
    assert not problems, problems
    page.context.close()
    page, _ = new_page(browser, desk.url, bypass_csp=True)  # axe is injected
    page.goto(f"http://127.0.0.1:{desk.port}/q/{CROWD}")
    for state in ("closed", "open"):
        if state == "open":
            page.locator("details.more-readers > summary").click()
        result = axe_violations(page, axe_source)
        assert not result, f"{state}:\n{describe(result)}"
    page.context.close()


def test_a_refused_field_is_focused_and_read_with_its_message(
    browser, site: Path, make_question_file, desk, axe_source
) -> None:
    """With a keyboard and a screen reader: a form refused for one field comes back with the focus
    on that field, which is marked invalid and described by the message saying why; axe finds
    nothing on the refused pages."""
    from playwright.sync_api import expect
    from test_accessibility import describe

    page, problems = new_page(browser, desk.url, bypass_csp=True)  # (axe is injected)
    page.goto(f"http://127.0.0.1:{desk.port}/q/cake")
    for _ in range(80):  # Tab to the decline reason
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "reason":
            break
    page.keyboard.type("   ")  # `required` lets spaces through; the desk refuses them
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/q/cake/decline$"))
    reason = page.get_by_label("Private reason for declining")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(re.compile(r"^Private reason for declining: give a reason"))
    assert not axe_violations(page, axe_source), describe(axe_violations(page, axe_source))
    page.keyboard.type("Off topic")  # typing goes straight into the field; Enter declines
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("cake: declined")

    # a browser that lets any text into a date field (or none at all): the typed values stay
    page.goto(f"http://127.0.0.1:{desk.port}/q/cake-again")
    page.evaluate("document.getElementById('not_before').type = 'text'")
    page.get_by_label("Priority").fill("3")
    page.get_by_label("Not before").fill("next Tuesday")
    page.get_by_role("button", name="Update scheduling").press("Enter")
    field = page.get_by_label("Not before")
    expect(field).to_be_focused()
    expect(field).to_have_accessible_description(re.compile(r"^Not before: 'next Tuesday' is not a date"))
    expect(page.get_by_label("Priority")).to_have_value("3")
    assert not axe_violations(page, axe_source)

    page.goto(f"http://127.0.0.1:{desk.port}/intake")
    page.get_by_label("The question", exact=True).fill("Will you come back next year?")
    page.get_by_label("They want to hear when the answer is up").check()
    page.get_by_role("button", name="Add the question").press("Enter")
    contact = page.get_by_label("Their contact")
    expect(contact).to_be_focused()
    expect(contact).to_have_attribute("aria-invalid", "true")
    expect(contact).to_have_accessible_description(re.compile(r"^Not added: Their contact: "))
    expect(page.get_by_label("The question", exact=True)).to_have_value("Will you come back next year?")
    assert not axe_violations(page, axe_source), describe(axe_violations(page, axe_source))
    # (the browser logs each refused page's status, 422: the page itself is what the author sees)
    assert not [p for p in problems if "status of 422" not in p], problems


def test_a_refused_file_form_is_focused_on_its_field_and_read_with_its_message(
    browser, site: Path, desk, axe_source
) -> None:
    """With the keyboard alone: Take in pressed with no file, then a blog export taken in with
    neither a label nor Every post, each comes back with the focus on the field at fault (the file
    chooser, then the label), marked invalid and described by the message; typing the label and
    choosing the file again takes the posts in. axe finds nothing on the refused pages."""
    from playwright.sync_api import expect
    from test_accessibility import describe

    export = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "wp-small-export-1.1.xml"
    page, problems = new_page(browser, desk.url, bypass_csp=True)  # (axe is injected)
    page.goto(f"http://127.0.0.1:{desk.port}/intake")
    for _ in range(80):  # Tab to the file form's button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#intake-form button')"):
            break
    page.keyboard.press("Enter")
    files = page.get_by_label("Files to take in")
    expect(files).to_be_focused()
    expect(files).to_have_attribute("aria-invalid", "true")
    expect(files).to_have_accessible_description(
        re.compile(r"^Nothing taken in: Files to take in: choose or drop at least one file")
    )
    assert not axe_violations(page, axe_source), describe(axe_violations(page, axe_source))

    files.set_input_files(str(export))  # (the browser's own file dialog is out of a test's reach)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # these readers agreed to hear: kept on the refused page
    page.get_by_label("Your name on the old blog").fill("admin")
    page.get_by_role("button", name="Take in", exact=True).press("Enter")
    label = page.get_by_label("Only posts with this category or label")
    expect(label).to_be_focused()
    expect(label).to_have_attribute("aria-invalid", "true")
    expect(label).to_have_accessible_description(
        re.compile(r"^Nothing taken in: Only posts with this category or label: give a label")
    )
    expect(page.get_by_label("Your name on the old blog")).to_have_value("admin")
    expect(page.get_by_label("These readers agreed to hear when their answer is up")).to_be_checked()
    assert not axe_violations(page, axe_source), describe(axe_violations(page, axe_source))
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Every post, the next stop after the label
    expect(page.get_by_label("Every post")).to_be_checked()
    page.get_by_label("Files to take in").set_input_files(str(export))
    page.get_by_role("button", name="Take in", exact=True).press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("imported")
    # (the browser logs each refused page's status, 422: the page itself is what the author sees)
    assert not [p for p in problems if "status of 422" not in p], problems


def test_a_save_while_floor_publish_holds_the_site_says_busy_and_keeps_the_text(
    browser, site: Path, make_question_file, desk, monkeypatch
) -> None:
    """Before, Save spun with no word for as long as the lock was held (up to two minutes)."""
    from from_the_floor.desk import app
    from playwright.sync_api import expect

    monkeypatch.setattr(app, "LOCK_WAIT", 0.5, raising=False)
    holder = subprocess.Popen(  # a running `floor publish` holds the site lock
        [sys.executable, "-c", "import sys; from filelock import FileLock; l = FileLock(sys.argv[1]); "
         "l.acquire(); print('held', flush=True); sys.stdin.read()", str(Site(site).lock_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        page, problems = new_page(browser, desk.url)
        page.goto(f"http://127.0.0.1:{desk.port}/q/cake")
        page.get_by_label("Quick answer").fill("No.")
        page.get_by_label("More thoughtful answer").fill("There is cake, later.")
        page.keyboard.press("Control+s")
        busy = page.locator("#busy")
        expect(busy).to_contain_text("Not saved yet: the site is busy.")
        expect(busy).to_be_focused()
        expect(page.get_by_label("Quick answer")).to_have_value("No.")
        expect(page.get_by_label("More thoughtful answer")).to_have_value("There is cake, later.")
        assert "There is cake" not in (site / "questions" / "cake.md").read_text(encoding="utf-8")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    page.get_by_label("More thoughtful answer").focus()
    page.keyboard.press("Control+s")  # the publish is done: the same text saves
    expect(page.get_by_role("status").first).to_contain_text(re.compile(r"Saved\. “[^”]+”: ready"))
    assert "There is cake, later." in (site / "questions" / "cake.md").read_text(encoding="utf-8")
    assert not [p for p in problems if "status of 503" not in p], problems
