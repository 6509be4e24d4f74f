"""The desk's actions are the commands' functions: the same files written, the same messages shown."""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

from from_the_floor.desk import pages_site
from helpers_crowd import QID, crowd_csv
from helpers_desk import desk
from helpers_floor import FLOOR_COMMAND, floor_env

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _save_form(client, qid: str) -> dict[str, str]:
    """The hidden fields a question's Save form sends (its token and the file's digest)."""
    page = client.get(f"/q/{qid}").text
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    return {"csrf": client.csrf(f"/q/{qid}"), "digest": digest}


def _note(reply, client) -> str:
    """Follow a POST's redirect; the page's note (status or alert) as text."""
    assert reply.status == 303, reply.text
    page = client.get(reply.headers["location"]).text
    found = re.search(
        r'<div class="note note-(?:done|error)" role="(?:status|alert)"[^>]*>(.*?)</div>', page, re.S
    )
    assert found, page
    return re.sub(r"<[^>]+>", " ", found.group(1))


def _multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for filename, data in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_one_question_actions_say_what_the_commands_say(site: Path, make_question) -> None:
    path = make_question(site, "q", "Is it late?", quick="Yes.", body="Very.")
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/q/q")
        assert "q: held" in _note(client.post("/q/q/hold", {"csrf": token}), client)
        assert "q: ready" in _note(client.post("/q/q/release", {"csrf": token}), client)
        refused = client.post(
            "/q/q/set", {"csrf": token, "priority": "2", "pin": "", "not_before": "nope", "tags": ""}
        )
        assert refused.status == 422  # the page again, the field marked (test_a_refused_field_…)
        assert "Not before: " in refused.text and "YYYY-MM-DD" in refused.text  # the CLI's message
        assert "priority" not in path.read_text(encoding="utf-8")  # and nothing half-written
        assert "q: ready" in _note(
            client.post(
                "/q/q/set", {"csrf": token, "priority": "2", "pin": "", "not_before": "", "tags": "a, b"}
            ),
            client,
        )
        refused = client.post("/q/q/decline", {"csrf": token, "reason": " "})
        assert refused.status == 422 and "give a reason" in refused.text
        assert "q: declined" in _note(
            client.post("/q/q/decline", {"csrf": token, "reason": "off topic"}), client
        )
        assert "q: ready" in _note(client.post("/q/q/undecline", {"csrf": token}), client)
    text = path.read_text(encoding="utf-8")
    assert "priority: 2" in text and "tags: [a, b]" in text and "declined" not in text


def test_the_queue_filters_searches_and_counts(site: Path, make_question) -> None:
    make_question(site, "a", "Do you like tea?", tags="[drinks]")
    make_question(site, "b", "Do you like cake?", quick="Yes.", body="Lots.", tags="[food]")
    with desk(site) as client:
        client.sign_in()
        page = client.get("/").text
        assert "1 unanswered" in page and "1 ready" in page
        assert "Do you like cake?" in client.get("/?status=ready").text
        assert "Do you like tea?" not in client.get("/?status=ready").text
        assert "Do you like tea?" not in client.get("/?tag=food").text
        found = client.get("/?q=TEA").text
        assert "Do you like tea?" in found and "Do you like cake?" not in found


def test_the_tag_filter_lists_tags_as_a_reader_reads_them(site: Path, make_question) -> None:
    for n, tag in enumerate(["Year 10", "Year 2", "year 1", "école", "Edge"]):
        make_question(site, f"q{n}", f"Question {n}?", tags=f'["{tag}"]')
    with desk(site) as client:
        client.sign_in()
        page = client.get("/").text
    offered = re.findall(r'<option value="([^"]*)"', page)
    assert [o for o in offered if o in {"Year 10", "Year 2", "year 1", "école", "Edge"}] == [
        "école",
        "Edge",
        "year 1",
        "Year 2",
        "Year 10",
    ]


def test_a_long_queue_is_shown_a_hundred_at_a_time_with_the_filters_kept(site: Path, make_question) -> None:
    """Thousands waiting made one page of megabytes: a page holds 100, in the order they are
    answered, and the links to the others keep the search and the filters."""
    for n in range(230):
        tags = "[tea]" if n % 2 else "[cake]"
        make_question(site, f"q{n:03d}", f"Question {n:03d}?", priority=str(1000 - n), tags=tags)
    with desk(site) as client:
        client.sign_in()
        first = client.get("/").text
        assert "230 waiting" in first
        assert first.count('class="item ') == 100
        assert "Question 000?" in first and "Question 099?" in first and "Question 100?" not in first
        assert "Questions 1–100 of 230" in first and "(page 1 of 3)" in first
        assert 'href="/?page=2" rel="next">Next 100<' in first and 'rel="prev"' not in first
        last = client.get("/?page=3").text
        assert last.count('class="item ') == 30 and "Question 229?" in last
        assert "Questions 201–230 of 230" in last and 'rel="next"' not in last
        assert 'href="/?page=2" rel="prev">Previous 100<' in last
        assert client.get("/?page=99").text.count('class="item ') == 30  # past the end: the last page
        assert client.get("/?page=x").text.count('class="item ') == 100
        tea = client.get("/?tag=tea&page=2").text  # 115 with the tag: the second page holds 15
        assert tea.count('class="item ') == 15 and "Question 229?" in tea and "Question 228?" not in tea
        assert 'href="/?tag=tea" rel="prev"' in tea and "Questions 101–115 of 115" in tea
        few = client.get("/?q=q01").text  # ten found (q010 to q019): one page, no page links
        assert few.count('class="item ') == 10 and "Pages of the queue" not in few


