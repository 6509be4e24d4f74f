"""Every step says what happened and what comes next: `floor answer` and `floor publish`,
run for real on a `floor init` site (issue 20: the README's loop printed "No changes saved"
after saving, then published nothing without saying why)."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers_floor import ok

QID = "how-do-you-decide-what-to-write-about"
SUNDAY = "2026-12-06"


def _ask(run_floor, site: Path, text: str = "How do you decide what to write about?") -> None:
    ok(run_floor("ask", text, site=site, today=SUNDAY))


def test_quick_answer_with_an_unchanged_editor_says_it_saved_the_quick_answer(run_floor, site: Path) -> None:
    _ask(run_floor, site)
    out = ok(
        run_floor(
            "answer", QID, "--quick", "I follow the questions.", "--edit", site=site, env={"EDITOR": "true"}
        )
    )
    assert "no changes saved" not in out.lower()
    assert out.splitlines() == [
        "saved the quick answer; the editor was closed without a change",
        f"{QID}: unanswered (has a quick answer but no thoughtful answer: `floor answer {QID} --edit`)",
    ]
    assert "quick_answer: I follow the questions." in (site / "questions" / f"{QID}.md").read_text(
        encoding="utf-8"
    )
    # nothing given and nothing changed: that is what it says
    out = ok(run_floor("answer", QID, "--edit", site=site, env={"EDITOR": "true"}))
    assert out.splitlines()[0] == "no changes saved; the editor was closed without a change"


def test_an_editor_that_writes_the_answer_is_reported_with_the_quick_answer(
    run_floor, site: Path, tmp_path: Path
) -> None:
    _ask(run_floor, site)
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write('The longer answer.\\n')\n",
        encoding="utf-8",
    )
    editor = f'"{sys.executable}" "{script}"'
    out = ok(run_floor("answer", QID, "--quick", "I follow.", "--edit", site=site, env={"EDITOR": editor}))
    assert out.splitlines() == ["saved the quick answer and your edit", f"{QID}: ready"]


def test_publish_with_nothing_due_names_each_question_and_what_it_lacks(run_floor, site: Path) -> None:
    _ask(run_floor, site)
    ok(run_floor("answer", QID, "--quick", "I follow the questions.", site=site))
    _ask(run_floor, site, "Held back?")
    ok(run_floor("answer", "held-back", "--quick", "Y.", "--body", "B.", site=site))
    ok(run_floor("hold", "held-back", site=site))
    _ask(run_floor, site, "Not for the column?")
    ok(run_floor("decline", "not-for-the-column", "--reason", "off-topic", site=site))
    _ask(run_floor, site, "Not yet?")
    ok(run_floor("answer", "not-yet", "--quick", "Y.", "--body", "B.", site=site))
    (site / "questions" / "not-yet.md").write_text(
        (site / "questions" / "not-yet.md")
        .read_text(encoding="utf-8")
        .replace("---\n", "---\nnot_before: 2026-12-20\n", 1),
        encoding="utf-8",
    )
    out = ok(run_floor("publish", site=site, today=SUNDAY))
    assert out.splitlines()[:5] == [
        "nothing due:",
        "  not-yet is ready and goes out Mon 21 Dec 2026 09:00 UTC"
        " (it waits for its not_before date, Sun 20 Dec 2026)",
        "  held-back is answered but on hold: `floor release held-back` schedules it",
        f"  {QID} has a quick answer but no thoughtful answer: `floor answer {QID} --edit`",
        "  not-for-the-column was declined: it is never published (it counts as done)",
    ]
    assert "next post: Mon 21 Dec 2026 09:00 UTC" in out
    dry = ok(run_floor("publish", "--dry-run", site=site, today=SUNDAY))
    assert f"  {QID} has a quick answer but no thoughtful answer" in dry


def test_github_actions_advice_only_inside_github_actions(run_floor, site: Path) -> None:
    _ask(run_floor, site)
    by_hand = ok(run_floor("publish", site=site, today=SUNDAY, env={"GITHUB_ACTIONS": ""}))
    assert "no answered question is waiting" in by_hand
    assert "GitHub" not in by_hand and "60 days" not in by_hand
    in_actions = ok(run_floor("publish", site=site, today=SUNDAY, env={"GITHUB_ACTIONS": "true"}))
    assert "A scheduled GitHub workflow stops after 60 days without a commit" in in_actions


def test_publish_with_a_broken_question_file_says_each_problem_and_publishes_nothing(
    run_floor, site: Path
) -> None:
    """An unattended weekly run meets a question file that does not read. It publishes nothing, not
    even the answered question that is due: the broken file may be the one meant for this week,
    and a post's number and address are for good. Each problem is its own `error:` line naming
    the file and the field, and the last says nothing was published and what to do."""
    _ask(run_floor, site)
    ok(run_floor("answer", QID, "--quick", "Y.", "--body", "B.", site=site))
    broken = site / "questions" / "meant-for-this-week.md"
    broken.write_text(
        "---\nquestion: Meant for this week?\nasked: 2026-11-31\npin: 2026-12-07\n"
        "quick_answer: Y.\n---\nB.\n",
        encoding="utf-8",
    )
    (site / "questions" / "no-question.md").write_text("---\nasked: 2026-11-02\n---\n", encoding="utf-8")
    done = run_floor("publish", site=site, today="2026-12-07")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    assert f"error: {broken}: asked: " in done.stderr and "2026-11-31" in done.stderr
    assert f"error: {site / 'questions' / 'no-question.md'}: question: is missing" in done.stderr
    assert lines[-1].startswith("error: nothing was published: fix the question file(s) above (`floor check`")
    assert (site / "questions" / f"{QID}.md").is_file() and not list(
        (site / "content" / "floor").glob("*.md")
    )


def test_a_rerun_after_the_publish_names_the_post_that_went_out(run_floor, site: Path) -> None:
    """A Ctrl-C that lands just after the publish finished says "run the same command again": the
    re-run finds nothing due, and says which post is already out rather than leaving the author to guess."""
    _ask(run_floor, site)
    ok(run_floor("answer", QID, "--quick", "Y.", "--body", "B.", site=site))
    first = ok(run_floor("publish", site=site, today="2026-12-07"))
    assert "last post:" not in first  # the run that published says so itself
    again = ok(run_floor("publish", site=site, today="2026-12-07")).splitlines()
    assert again[0] == "nothing due"
    assert again[1] == f"last post: #1 (Mon 7 Dec 2026 09:00 UTC): {QID}"
    dry = ok(run_floor("publish", "--dry-run", site=site, today="2026-12-07"))
    assert f"last post: #1 (Mon 7 Dec 2026 09:00 UTC): {QID}" in dry


def test_the_rerun_says_the_post_went_out_in_the_sites_zone(run_floor, site: Path) -> None:
    """The post's file keeps its moment as an offset ("+00:00"); the re-run says it in the site's
    zone, as the run that published it did ("GMT" both times in London, never "UTC" the second)."""
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nTIMEZONE = "Europe/London"\n', encoding="utf-8")
    _ask(run_floor, site)
    ok(run_floor("answer", QID, "--quick", "Y.", "--body", "B.", site=site))
    first = ok(run_floor("publish", site=site, today="2026-12-07"))
    assert f"published #1 (Mon 7 Dec 2026 09:00 GMT): {QID}" in first
    again = ok(run_floor("publish", site=site, today="2026-12-07")).splitlines()
    assert again[1] == f"last post: #1 (Mon 7 Dec 2026 09:00 GMT): {QID}"
