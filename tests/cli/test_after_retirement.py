"""A question typed in after the column retired is kept, and the author hears at once that it waits.

Nothing refuses it (docs/retirement.md: a question is never lost), but before, `floor ask` and
`floor intake` printed only the id or the count, and the author learnt weeks later, from `floor
check`, that no weekly job would publish it.
"""

from __future__ import annotations

from pathlib import Path

from helpers_floor import ok

NOTE = "note: the column retired on Tue 10 Nov 2026: the question waits in questions/ and is not published"


def _retired(run_floor, site: Path) -> None:
    ok(run_floor("ask", "How do you decide what to write about?", site=site, today="2026-11-09"))
    qid = "how-do-you-decide-what-to-write-about"
    ok(run_floor("answer", qid, "--quick", "I follow.", "--body", "Longer.", site=site, today="2026-11-09"))
    ok(run_floor("publish", site=site, today="2026-11-09"))
    live = run_floor("ask", "Before the end?", site=site, today="2026-11-09")
    assert live.returncode == 0 and "retired" not in live.stderr  # a live column says nothing of it
    ok(run_floor("decline", "before-the-end", "--reason", "asked twice", site=site, today="2026-11-09"))
    ok(run_floor("retire", site=site, today="2026-11-10"))


def test_floor_ask_keeps_the_question_and_says_it_will_not_be_published(run_floor, site: Path) -> None:
    _retired(run_floor, site)
    done = run_floor("ask", "Are you back?", "--asker", "Max", site=site, today="2026-12-01")
    assert done.returncode == 0
    assert done.stdout == "are-you-back\n"  # scripts read the id alone, as before
    assert NOTE + "; `floor unretire` resumes the column" in done.stderr
    assert (site / "questions" / "are-you-back.md").exists()


def test_floor_intake_says_it_of_what_it_took_in(run_floor, site: Path, tmp_path: Path) -> None:
    _retired(run_floor, site)
    table = tmp_path / "questions.csv"
    table.write_text("question,asker\nWill you come back?,Nina\n", encoding="utf-8")
    done = run_floor("intake", "csv", str(table), site=site, today="2026-12-01")
    assert done.returncode == 0 and "1 added" in done.stdout
    assert "the questions taken in wait in questions/ and are not published" in done.stderr
    again = run_floor("intake", "csv", str(table), site=site, today="2026-12-01")  # nothing new
    assert again.returncode == 0 and "retired" not in again.stderr