def test_dropped_files_are_taken_in_with_the_intake_report(site: Path) -> None:
    body, kind = _multipart(
        {"source": "notes"},
        [
            ("gmail-forward-2005.eml", (FIXTURES / "intake" / "gmail-forward-2005.eml").read_bytes()),
            ("../../evil.csv", b"question,asker\nWhy is the sky blue?,Ada\n"),
        ],
    )
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/intake")
        reply = client.request(
            "POST",
            "/intake",
            body=body,
            headers={
                "Content-Type": kind,
                "Origin": client.origin,
                "Sec-Fetch-Site": "same-origin",
                "X-CSRF-Token": token,
            },
        )
        said = _note(reply, client)
    assert "added signed-email-causes-file-attachments" in said and "added why-is-the-sky-blue" in said
    assert (site / "questions" / "why-is-the-sky-blue.md").exists()
    assert not (site.parent / "evil.csv").exists()


def test_a_blog_export_goes_through_import(site: Path) -> None:
    conf = site / "pelicanconf.py"  # the column at the old blog's own address: moved in place
    conf.write_text(
        conf.read_text(encoding="utf-8").replace('SITEURL = ""', 'SITEURL = "http://thisisa.test"')
    )
    body, kind = _multipart(
        {"all": "on", "dry_run": "on"},
        [("export.xml", (FIXTURES / "import" / "pelican-wordpressexport.xml").read_bytes())],
    )
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/intake")
        headers = {
            "Content-Type": kind,
            "Origin": client.origin,
            "Sec-Fetch-Site": "same-origin",
            "X-CSRF-Token": token,
        }
        said = _note(client.request("POST", "/intake", body=body, headers=headers), client)
    assert "dry run" in said.lower()
    assert "old addresses: 7 of these posts were at thisisa.test, this site&#39;s host" in said
    assert "floor redirects" in said
    assert not list((site / "content" / "floor").glob("*.md"))


def test_merge_and_split_from_the_question_page(site: Path, make_question) -> None:
    make_question(site, "stalk", "Do you ever stalk your customers?")
    make_question(site, "stalking", "Do you stalk customers online?")
    with desk(site) as client:
        client.sign_in()
        page = client.get("/q/stalking").text
        assert "Merge into it" in page and 'value="stalk"' in page  # the suggestion
        token = client.csrf("/q/stalking")
        assert "merged stalking into stalk: 2 readers asked it" in _note(
            client.post("/q/stalking/merge", {"csrf": token, "into": "stalk"}), client
        )
        assert "Split off" in client.get("/q/stalk").text
        said = _note(client.post("/q/stalk/split", {"csrf": token, "entry": "1"}), client)
    assert said.strip().startswith("split off")


def test_floor_desk_prints_its_address_and_serves_on_loopback_only(site: Path) -> None:
    import http.client

    proc = subprocess.Popen(
        [*FLOOR_COMMAND, "desk", "--site", str(site), "--no-open", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=floor_env(),
    )
    try:
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)", line)
        assert found, line + proc.stderr.read()
        port = int(found.group(1))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/?token={found.group(2)}")
        assert conn.getresponse().status == 303
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
        if listening.returncode == 0:
            local = {line.split()[3] for line in listening.stdout.splitlines() if line.strip()}
            assert local == {f"127.0.0.1:{port}"}  # never 0.0.0.0 or [::]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_save_writes_only_what_changed_and_refuses_a_stale_page(site: Path) -> None:
    path = site / "questions" / "tea.md"
    original = "\r\n".join(
        [
            "---",
            "# mine",
            "question: Tea?",
            "asked: 2026-11-01",
            "quick_answer:",
            "---",
            "First line.",
            "Second.",
            "",
        ]
    )
    path.write_bytes(original.encode())
    with desk(site) as client:
        client.sign_in()
        # the form sent back as it came (a browser sends CRLF and may drop the last line break)
        same = {**_save_form(client, "tea"), "quick": "", "body": "First line.\r\nSecond."}
        assert "Saved. “Tea?”: unanswered" in _note(client.post("/q/tea/save", same), client)
        assert path.read_bytes() == original.encode()
        answered = {**same, "quick": "Yes, please."}
        assert "Saved. “Tea?”: ready" in _note(client.post("/q/tea/save", answered), client)
        assert path.read_bytes() == original.replace("quick_answer:", "quick_answer: Yes, please.").encode()
        # the page was opened before that save: its digest is stale now
        stale = client.post("/q/tea/save", {**same, "body": "Replaced."})
        assert stale.status == 409 and "changed since you opened it" in stale.text
        assert "Replaced." in stale.text  # the author's text is still in the field
        # where things are, as the author finds them in the site folder: no absolute paths
        assert "questions/.tea.rejected-edit.md" in stale.text and str(site) not in stale.text
    assert b"Replaced." not in path.read_bytes()
    assert "Replaced." in (site / "questions" / ".tea.rejected-edit.md").read_text(encoding="utf-8")


