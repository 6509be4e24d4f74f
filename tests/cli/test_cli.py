"""The `floor` command as an author uses it: real subprocesses, real files."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from helpers_floor import FLOOR_COMMAND, REPO, fails_cleanly, ok, opened, question_text, write_question

# --- startup ---------------------------------------------------------------------


def test_help_does_not_import_pelican() -> None:
    code = textwrap.dedent(
        """
        import sys
        from from_the_floor.cli import main
        try:
            main(["--help"], prog_name="floor")
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"pelican", "markdown", "jinja2"})
        assert not heavy, heavy
        print("clean")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "clean" in result.stdout
    assert "Usage: floor" in result.stdout


def test_help_script_under_importtime(run_floor) -> None:
    script = FLOOR_COMMAND[-1] if len(FLOOR_COMMAND) == 1 else None
    if script is None:
        pytest.skip("no floor console script next to this Python")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", script, "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "from_the_floor.cli" in imported
    assert not [m for m in imported if m.split(".")[0] == "pelican"]


def _run_entry_point(tmp_path: Path, before: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script's entry point (cli.run) in a fresh interpreter, after ``before``."""
    code = textwrap.dedent(before) + textwrap.dedent(
        f"""
        import sys
        sys.argv = ["floor", *{list(args)!r}]
        from from_the_floor.cli import run
        run()
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path
    )


def test_the_command_leaves_without_taking_its_objects_apart(tmp_path: Path) -> None:
    # after a build, freeing a whole site's objects one by one is time nobody sees: the process
    # ends at once, with its exit handlers run and its output flushed
    before = """
        import atexit
        from pathlib import Path

        class TakenApart:
            def __del__(self):
                Path("taken-apart").write_text("yes")

        held = TakenApart()
        atexit.register(lambda: Path("exit-handler").write_text("ran"))
        """
    result = _run_entry_point(tmp_path, before, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "floor 0.1.0\n"
    assert (tmp_path / "exit-handler").read_text() == "ran"
    assert not (tmp_path / "taken-apart").exists()
    usage = _run_entry_point(tmp_path, before, "no-such-command")
    assert usage.returncode == 2 and "No such command" in usage.stderr


def test_the_command_waits_for_a_thread_still_working(tmp_path: Path) -> None:
    before = """
        import threading, time
        from pathlib import Path

        def finish():
            time.sleep(0.3)
            Path("finished").write_text("yes")

        threading.Thread(target=finish).start()
        """
    result = _run_entry_point(tmp_path, before, "--version")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "finished").read_text() == "yes"


def test_version_and_command_help(run_floor) -> None:
    assert "floor 0.1.0" in ok(run_floor("--version"))
    for command in ("ask", "answer", "decline", "hold", "release", "queue", "check", "init"):
        assert f"Usage: floor {command}" in ok(run_floor(command, "--help"))


def test_floor_help_answers_as_the_help_option_does(run_floor) -> None:
    """`floor help` is what a blogger types first: it said "No such command 'help'" (exit 2)."""
    assert ok(run_floor("help")) == ok(run_floor("--help"))
    assert ok(run_floor("help", "publish")) == ok(run_floor("publish", "--help"))
    assert ok(run_floor("help", "intake", "eml")) == ok(run_floor("intake", "eml", "--help"))
    misspelt = run_floor("help", "publsh")
    assert misspelt.returncode == 2 and "Did you mean" in misspelt.stderr and "'publish'" in misspelt.stderr
    too_deep = run_floor("help", "publish", "now")
    assert too_deep.returncode == 2 and "'floor publish' has no commands of its own" in too_deep.stderr


def test_the_help_names_a_first_step(run_floor) -> None:
    """`floor` alone (or --help) lists thirty commands: it also says where a new author starts."""
    bare = run_floor()
    assert "floor init my-column" in bare.stdout + bare.stderr
    assert "floor import" in ok(run_floor("--help")) and "floor help COMMAND" in ok(run_floor("--help"))


# --- exit codes ----------------------------------------------------------------------


def test_usage_errors_exit_2(site: Path, run_floor) -> None:
    assert run_floor("no-such-command").returncode == 2
    assert run_floor("answer", site=site).returncode == 2  # ID missing
    assert run_floor("answer", "whatever", site=site).returncode == 2  # nothing to do
    assert run_floor("decline", "whatever", site=site).returncode == 2  # --reason missing
    assert run_floor("ask", "Q?", "--asked", "yesterday", site=site).returncode == 2
    assert run_floor("queue", "--bogus", site=site).returncode == 2


def test_not_a_site_exits_1_with_a_message(tmp_path: Path, run_floor) -> None:
    err = fails_cleanly(run_floor("queue", site=tmp_path))
    assert "pelicanconf.py" in err and "settings file not found" in err
    assert "--site FOLDER" in err and "`floor init FOLDER`" in err  # what to do, not only what is wrong


def test_a_command_run_inside_the_column_s_questions_folder_names_the_column(site: Path, run_floor) -> None:
    """`cd questions` to look at the files, then `floor answer …` there: the error says where
    the column is and how to run the command for it, rather than asking if this is a site."""
    err = fails_cleanly(run_floor("queue", site=site / "questions"))
    assert f"is inside the column at {site.resolve()}; run the command there" in err, err
    assert f"--site {site.resolve()}" in err


def test_init_refuses_an_existing_site(site: Path, run_floor, tree_hash) -> None:
    before = tree_hash(site)
    err = fails_cleanly(run_floor("init", site, "--title", "From the Floor", "--author", "The Author"))
    assert "a column is already here; nothing was changed. Work in it" in err
    assert tree_hash(site) == before


def test_init_never_overwrites_an_authors_files(tmp_path: Path, run_floor, tree_hash) -> None:
    repo = tmp_path / "existing-repo"
    repo.mkdir()
    (repo / ".gitignore").write_text("my-own-rules/\n", encoding="utf-8")
    (repo / "tasks.py").write_text("# my tasks\n", encoding="utf-8")
    before = tree_hash(repo)
    err = fails_cleanly(run_floor("init", repo, "--title", "From the Floor", "--author", "The Author"))
    assert ".gitignore, tasks.py" in err and "Nothing was changed" in err
    assert tree_hash(repo) == before and sorted(p.name for p in repo.iterdir()) == [".gitignore", "tasks.py"]


def test_init_rejects_an_unknown_time_zone(tmp_path: Path, run_floor) -> None:
    err = fails_cleanly(run_floor("init", tmp_path / "s", "--timezone", "Mars/Olympus"), code=2)
    assert "'Mars/Olympus' is not a time zone name" in err
    assert not (tmp_path / "s").exists()


def test_a_bad_today_is_a_site_error(site: Path, run_floor) -> None:
    err = fails_cleanly(run_floor("queue", site=site, today="next monday"))
    assert "FLOOR_TODAY" in err


# --- ask -----------------------------------------------------------------------------


def test_ask_says_a_day_that_does_not_exist_is_not_a_real_date(site: Path, run_floor) -> None:
    err = fails_cleanly(run_floor("ask", "Q?", "--asked", "2026-02-30", site=site), code=2)
    assert "'2026-02-30' is not a real date: February 2026 has 28 days" in err
    err = fails_cleanly(run_floor("ask", "Q?", "--asked", "2026-13-01", site=site), code=2)
    assert "there is no month 13" in err
    assert "is not a date; write it as YYYY-MM-DD" in fails_cleanly(
        run_floor("ask", "Q?", "--asked", "30/02/2026", site=site), code=2
    )
    assert not list((site / "questions").glob("*.md"))


def test_ask_says_a_day_after_today_holds_the_question_back(site: Path, run_floor) -> None:
    """Walked by an author: `--asked 2027-11-01` for 2026 was taken without a word, and the answered
    question then waited a year to be published (floor publish said why only once it was due)."""
    early = run_floor("ask", "Am I early?", "--asked", "2027-11-01", site=site, today="2026-11-09")
    assert ok(early) == "am-i-early\n"
    assert early.stderr == (
        "note: --asked Mon 1 Nov 2027 is after today: the question is not published before that day "
        "(its file's `asked:` line changes it)\n"
    )
    today = run_floor("ask", "Am I on time?", "--asked", "2026-11-09", site=site, today="2026-11-09")
    assert ok(today) == "am-i-on-time\n" and today.stderr == ""


def test_ask_with_every_option(site: Path, run_floor) -> None:
    out = ok(
        run_floor(
            "ask",
            "Ça va, naïve café?",
            "--asker",
            "Zoë",
            "--credit",
            "--contact",
            "zoe@example.org",
            "--source",
            "talk",
            "--tag",
            "cafés",
            "--tag",
            "small talk",
            "--details",
            "I *really* want to know.",
            site=site,
        )
    )
    assert out == "ca-va-naive-cafe\n"
    q = question_mod.load(site / "questions" / "ca-va-naive-cafe.md")
    assert q.question == "Ça va, naïve café?"
    assert q.asked.isoformat() == "2026-11-09"  # FLOOR_TODAY
    assert (q.asker, q.credit, opened(site, q.contact), q.source) == ("Zoë", True, "zoe@example.org", "talk")
    assert q.tags == ["cafés", "small talk"]
    assert q.details == "I *really* want to know."
    assert q.status == "unanswered"


def test_ask_reads_stdin_and_ids_stay_unique(site: Path, run_floor) -> None:
    assert ok(run_floor("ask", input="Why   ask twice?\n", site=site)) == "why-ask-twice\n"
    assert ok(run_floor("ask", "Why ask twice?", "--asker", "Sam", site=site)) == "why-ask-twice-2\n"
    assert ok(run_floor("ask", "Why ask twice?", "--asked", "2026-10-01", site=site)) == "why-ask-twice-3\n"
    files = sorted(p.name for p in (site / "questions").glob("*.md"))
    assert files == ["why-ask-twice-2.md", "why-ask-twice-3.md", "why-ask-twice.md"]
    assert question_mod.load(site / "questions" / "why-ask-twice-3.md").asked.isoformat() == "2026-10-01"


def test_ask_run_again_after_it_was_stopped_adds_no_second_copy(site: Path, run_floor) -> None:
    """Stopped right after its file was written, `floor ask` is run again, as the Ctrl-C line says:
    the same question (text, asker, contact, asked day) is already queued, so nothing is added."""
    same = ("ask", "Is this asked once?", "--asker", "Sam", "--contact", "sam@example.org")
    assert ok(run_floor(*same, site=site)) == "is-this-asked-once\n"
    before = sorted((site / "questions").glob("*.md"))
    again = run_floor(*same, site=site)
    assert ok(again) == "is-this-asked-once\n"  # its id, for a script that reads it
    assert again.stderr == (
        "already in the queue as is-this-asked-once (the same question, asker, contact and day): "
        "nothing added\n"
    )
    assert "sam@example.org" not in again.stdout + again.stderr  # the contact is never printed
    assert sorted((site / "questions").glob("*.md")) == before
    # anything else that differs is another asking, filed as before
    sam = ["--contact", "sam@example.org"]
    for other in (["--contact", "kim@example.org"], ["--asked", "2026-11-01", *sam]):
        assert ok(run_floor("ask", "Is this asked once?", "--asker", "Sam", *other, site=site)) != (
            "is-this-asked-once\n"
        )
    assert ok(run_floor("ask", "Is this asked once?", site=site)) != "is-this-asked-once\n"
    assert len(list((site / "questions").glob("*.md"))) == 4


def test_a_reader_that_stops_reading_does_not_cut_a_command_short(site: Path) -> None:
    """`floor ask … | head -0`: the pipe closes before the command writes, and it still finishes."""
    for command in (["ask", "Does a closed pipe stop me?"], ["queue"]):
        proc = subprocess.Popen(
            [*FLOOR_COMMAND, "--site", str(site), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        proc.stdout.close()  # the reader is gone before the first line
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0, err
        assert err == ""
    assert (site / "questions" / "does-a-closed-pipe-stop-me.md").is_file()


# `floor publish` with Ctrl-C arriving while it works (a real SIGINT to the process itself).
# Python raises KeyboardInterrupt for SIGINT only if the process did not inherit it ignored:
# a test run started in the background by a non-interactive shell (a CI step with `&`, nohup)
# ignores it, and then the signal was lost and the loop spun until the 120 s timeout. A
# terminal's Ctrl-C always finds the default handler, so the child sets it up as a terminal does.
_CTRL_C_WHILE_PUBLISHING = """
import os, signal, sys, time
from from_the_floor.commands import weekly

signal.signal(signal.SIGINT, signal.default_int_handler)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

def stopped(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)  # delivered before kill returns: raised at once
    time.sleep(60)  # the handler interrupts the sleep; no core spun meanwhile
    sys.exit("SIGINT was never delivered")

weekly.run = stopped
from from_the_floor.cli import run
sys.argv = ["floor", "--site", sys.argv[1], "publish"]
run()
"""


def _ignoring_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("parent", ["terminal", "background"])
def test_ctrl_c_says_in_one_line_that_the_same_command_finishes_the_job(site: Path, parent: str) -> None:
    """Exit 130 and one line, whether or not the test run itself inherited SIGINT ignored."""
    stopped = subprocess.run(
        [sys.executable, "-c", _CTRL_C_WHILE_PUBLISHING, str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_ignoring_sigint if parent == "background" else None,
    )
    assert stopped.returncode == 130, stopped.stderr  # 128 + SIGINT, as a shell reports it
    assert stopped.stderr.count("\n") == 1 and "Traceback" not in stopped.stderr
    assert stopped.stderr.startswith("stopped (Ctrl-C)") and "run the same command again" in stopped.stderr


def test_ask_keeps_tags_with_commas_and_brackets(site: Path, run_floor) -> None:
    qid = ok(run_floor("ask", "Tags?", "--tag", "cats, dogs", "--tag", "[draft]", "--tag", "no", site=site))
    assert question_mod.load(site / "questions" / f"{qid.strip()}.md").tags == ["cats, dogs", "[draft]", "no"]


def test_ask_an_empty_question_is_refused(site: Path, run_floor) -> None:
    assert "empty" in fails_cleanly(run_floor("ask", "   ", site=site))
    assert "empty" in fails_cleanly(run_floor("ask", input="", site=site))
    assert not list((site / "questions").glob("*.md"))


def test_ask_works_from_inside_the_site(site: Path, run_floor) -> None:
    assert ok(run_floor("ask", "From the folder?", cwd=site)) == "from-the-folder\n"


# --- answer, decline, hold, release --------------------------------------------------


@pytest.fixture
def asked(site: Path, run_floor) -> tuple[Path, str]:
    qid = ok(run_floor("ask", "What is the plan?", "--tag", "plans", site=site)).strip()
    return site, qid


def test_answer_quick_and_body(asked, run_floor) -> None:
    site, qid = asked
    assert ok(run_floor("answer", qid, "--quick", "  Keep   going. ", site=site)) == (
        f"saved the quick answer\n{qid}: unanswered (has a quick answer but no thoughtful answer: "
        f"`floor answer {qid} --edit`)\n"
    )
    out = ok(run_floor("answer", qid, "--body", "-", input="Step **one**.\n\nStep two.\n", site=site))
    assert out == f"saved the thoughtful answer\n{qid}: ready\n"
    q = question_mod.load(site / "questions" / f"{qid}.md")
    assert q.quick_answer == "Keep going."
    assert q.body == "Step **one**.\n\nStep two."


def test_decline_hold_release(asked, run_floor) -> None:
    site, qid = asked
    ok(run_floor("answer", qid, "--quick", "Soon.", "--body", "Later.", site=site))
    assert ok(run_floor("hold", qid, site=site)) == f"{qid}: held\n"
    assert question_mod.load(site / "questions" / f"{qid}.md").hold is True
    assert ok(run_floor("release", qid, site=site)) == f"{qid}: ready\n"
    assert "hold" not in (site / "questions" / f"{qid}.md").read_text(encoding="utf-8")
    assert ok(run_floor("decline", qid, "--reason", "Too   personal", site=site)) == f"{qid}: declined\n"
    assert question_mod.load(site / "questions" / f"{qid}.md").declined == "Too personal"


def test_a_mistyped_id_is_answered_with_the_id_it_meant(site: Path, run_floor, tree_hash) -> None:
    """The README's own question, its id typed a letter short: the error names the id to use
    instead of leaving the author to look through questions/; an id like none of them says
    where the ids are listed. Nothing is written either way."""
    qid = ok(run_floor("ask", "How do you decide what to write about?", site=site)).strip()
    assert qid == "how-do-you-decide-what-to-write-about"
    before = tree_hash(site, skip=(".floor.lock",))
    typed = "how-do-you-decide-what-to-write-abot"
    said = fails_cleanly(run_floor("answer", typed, "--quick", "x", site=site))
    assert said == (
        "error: no question with id 'how-do-you-decide-what-to-write-abot' in the queue; "
        "did you mean 'how-do-you-decide-what-to-write-about'?\n"
    )
    said = fails_cleanly(run_floor("hold", "zebra", site=site))
    assert said == (
        "error: no question with id 'zebra' in the queue: "
        "`floor queue` lists the ids of the waiting questions\n"
    )
    assert tree_hash(site, skip=(".floor.lock",)) == before


def test_unknown_and_unsafe_ids(asked, run_floor, tree_hash) -> None:
    site, qid = asked
    before = tree_hash(site, skip=(".floor.lock",))  # the (git-ignored) lock every edit takes
    assert "no question with id 'nope'" in fails_cleanly(run_floor("hold", "nope", site=site))
    assert "not a question id" in fails_cleanly(run_floor("hold", "../content/pages/about", site=site))
    assert "not a question id" in fails_cleanly(run_floor("hold", f"/{site}/questions/{qid}", site=site))
    assert tree_hash(site, skip=(".floor.lock",)) == before
    assert ok(run_floor("hold", f"{qid}.md", site=site)).startswith(f"{qid}: unanswered (has no answer yet")


def test_a_published_question_cannot_be_edited_from_the_queue(site: Path, run_floor) -> None:
    write_question(
        site,
        "old-one",
        question_text(quick="A", body="B", number="1", date="2026-11-02T09:00:00+00:00"),
        folder="content/floor",
    )
    assert "already published" in fails_cleanly(run_floor("hold", "old-one", site=site))


# --- answer --edit through $EDITOR -------------------------------------------------------

EDITOR_SCRIPT = """
import os, sys
path = sys.argv[-1]
mode = os.environ["FAKE_EDIT"]
data = open(path, "rb").read()
if mode == "nosave":
    sys.exit(0)
if mode == "valid":
    data = data.replace(b"quick_answer:", b"quick_answer: Edited by hand.", 1)
    data += b"A body from the editor.\\r\\n"
elif mode == "invalid":
    data = data.replace(b"question:", b"question: [unclosed", 1)
elif mode == "latin1":
    data = data.replace(b"quick_answer:", b"quick_answer: caf\\xe9", 1)
open(path, "wb").write(data)
"""


@pytest.fixture
def editor(tmp_path: Path):
    script = tmp_path / "fake_editor.py"
    script.write_text(EDITOR_SCRIPT, encoding="utf-8")

    def env(mode: str) -> dict[str, str]:
        return {"EDITOR": f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", "FAKE_EDIT": mode}

    return env


CRLF_QUESTION = "---\r\n# by hand\r\nquestion: Edit me?\r\nasked: 2026-11-01\r\nquick_answer:\r\n---\r\n"


def test_edit_a_valid_change_is_saved_byte_for_byte(site: Path, run_floor, editor) -> None:
    path = write_question(site, "edit-me", CRLF_QUESTION)
    out = ok(run_floor("answer", "edit-me", "--edit", site=site, env=editor("valid")))
    assert out == "saved your edit\nedit-me: ready\n"
    assert path.read_bytes() == (
        CRLF_QUESTION.replace("quick_answer:", "quick_answer: Edited by hand.")
        + "A body from the editor.\r\n"
    ).encode("utf-8")


@pytest.mark.parametrize(("mode", "words"), [("invalid", "malformed front matter"), ("latin1", "UTF-8")])
def test_edit_an_invalid_change_is_kept_aside(site: Path, run_floor, editor, mode: str, words: str) -> None:
    path = write_question(site, "edit-me", CRLF_QUESTION)
    err = fails_cleanly(run_floor("answer", "edit-me", "--edit", site=site, env=editor(mode)))
    assert str(path) in err and words in err
    assert path.read_bytes() == CRLF_QUESTION.encode("utf-8")
    kept = site / "questions" / ".edit-me.rejected-edit.md"
    assert str(kept) in err
    expected = "[unclosed" if mode == "invalid" else "caf\ufffd"
    assert expected in kept.read_text(encoding="utf-8")
    # the kept edit is not a question in the queue
    assert [i["id"] for i in json.loads(ok(run_floor("queue", "--json", site=site)))] == ["edit-me"]


def test_edit_without_saving_changes_nothing(site: Path, run_floor, editor) -> None:
    path = write_question(site, "edit-me", CRLF_QUESTION)
    out = ok(run_floor("answer", "edit-me", "--edit", site=site, env=editor("nosave")))
    assert out.splitlines()[0] == "no changes saved; the editor was closed without a change"
    assert path.read_bytes() == CRLF_QUESTION.encode("utf-8")


# --- queue and check -------------------------------------------------------------------


def _queue_site(site: Path, make_question) -> None:
    make_question(site, "ready-one", "Ready?", asked="2026-10-01", quick="Yes.", body="Body.", tags="[a, b]")
    make_question(site, "held-one", "Held?", asked="2026-10-02", quick="Yes.", body="Body.", hold="true")
    make_question(site, "open-one", "Open?", asked="2026-11-02")
    make_question(site, "no-one", "no", asked="2026-10-03", declined="Not for us")


def test_queue_table(site: Path, run_floor, make_question) -> None:
    _queue_site(site, make_question)
    lines = ok(run_floor("queue", site=site)).splitlines()
    assert lines[0].split() == ["ID", "ASKED", "STATUS", "TAGS", "AGE"]
    assert [line.split()[0] for line in lines[1:5]] == ["ready-one", "held-one", "open-one", "no-one"]
    assert lines[1].split() == ["ready-one", "2026-10-01", "ready", "a,", "b", "39d"]
    assert lines[-1] == "1 ready, 1 held, 1 unanswered, 1 declined"


def test_queue_json(site: Path, run_floor, make_question) -> None:
    _queue_site(site, make_question)
    items = json.loads(ok(run_floor("queue", "--json", site=site)))
    by_id = {i["id"]: i for i in items}
    assert set(by_id) == {"ready-one", "held-one", "open-one", "no-one"}
    for item in items:
        assert {"id", "question", "asked", "status", "tags"} <= set(item)
    assert by_id["ready-one"] == {**by_id["ready-one"], "question": "Ready?", "asked": "2026-10-01"}
    assert by_id["ready-one"]["status"] == "ready" and by_id["ready-one"]["tags"] == ["a", "b"]
    assert by_id["no-one"]["question"] == "no" and by_id["no-one"]["status"] == "declined"
    assert by_id["held-one"]["status"] == "held"
    assert by_id["open-one"]["status"] == "unanswered" and by_id["open-one"]["tags"] == []
    assert "contact" not in json.dumps(items)


def test_queue_of_a_new_site(site: Path, run_floor) -> None:
    assert ok(run_floor("queue", site=site)).strip() == "the queue is empty"
    assert json.loads(ok(run_floor("queue", "--json", site=site))) == []


def test_check_ok_and_json(site: Path, run_floor, make_question) -> None:
    _queue_site(site, make_question)
    assert ok(run_floor("check", site=site)) == "ok: 4 queued, 0 published; 0 errors, 0 warnings\n"
    result = json.loads(ok(run_floor("check", "--json", site=site)))
    assert result == {
        "ok": True,
        "errors": [],
        "warnings": [],
        "queued": 4,
        "published": 0,
        "from_archive": 0,
    }


def test_check_lists_every_problem(site: Path, run_floor, make_question) -> None:
    make_question(site, "fine", "Fine?")
    write_question(site, "bad-date", question_text(asked="2026-02-30"))
    write_question(site, "bad-yaml", '---\nquestion: "open\nasked: 2026-11-01\n---\n')
    result = run_floor("check", site=site)
    err = fails_cleanly(result)
    assert result.stdout == ""
    *problems, summary = err.strip().splitlines()
    assert len(problems) == 2
    assert summary == "not ok: 1 queued, 0 published; 2 errors, 0 warnings"
    result = run_floor("check", "--json", site=site)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["queued"] == 1
    problems = {Path(e["file"]).name: e for e in report["errors"]}
    assert problems["bad-date.md"]["field"] == "asked"
    assert problems["bad-yaml.md"]["line"] == 2


def test_check_reports_broken_settings(site: Path, run_floor) -> None:
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nFLOOR_PUBLISH_WEEKDAY = "someday"\n')
    err = fails_cleanly(run_floor("check", site=site))
    assert "FLOOR_PUBLISH_WEEKDAY" in err and "pelicanconf.py" in err
    report = json.loads(run_floor("check", "--json", site=site).stdout)
    assert report["ok"] is False and report["errors"][0]["field"] == "FLOOR_PUBLISH_WEEKDAY"


# --- editing keeps the author's bytes ----------------------------------------------------

AUTHORED = (
    "---\n"
    "# Typed by hand. Comments, spacing and order are mine.\n"
    "asked:    2026-11-01      # out of the usual order\n"
    "question:   Does   this   survive?   # odd spacing\n"
    "details: |\n"
    "  A block scalar from the reader,\n"
    "  with ünïcödé: naïve café, 東京, ß.\n"
    "\n"
    "tags:\n"
    "  - one    # a comment in a list\n"
    "  - two\n"
    "contact:   'someone@example.org'\n"
    "quick_answer:     # fill me in\n"
    "source: talk\n"
    "---\n"
    "A body with *Markdown* and ünïcödé — kept.\n"
    "\n"
    "    an indented code block   \n"
    "trailing spaces   \n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_cli_edits_change_only_their_field(site: Path, run_floor, newline: str) -> None:
    original = AUTHORED.replace("\n", newline)
    path = write_question(site, "survive", original)

    def now() -> str:
        return path.read_bytes().decode("utf-8")

    ok(run_floor("answer", "survive", "--quick", "It does: every byte.", site=site))
    step1 = original.replace("quick_answer:     # fill", "quick_answer: 'It does: every byte.'     # fill")
    assert now() == step1

    ok(run_floor("hold", "survive", site=site))
    step2 = step1.replace(f"source: talk{newline}---", f"source: talk{newline}hold: true{newline}---")
    assert now() == step2

    ok(run_floor("release", "survive", site=site))
    assert now() == step1

    ok(run_floor("decline", "survive", "--reason", "no", site=site))
    step3 = step1.replace(f"source: talk{newline}---", f"source: talk{newline}declined: 'no'{newline}---")
    assert now() == step3
    assert question_mod.load(path).declined == "no"

    ok(run_floor("answer", "survive", "--body", "New body.", site=site))
    head = step3[: step3.index(f"---{newline}A body") + 3 + len(newline)]
    assert now() == head + f"New body.{newline}"


# --- bad input: one clear message, exit 1, the file untouched, nothing published -----------

BAD_FILES: dict[str, tuple[bytes, str]] = {
    "unclosed-quote": (b'---\nquestion: "never closed\nasked: 2026-11-01\n---\nBody\n', ":2: "),
    "tab-indent": (b"---\nquestion: Q?\ntags:\n\t- a\nasked: 2026-11-01\n---\nBody\n", ":4: "),
    "front-list": (b"---\n- question\n- asked\n---\nBody\n", "not a list"),
    "front-scalar": (b"---\nJust a question?\n---\nBody\n", "not a single value"),
    "no-front": (b"question: Q?\nasked: 2026-11-01\n\nBody\n", "no front matter"),
    "missing-question": (b"---\nasked: 2026-11-01\nquick_answer: A\n---\nBody\n", "question: is missing"),
    "missing-asked": (b"---\nquestion: Q?\nquick_answer: A\n---\nBody\n", "asked: is missing"),
    "impossible-date": (b"---\nquestion: Q?\nasked: 2026-02-30\n---\nBody\n", "asked: '2026-02-30'"),
    "list-question": (b"---\nquestion: [a, b]\nasked: 2026-11-01\n---\nBody\n", "question: expected text"),
    "bool-question": (b"---\nquestion: true\nasked: 2026-11-01\n---\nBody\n", "question: expected text"),
    "not-utf8": (b"---\nquestion: caf\xe9?\nasked: 2026-11-01\n---\nBody\n", ":2: is not valid UTF-8"),
    "duplicate-key": (b"---\nquestion: Q?\nasked: 2026-11-01\nasked: 2026-11-02\n---\n", "given twice"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_stops_every_command_cleanly(
    site: Path, run_floor, make_question, tree_hash, case: str
) -> None:
    make_question(site, "good-one", "Good?", asked="2026-10-01", quick="Yes.", body="Ready to go.")
    data, words = BAD_FILES[case]
    bad = write_question(site, case, data)
    before = tree_hash(site, skip=(".floor.lock",))
    for command in (["check"], ["queue"], ["publish"], ["schedule"], ["stats"], ["build"], ["hold", case]):
        result = run_floor(*command, site=site)
        err = fails_cleanly(result)
        lines = err.strip().splitlines()
        if command == ["check"]:  # check ends with its one-line summary
            assert lines.pop() == "not ok: 1 queued, 0 published; 1 error, 0 warnings"
        if command == ["publish"]:  # publish ends with what it did (nothing) and what to do next
            assert lines.pop().startswith("error: nothing was published: fix the question file(s) above")
        if command == ["queue"]:  # queue lists the good question, then the problem and what to do
            assert "good-one" in result.stdout
            assert lines.pop().startswith("error: the file(s) named here are not in the list above: fix them")
        if command == ["schedule"]:
            assert lines.pop().startswith("error: no plan is shown: ")
        if command == ["stats"]:
            assert lines.pop().startswith("error: no figures are shown: ")
        assert len(lines) == 1, f"{command}: {err}"
        assert lines[0].startswith(f"error: {bad}"), f"{command}: {err}"
        assert words in lines[0], f"{command}: {err}"
    report = json.loads(run_floor("check", "--json", site=site).stdout)
    assert [e["file"] for e in report["errors"]] == [str(bad)]
    # nothing published, nothing built, nothing rewritten (publish may leave its lock file)
    assert tree_hash(site, skip=(".floor.lock",)) == before
    assert not (site / "output").exists()


def test_queue_lists_the_questions_that_read_beside_broken_files(
    site: Path, run_floor, make_question
) -> None:
    make_question(site, "good-one", "Good?", asked="2026-10-01", quick="Yes.", body="Ready to go.")
    make_question(site, "good-two", "Also good?", asked="2026-10-02")
    bad = {
        case: write_question(site, case, BAD_FILES[case][0])
        for case in ("unclosed-quote", "missing-question", "impossible-date")
    }
    result = run_floor("queue", site=site)
    err = fails_cleanly(result)
    rows = result.stdout.splitlines()
    assert [r.split()[0] for r in rows[1:3]] == ["good-one", "good-two"], result.stdout
    assert rows[-1] == "1 ready, 1 unanswered"
    assert not any(case in result.stdout for case in bad)
    lines = err.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines), err
    closing = lines.pop()
    assert "`floor check`" in closing and "not in the list above" in closing
    # one line per broken file, in the folder's order, naming the file, the field and the problem
    for line, case in zip(lines, sorted(bad), strict=True):
        assert line.startswith(f"error: {bad[case]}"), err
        assert BAD_FILES[case][1] in line, err

    as_json = run_floor("queue", "--json", site=site)
    assert as_json.returncode == 1 and "Traceback" not in as_json.stderr
    data = json.loads(as_json.stdout)
    assert sorted(data) == ["errors", "questions"]
    assert [q["id"] for q in data["questions"]] == ["good-one", "good-two"]
    assert [e["file"] for e in data["errors"]] == [str(bad[case]) for case in sorted(bad)]
    assert all(sorted(e) == ["field", "file", "line", "problem"] for e in data["errors"])
    assert [e["field"] for e in data["errors"]] == ["asked", "question", "question"]

    for path in bad.values():  # fixed: back to the plain list and exit 0
        path.unlink()
    assert [q["id"] for q in json.loads(ok(run_floor("queue", "--json", site=site)))] == [
        "good-one",
        "good-two",
    ]


def test_queue_with_only_broken_files_does_not_say_the_queue_is_empty(site: Path, run_floor) -> None:
    bad = write_question(site, "missing-question", BAD_FILES["missing-question"][0])
    result = run_floor("queue", site=site)
    err = fails_cleanly(result)
    assert result.stdout == ""
    assert err.startswith(f"error: {bad}: question: is missing")
    assert json.loads(run_floor("queue", "--json", site=site).stdout)["questions"] == []


def test_a_bad_published_post_also_stops_publish(site: Path, run_floor, make_question, tree_hash) -> None:
    make_question(site, "good-one", "Good?", quick="Yes.", body="Ready.")
    bad = write_question(site, "old", question_text(quick="A", body="B", number="1"), folder="content/floor")
    before = tree_hash(site, skip=(".floor.lock",))
    err = fails_cleanly(run_floor("publish", site=site))
    assert f"{bad}: date: is missing" in err
    assert tree_hash(site, skip=(".floor.lock",)) == before


def test_an_unreadable_entry_is_a_clean_error(site: Path, run_floor) -> None:
    (site / "questions" / "folder.md").mkdir()
    err = fails_cleanly(run_floor("queue", site=site))
    assert str(site / "questions" / "folder.md") in err


def test_build_uses_the_today_option_like_schedule_does(tmp_path: Path) -> None:
    """`floor --today X build` and `floor build --today X` date the About page's forecast at X."""
    site = tmp_path / "demo"
    shutil.copytree(
        REPO,
        site,
        ignore=shutil.ignore_patterns(".git", ".venv", "output", ".cache", "node_modules", "test-artifacts"),
    )
    env = {k: v for k, v in os.environ.items() if k != "FLOOR_TODAY"}
    for args in (["--today", "2027-02-01", "build"], ["build", "--today", "2027-02-01"]):
        done = subprocess.run(
            [sys.executable, "-m", "from_the_floor.cli", "--site", str(site), *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
        assert "1 February 2027" in about, args
        assert "FLOOR_TODAY" not in os.environ