def test_saved_names_the_question_by_its_words_shortened_and_escaped(site: Path, make_question) -> None:
    asked = "Should <b>moderators</b> be paid for the hours they spend keeping a busy forum civil and kind?"
    make_question(site, "mods", asked)
    with desk(site) as client:
        client.sign_in()
        sent = {**_save_form(client, "mods"), "quick": "Yes.", "body": "They should."}
        reply = client.post("/q/mods/save", sent)
        assert reply.status == 303
        shown = client.get(reply.headers["location"]).text
    assert (
        "Saved. “Should &lt;b&gt;moderators&lt;/b&gt; be paid for the hours they spend…”: ready" in shown
    ), re.findall(r"Saved[^\n]*", shown)
    assert "<b>moderators" not in shown and "Saved. mods" not in shown


def test_the_retirement_switch_is_floor_retire_when_done(site: Path) -> None:
    conf = site / "pelicanconf.py"
    with desk(site) as client:
        client.sign_in()
        page = client.get("/schedule").text
        assert "Retirement is not armed" in page and "Arm retirement when the column is done" in page
        token = client.csrf("/schedule")
        said = _note(client.post("/retirement", {"csrf": token, "armed": "on"}), client)
        assert "retirement armed" in said and "pelicanconf.py records it" in said
        assert re.search(r"^FLOOR_AUTO_RETIRE = True", conf.read_text(encoding="utf-8"), re.M)
        assert "Disarm retirement" in client.get("/schedule").text  # the settings are read again
        said = _note(client.post("/retirement", {"csrf": token, "armed": "off"}), client)
        assert "retirement disarmed" in said
    assert re.search(r"^FLOOR_AUTO_RETIRE = False", conf.read_text(encoding="utf-8"), re.M)


def test_the_question_page_shows_every_reader_of_a_crowded_question(site: Path, tmp_path: Path) -> None:
    """Readers past the ones listed in the question file (kept in questions/readers/) are on the
    page too: counted, named, and each one can be split off or have its contact opened."""
    rows = crowd_csv(tmp_path / "talk.csv", 30)
    done = subprocess.run(
        [*FLOOR_COMMAND, "--site", str(site), "intake", "csv", str(rows)],
        capture_output=True,
        text=True,
        env=floor_env(),
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with desk(site) as client:
        client.sign_in()
        page = client.get(f"/q/{QID}").text
        assert "30 readers asked this" in page
        assert "Listener 29" in page  # kept apart in the readers file, not listed in the question
        assert 'aria-label="Split off reader 29 as' in page
        # the first 20 stay in view; the other 9 fold into a <details> that says how many, so the
        # Scheduling form is not hundreds of Tab presses away on a question asked by a crowd
        before, folded = page.split('<details class="more-readers">', 1)
        folded, after = folded.split("</details>", 1)
        assert before.count(">Split off</button>") == 20
        assert "<summary>9 more readers merged in</summary>" in folded
        assert folded.count(">Split off</button>") == 9
        assert ">Split off</button>" not in after and "Update scheduling" in after
        token = client.csrf(f"/q/{QID}")
        said = _note(client.post(f"/q/{QID}/split", {"csrf": token, "entry": "29"}), client)
        assert said.strip().startswith("split off")
        opened = client.post(f"/q/{QID}/contact", {"csrf": token}).text
    assert "l29@example.net" not in opened, "split off: no longer one of this question's readers"
    assert "l28@example.net" in opened and "l1@example.net" in opened


def _terminal_steps(page: str) -> list[str]:
    """Every `floor …` command the page tells the author to type, outside the ones it says need a terminal."""
    told = re.findall(r"`floor [^`]*`", page)
    told += [
        m.group(0)
        for m in re.finditer(r"<code>floor [^<]*</code>(?: in a terminal)?", page)
        if not m.group(0).endswith("in a terminal")
        and "In a terminal, " not in page[max(0, m.start() - 20) : m.start()]
    ]
    return told


def test_the_publish_page_says_the_next_post_s_moment_as_the_schedule_does(site: Path, make_question) -> None:
    """ "Next post:" on the Publish page is a day and time an author reads, in the site's zone, as
    the Schedule page writes it ("Mon 9 Nov 2026 09:00 UTC"), not an ISO timestamp."""
    make_question(site, "q", "Is it late?", quick="Yes.", body="Very.")
    with desk(site) as client:
        client.sign_in()
        publish = client.get("/publish").text
        schedule = client.get("/schedule").text
    said = re.search(r"<p>Next post: (.*?) \(1 question\)\.</p>", publish)
    assert said, publish
    assert said.group(1) == "Mon 9 Nov 2026 09:00 UTC"
    assert said.group(1) in schedule


def test_a_question_file_broken_by_hand_while_the_desk_is_open(site: Path, make_question) -> None:
    """The queue lists the rest and names the file; a page that cannot be made of a broken queue
    says it cannot be shown (nothing was attempted, so not "Not done") and that a reload will do."""
    make_question(site, "good", "Is it good?", quick="Yes.", body="Good.")
    broken = make_question(site, "broken", "Is it broken?")
    with desk(site) as client:
        client.sign_in()
        broken.write_text(broken.read_text(encoding="utf-8").replace("asked:", "hold: [true\nasked:"))
        queue = client.get("/")
        assert queue.status == 200 and "broken.md" in queue.text and "Is it good?" in queue.text
        for path in ("/schedule", "/publish", "/stats", "/q/broken"):
            reply = client.get(path)
            assert reply.status == 409, path
            assert "<h1>This page cannot be shown</h1>" in reply.text, path
            assert "Not done" not in reply.text, path
            assert "broken.md" in reply.text and "hold:" in reply.text, path
            assert "reload this page" in reply.text, path
        # another question's page is made of its own file: it opens, as the README says
        good = client.get("/q/good")
        assert good.status == 200 and "Is it good?" in good.text


def test_several_broken_files_are_said_one_paragraph_each(site: Path, make_question) -> None:
    """The problems of several files come one a line: a page shows each as its own paragraph, not
    run together in one (HTML folds a line break into a space)."""
    make_question(site, "good", "Is it good?", quick="Yes.", body="Good.")
    broken = [make_question(site, name, "Is it broken?") for name in ("broken-a", "broken-b")]
    for path in broken:
        path.write_text(path.read_text(encoding="utf-8").replace("asked:", "hold: [true\nasked:"))
    with desk(site) as client:
        client.sign_in()
        reply = client.get("/schedule")
    assert reply.status == 409
    alert = re.search(r'<div class="note note-error" role="alert">(.*?)</div>', reply.text, re.S)
    assert alert, reply.text
    paragraphs = re.findall(r"<p>(.*?)</p>", alert.group(1), re.S)
    assert len(paragraphs) == 2, alert.group(1)
    assert "broken-a.md" in paragraphs[0] and "broken-b.md" in paragraphs[1]


def test_a_retired_column_s_queue_says_its_questions_are_not_published(site: Path, make_question) -> None:
    """A question that arrives after retirement waits; the Queue, where it is answered, says that
    nothing here is published (Schedule and Publish already did; `floor check` warns)."""
    make_question(site, "out", "Is it out?", quick="Yes.", body="Out.")

    def floor(*args: str) -> None:
        done = subprocess.run(
            [*FLOOR_COMMAND, "--site", str(site), *args], capture_output=True, text=True, env=floor_env()
        )
        assert done.returncode == 0, done.stderr

    floor("publish", "--today", "2026-11-09")
    with desk(site) as client:
        client.sign_in()
        assert "not published" not in client.get("/").text  # a live column says nothing of the kind
    floor("retire", "--today", "2026-11-10")
    make_question(site, "late", "Are you back?")
    with desk(site) as client:
        client.sign_in()
        queue = client.get("/").text
        schedule = client.get("/schedule").text
    assert "Are you back?" in queue
    assert (
        'The column retired on <time datetime="2026-11-10">Tue 10 Nov 2026</time> (archive): the questions'
        " here wait and are not published" in queue
    )
    assert _terminal_steps(queue) == []  # unretiring is said to need a terminal
    # Schedule says it once, under Retirement (the forecast line above it said it again)
    assert schedule.count("The column retired on") == 1 and "floor unretire" in schedule


def test_a_retired_column_s_take_in_page_says_what_it_takes_in_is_not_published(
    site: Path, make_question
) -> None:
    """The Take in page adds questions nobody will publish on a retired column: it says so first."""
    make_question(site, "out", "Is it out?", quick="Yes.", body="Out.")
    subprocess.run(
        [*FLOOR_COMMAND, "--site", str(site), "publish", "--today", "2026-11-09"], check=True, env=floor_env()
    )
    with desk(site) as client:
        client.sign_in()
        assert "not published" not in client.get("/intake").text
    subprocess.run(
        [*FLOOR_COMMAND, "--site", str(site), "retire", "--today", "2026-11-10"], check=True, env=floor_env()
    )
    with desk(site) as client:
        client.sign_in()
        page = client.get("/intake").text
    assert (
        'The column retired on <time datetime="2026-11-10">Tue 10 Nov 2026</time> (archive): questions taken'
        " in here wait in the queue and are not published" in page
    )


def test_a_question_on_a_retired_column_is_previewed_as_its_page(site: Path, make_question) -> None:
    """A retired column is built whole (its notice is added after the pages are written): the
    question's preview is still its whole page, with the notice that the column has ended, not a
    claim that the site does not build; the page says, as the Queue does, that nothing is published."""
    make_question(site, "out", "Is it out?", quick="Yes.", body="Out.")
    for args in (("publish", "--today", "2026-11-09"), ("retire", "--today", "2026-11-10")):
        done = subprocess.run(
            [*FLOOR_COMMAND, "--site", str(site), *args], capture_output=True, text=True, env=floor_env()
        )
        assert done.returncode == 0, done.stderr
    make_question(site, "late", "Are you back?", quick="Maybe.", body="We will see.")
    with desk(site) as client:
        client.sign_in()
        preview = client.get("/q/late/preview")
        page = client.get("/q/late").text
    assert "this question waits and is not published, however it is answered" in page  # where it is typed
    assert preview.status == 200
    assert "does not build" not in preview.text
    assert "Are you back?" in preview.text and "We will see." in preview.text
    assert "retired-notice" in preview.text


def test_the_desk_says_the_next_step_as_a_desk_link_not_a_command(site: Path, make_question) -> None:
    """The Publish and Schedule pages reuse the CLI's messages; on the desk each step the desk can
    take is a link to the page that takes it, and the CLI keeps its own words."""
    make_question(site, "bare", "Is it bare?")
    make_question(site, "halfway", "Is it half done?", quick="Half.")
    make_question(site, "kept", "Is it kept?", quick="Yes.", body="Kept.", hold="true")
    with desk(site) as client:
        client.sign_in()
        publish = client.get("/publish").text
        # named by its words, as the author knows it, not by its id
        assert "“Is it bare?” has no answer yet: " in publish
        assert '<a href="/q/bare">answer it on its page</a>' in publish
        assert "bare has no answer yet" not in publish
        assert '<a href="/q/halfway">answer it on its page</a>' in publish
        assert '<a href="/q/kept">release it on its page</a> to schedule it' in publish
        schedule = client.get("/schedule").text
        assert '<a href="/schedule#retire-h">Arm retirement</a>' in schedule
        assert "<code>floor retire</code> in a terminal" in schedule  # no desk page retires now
        token = client.csrf("/schedule")
        said = _note(client.post("/retirement", {"csrf": token, "armed": "on"}), client)
        assert "Disarm retirement" in said and "floor retire --disarm" not in said
        for page in (
            publish,
            schedule,
            client.get("/schedule").text,
            client.get("/").text,
            client.get("/intake").text,
        ):
            assert _terminal_steps(page) == [], _terminal_steps(page)
    cli = subprocess.run(
        [*FLOOR_COMMAND, "--site", str(site), "publish", "--dry-run", "--today", "2026-12-07"],
        capture_output=True,
        text=True,
        env=floor_env(),
        check=False,
    )
    assert '`floor answer bare --quick "…" --edit`' in cli.stdout, cli.stdout + cli.stderr  # as it was


def _button(page: str, label: str) -> bool:
    return re.search(rf"<button[^>]*>{re.escape(label)}</button>", page) is not None


def test_the_publish_page_offers_publish_now_only_when_something_is_due(site: Path, make_question) -> None:
    """No "Publish now" over "nothing due": the page says when the next post goes and why nothing
    goes now, in the desk's words (no CLI "dry run: nothing was changed"); an answered question on
    hold is not "no answered question is waiting"."""
    kept = make_question(site, "kept", "Is it kept?", quick="Yes.", body="Kept.", hold="true")
    with desk(site) as client:
        client.sign_in()
        held = client.get("/publish").text
    assert not _button(held, "Publish now") and "Nothing to publish now" in held
    assert "No answered question is ready: 1 answered question is on hold" in held
    assert "No answered question is waiting" not in held and "no answered question is waiting" not in held
    assert '<a href="/q/kept">release it on its page</a> to schedule it' in held  # why it waits
    kept.unlink()
    make_question(site, "later", "Is it later?", quick="Yes.", body="Later.", not_before="2026-11-20")
    with desk(site) as client:
        client.sign_in()
        later = client.get("/publish").text
    assert not _button(later, "Publish now")
    assert "Nothing is due yet: the next post goes out Mon 23 Nov 2026 09:00 UTC." in later
    make_question(site, "now", "Is it now?", quick="Yes.", body="Now.")
    with desk(site) as client:
        client.sign_in()
        due = client.get("/publish").text
    assert _button(due, "Publish now") and "would publish #1" in due and "Nothing to publish now" not in due
    for page in (held, later, due):
        assert "dry run" not in page


def test_the_publish_page_shows_the_plan_its_dry_run_made_and_makes_no_other(
    site: Path, make_question, monkeypatch
) -> None:
    """The Publish page's "Next post" and its "If you publish now" come from one plan (the dry
    run's, of the queue the page read, at one moment): at 10,000 questions a second plan cost
    0.6 s and could have been made a minute later than the report beside it."""
    from from_the_floor.core import schedule as schedule_mod

    make_question(site, "now", "Is it now?", quick="Yes.", body="Now.")
    make_question(site, "next", "Is it next?", quick="Yes.", body="Next.", not_before="2026-11-20")
    plans: list = []
    make_plan = schedule_mod.make_plan

    def counted(*args, **kwargs):
        plans.append(made := make_plan(*args, **kwargs))
        return made

    monkeypatch.setattr(schedule_mod, "make_plan", counted)
    with desk(site) as client:
        client.sign_in()
        plans.clear()
        due = client.get("/publish").text
    assert len(plans) == 1, f"{len(plans)} plans for one Publish page"
    entry = plans[0].entries[0]
    said = re.search(r"<p>Next post: (.*?) \((\d+) questions?\)\.</p>", due)
    assert said and int(said.group(2)) == len(entry.questions), due
    assert _button(due, "Publish now") and "would publish #1" in due


def test_push_brings_the_weekly_job_s_post_here_or_says_which_file_both_changed(
    site: Path, make_question, tmp_path: Path
) -> None:
    """The desk's Push after a weekly run: the weekly job's commit is brought in and listed; a
    question the job published while the author edited it here is named, in words, with no git
    advice about `rebase --continue` (Push aborted it) and nothing changed."""
    from helpers_publish import git, git_init

    make_question(site, "edited", "Is it edited?", quick="Yes.", body="Edited.")
    git_init(site)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(site, "remote", "add", "origin", str(remote))
    git(site, "push", "--quiet", "--set-upstream", "origin", "main")
    job = tmp_path / "weekly-job"
    git(tmp_path, "clone", "--quiet", "--branch", "main", str(remote), str(job))
    (job / "content" / "floor").mkdir(parents=True, exist_ok=True)
    post = (job / "questions" / "edited.md").read_text(encoding="utf-8").replace("Yes.", "Yes, published.")
    (job / "content" / "floor" / "edited.md").write_text(post, encoding="utf-8")
    git(job, "rm", "--quiet", "questions/edited.md")
    git(job, "add", "-A")
    git(
        job,
        "-c",
        "user.name=Bot",
        "-c",
        "user.email=bot@example.org",
        "commit",
        "-q",
        "-m",
        "Publish Is it edited?",
    )
    git(job, "push", "--quiet")
    path = site / "questions" / "edited.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Yes.", "Yes, edited here."), encoding="utf-8")
    head = git(site, "rev-parse", "HEAD")
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/publish")
        stopped = _note(client.post("/push", {"csrf": token}), client)
        assert "change the same lines as your changes here to questions/edited.md" in stopped
        assert "on origin it is now content/floor/edited.md" in stopped and "rebase" not in stopped
        assert git(site, "rev-parse", "HEAD") == head and "Yes, edited here." in path.read_text("utf-8")
        git(site, "checkout", "--", "questions/edited.md")  # the author's git app: Discard
        brought = _note(client.post("/push", {"csrf": token}), client)
    assert "brought in 1 new commit from origin/main first:" in brought and "Publish Is it edited?" in brought
    assert (site / "content" / "floor" / "edited.md").is_file() and not path.exists()


def test_the_desk_writes_a_day_as_the_cli_does_and_keeps_iso_for_machines(site: Path, make_question) -> None:
    """Queue, a question's page (its readers too) and Publish said "asked 2026-11-02" where the rest
    of the desk and the terminal say "Mon 2 Nov 2026"; `<time datetime>` keeps the ISO form."""
    make_question(
        site,
        "pinned",
        "Is it pinned?",
        asked="2026-11-02",
        quick="Yes.",
        body="Long.",
        pin="2026-11-23",
        also_asked_by="\n  - {question: Pinned?, asker: Kim, asked: 2026-11-04}",
    )
    with desk(site) as client:
        client.sign_in()
        pages = {path: client.get(path).text for path in ("/", "/q/pinned", "/publish")}
    assert 'asked <time datetime="2026-11-02">Mon 2 Nov 2026</time>' in pages["/"]
    assert 'asked <time datetime="2026-11-02">Mon 2 Nov 2026</time>' in pages["/q/pinned"]
    assert '<time datetime="2026-11-04">Wed 4 Nov 2026</time>' in pages["/q/pinned"]  # the merged reader
    assert "it waits for its pin, Mon 23 Nov 2026" in pages["/publish"]
    for path, html in pages.items():
        text = re.sub(r"<[^>]+>", " ", html)  # what a person reads, attributes left out
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), (path, text)


def test_the_stats_page_counts_readers_questions_and_says_the_old_blog_s_posts_apart(
    site: Path, make_question
) -> None:
    """A WordPress blog moved over (the real theme test data), then one question of the column's
    own published: the desk said "received 56 / answered 56 (in 56 posts)", the farewell one."""
    from helpers_floor import ok, run_floor

    ok(run_floor("import", FIXTURES / "import" / "wp-theme-unit-test.xml", "--all", site=site))
    old = len(list((site / "content" / "floor").glob("*.md")))
    make_question(site, "own", "Is it ours?", quick="Yes.", body="Ours.")
    ok(run_floor("publish", site=site, today="2026-11-09"))
    with desk(site) as client:
        client.sign_in()
        page = client.get("/stats").text
        queue = client.get("/").text
    # the Queue's counts: the column's one post, and the old blog's posts apart (it said "57 published")
    assert f"· 1 published · {old} posts from the old blog" in " ".join(queue.split())
    text = page[page.index('<pre class="report">') + len('<pre class="report">') :]
    assert re.search(r"^received +1$", text, re.M)
    assert re.search(rf"^answered +1 \(in 1 post\); plus {old} posts from the old blog$", text, re.M)


def _tag(page: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    found = re.search(rf'<(?:input|textarea)\b[^>]*\bid="{element_id}"[^>]*>', page)
    assert found, f"no field {element_id}"
    return found.group(0)


def test_a_refused_field_is_marked_tied_to_its_message_focused_and_keeps_what_was_typed(
    site: Path, make_question
) -> None:
    """A refused Update scheduling or Decline said why in a note at the top, naming the field by
    its key (`not_before: …`), and showed the saved values again: the field was not marked, a
    screen reader on it heard nothing, and what was typed was gone."""
    path = make_question(site, "q", "Is this a question?")
    before = path.read_bytes()
    with desk(site) as client:
        client.sign_in()
        token = client.csrf("/q/q")
        fields = {"csrf": token, "priority": "7", "pin": "", "not_before": "next week", "tags": "tea, cake"}
        reply = client.post("/q/q/set", fields)
        assert reply.status == 422
        page = reply.text
        field = _tag(page, "not_before")
        assert 'aria-invalid="true"' in field and "autofocus" in field
        assert 'aria-describedby="not_before-problem"' in field
        message = re.search(r'<p class="field-problem" id="not_before-problem">(.*?)</p>', page)
        assert message and message.group(1).startswith("Not before: &#39;next week&#39; is not a date")
        assert 'value="next week"' in field  # what was typed, in every field of the form
        assert 'value="7"' in _tag(page, "priority") and 'value="tea, cake"' in _tag(page, "tags")
        for other in ("priority", "pin", "tags", "reason"):  # only the field at fault is marked
            assert "aria-invalid" not in _tag(page, other) and "autofocus" not in _tag(page, other)
        assert 'aria-describedby="priority-help"' in _tag(page, "priority")
        assert page.count("autofocus") == 1
        reply = client.post("/q/q/set", {**fields, "not_before": "", "priority": "seven"})
        field = _tag(reply.text, "priority")
        assert reply.status == 422 and 'aria-invalid="true"' in field
        assert 'aria-describedby="priority-problem priority-help"' in field  # its help still read
        assert path.read_bytes() == before  # nothing of the refused form was written

        reply = client.post("/q/q/decline", {"csrf": token, "reason": "   "})
        field = _tag(reply.text, "reason")
        assert reply.status == 422 and 'aria-invalid="true"' in field and "autofocus" in field
        assert 'aria-describedby="reason-problem reason-help"' in field
        assert 'id="reason-problem">Private reason for declining: give a reason' in reply.text
        assert path.read_bytes() == before

        # a refusal of the Type in form: the field it names, by its label; else the message is focused
        ask = client.post("/intake/ask", {"csrf": token, "question": "Is it late?", "notify": "on"})
        field = _tag(ask.text, "ask-contact")
        assert ask.status == 422 and 'aria-invalid="true"' in field and "autofocus" in field
        assert 'aria-describedby="ask-problem ask-contact-help"' in field
        assert "Not added: Their contact: " in ask.text and ask.text.count("autofocus") == 1
        ask = client.post("/intake/ask", {"csrf": token, "question": "Is it late?", "asked": "1700-01-01"})
        assert ask.status == 422 and 'aria-invalid="true"' in _tag(ask.text, "ask-asked")
        assert "aria-invalid" not in _tag(ask.text, "ask-contact")
        # any other refused button: its message at the top takes the focus
        note = client.get(client.post("/q/q/merge", {"csrf": token, "into": "nowhere"}).headers["location"])
        assert re.search(r'<div class="note note-error" role="alert" tabindex="-1" autofocus>', note.text)


def test_the_stats_chart_shown_as_an_image_sets_its_own_colours(site: Path, make_question) -> None:
    """The desk shows the site's burndown as an <img>: an image sees no page, so the theme's
    custom properties the chart's style reads (--fg, --accent…) were unset and its lines were
    drawn in no colour (only the axis labels showed). The image's own name is short: the
    caption under it is the chart's sentence, which a screen reader read twice."""
    make_question(site, "a", "Is it ready?", asked="2026-10-01")
    make_question(site, "b", "Is it late?", asked="2026-10-20")
    with desk(site) as client:
        client.sign_in()
        svg = client.get("/stats/chart.svg").text
        page = client.get("/stats").text
    style = svg[svg.index("<style") : svg.index("</style>")]
    for name in ("--fg", "--accent", "--mark", "--rule"):
        assert f"var({name})" not in style or re.search(rf"{name}:#[0-9a-f]{{6}}", style), name
    caption = re.search(r"<figcaption>(.*?)</figcaption>", page, re.S).group(1).strip()
    alt = re.search(r'<img src="/stats/chart.svg" alt="([^"]*)"', page).group(1)
    assert caption.startswith("Questions waiting for an answer") and alt and alt != caption
    assert "dashed" not in caption, "no forecast, one line: nothing to tell apart"
    make_question(site, "c", "Is it planned?", asked="2026-10-21", quick="Yes.", body="It is.")
    with desk(site) as client:
        client.sign_in()
        page = client.get("/stats").text
    caption = re.search(r"<figcaption>(.*?)</figcaption>", page, re.S).group(1).strip()
    assert caption.endswith(" " + pages_site.CHART_KEY), "no legend: the caption tells the lines apart"


def test_a_refused_file_form_marks_its_field_ties_it_to_the_message_and_keeps_the_choices(
    site: Path,
) -> None:
    """Take in files refused with a note at the top ("choose or drop at least one file", the
    import's "give a label … or tick every post"), tied to no field, and a blog export dropped
    with a mail file took the mail in before refusing the export. Now the page comes back (422)
    with the field at fault marked, described by the message and focused, the other choices
    kept, and nothing taken in."""
    export = (FIXTURES / "import" / "wp-small-export-1.1.xml").read_bytes()

    def send(client, fields: dict[str, str], files: list[tuple[str, bytes]]):
        body, kind = _multipart(fields, files)
        headers = {"Content-Type": kind, "Origin": client.origin, "Sec-Fetch-Site": "same-origin"}
        return client.request(
            "POST", "/intake", body=body, headers={**headers, "X-CSRF-Token": client.csrf("/intake")}
        )

    before = sorted(p.name for p in (site / "questions").rglob("*"))
    with desk(site) as client:
        client.sign_in()
        reply = send(client, {"notify": "on"}, [])
        assert reply.status == 422, reply.text
        field = _tag(reply.text, "files")
        assert 'aria-invalid="true"' in field and "autofocus" in field
        assert 'aria-describedby="files-problem files-help"' in field
        assert re.search(
            r'role="alert" id="files-problem">\s*<p>Nothing taken in: Files to take in: choose or drop',
            reply.text,
        )
        assert "checked" in _tag(reply.text, "notify") and reply.text.count("autofocus") == 1

        mail = ("gmail-forward-2005.eml", (FIXTURES / "intake" / "gmail-forward-2005.eml").read_bytes())
        fields = {"own_name": "admin, Old Me", "dry_run": "on"}
        reply = send(client, fields, [mail, ("old-blog.xml", export)])
        assert reply.status == 422, reply.text
        field = _tag(reply.text, "label")
        assert 'aria-invalid="true"' in field and "autofocus" in field
        assert 'aria-describedby="files-problem label-help"' in field
        assert "Only posts with this category or label: give a label" in reply.text
        assert "choose the file again" in reply.text
        assert "aria-invalid" not in _tag(reply.text, "files") and reply.text.count("autofocus") == 1
        assert 'value="admin, Old Me"' in _tag(reply.text, "own_name") and "checked" in _tag(
            reply.text, "dry_run"
        )
        assert "checked" not in _tag(reply.text, "all")

        reply = send(client, {}, [("notes.txt", b"a question?")])
        assert reply.status == 422 and 'aria-invalid="true"' in _tag(reply.text, "files")
        assert "not a file the desk can take in" in reply.text
    assert sorted(p.name for p in (site / "questions").rglob("*")) == before  # the mail was not filed


def test_the_schedule_lists_the_coming_weeks_and_counts_the_rest_a_link_away(
    site: Path, make_question
) -> None:
    """At 10,000 questions the Schedule page listed every post: 1.3 MiB, a second to make. It now
    lists the posts of the coming 13 weeks (at least 5) and counts the rest, with a link to the
    whole list; the forecast still reads the whole plan."""
    for n in range(30):
        make_question(
            site, f"q{n:02d}", f"Is this answered question {n:02d} worth a post?", quick="Yes.", body="Yes."
        )
    with desk(site) as client:
        client.sign_in()
        short = client.get("/schedule").text
        whole = client.get("/schedule?all=1").text
    listed = re.findall(r"q\d\d: Is this answered question", short)
    assert 13 <= len(listed) <= 14, len(listed)  # one post a week, today's included
    last_shown = re.findall(r"(\w{3} \d{1,2} \w{3} \d{4}) \d\d:\d\d [^\n]*\n +q\d\d: Is this", short)[-1]
    assert f"The next {len(listed)} of 30 planned posts, up to {last_shown}." in short
    assert '<a href="/schedule?all=1">List all 30 posts</a>' in short
    assert "q29: Is this answered question 29" not in short and "(30 posts to go)" in short
    assert len(re.findall(r"q\d\d: Is this answered question", whole)) == 30
    assert '<a href="/schedule">List only the next 13 weeks</a>' in whole

    for n in range(3, 30):
        (site / "questions" / f"q{n:02d}.md").unlink()
    with desk(site) as client:
        client.sign_in()
        few = client.get("/schedule").text
    assert len(re.findall(r"q\d\d: Is this answered question", few)) == 3
    assert "planned posts" not in few and "List all" not in few and "List only" not in few
