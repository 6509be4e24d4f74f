"""Ten weeks of the weekly job, run for real on a temporary git repository.

The steps come from .github/workflows/weekly.yml itself (every `run:` step of
the publish job except the install), executed with bash in a checkout whose
`origin` is a local bare repository, with FLOOR_TODAY set to each run's moment.
The weeks include a missed run, a repeated run, two runs at once, a run before
the slot, a skipped (holiday) week, a change to summer time, a pin, a
not_before, and questions answered along the way. After each week the test
checks the posts, their dates and numbers, the commits, the push and the build.

Done when: the forecast made before the first week (`floor schedule --json`)
names, as last_post, the date on which the simulation publishes the last
question that was answered at the time of the forecast.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers_publish import (
    add_question,
    commits,
    first_run_after,
    floor,
    floor_env,
    git,
    ok,
    posts,
    workflow,
)
from helpers_publish import field as front

LONDON = "Europe/London"
SITEURL = "https://example.github.io/column"
STEPS = [s for s in workflow()["jobs"]["publish"]["steps"] if "run" in s and s.get("id") != "install"]
CRONS = [entry["cron"] for entry in workflow()["on"]["schedule"]]

# (id, asked, extra front matter, answered at the start)
QUESTIONS = [
    ("waits-for-spring", "2027-01-02", {"not_before": "2027-03-29"}, True),
    ("held-back", "2027-01-03", {"hold": "true"}, True),
    ("not-for-us", "2027-01-04", {"declined": "off topic"}, False),
    ("oldest-open", "2027-01-05", {}, True),
    ("second", "2027-01-10", {}, True),
    ("third", "2027-01-15", {}, True),
    ("fourth", "2027-01-20", {}, True),
    ("answered-in-week-3", "2027-02-01", {}, False),
    ("answered-in-week-8", "2027-02-02", {}, False),
    ("never-answered", "2027-02-03", {}, False),
    ("pinned-to-the-ides", "2027-02-10", {"pin": "2027-03-15"}, True),
]


def slot(day: str) -> dt.datetime:
    """The demo column's Monday 09:00 in London on ``day``."""
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), tzinfo=ZoneInfo(LONDON))


def cron_run(day: str, nth: int = 0) -> str:
    """FLOOR_TODAY for the workflow's ``nth`` scheduled run after the slot on ``day``."""
    moment = first_run_after(CRONS, slot(day))
    for _ in range(nth):
        moment = first_run_after(CRONS, moment + dt.timedelta(minutes=1))
    assert moment.date() == slot(day).date()
    return moment.isoformat()


@dataclass
class Week:
    monday: str
    runs: list[str | tuple[str, str]] = field(default_factory=list)  # a tuple: two at once
    answer_after: list[str] = field(default_factory=list)
    expect: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)  # mode → new posts


def at(day: str, offset: str) -> str:
    return f"{day}T09:00:00{offset}"


WEEKS = [
    Week(
        "2027-03-08", [cron_run("2027-03-08")], expect={"*": {"oldest-open": (1, at("2027-03-08", "+00:00"))}}
    ),
    Week(  # repeated: the morning cron and the afternoon retry
        "2027-03-15",
        [cron_run("2027-03-15"), cron_run("2027-03-15", 1)],
        expect={"*": {"pinned-to-the-ides": (2, at("2027-03-15", "+00:00"))}},
    ),
    Week(  # run at the exact slot moment, as `floor schedule` prints it
        "2027-03-22",
        [at("2027-03-22", "+00:00")],
        answer_after=["answered-in-week-3"],
        expect={"*": {"second": (3, at("2027-03-22", "+00:00"))}},
    ),
    Week(  # summer time began on 28 March: the slot is 08:00 UTC; a run at 07:30 UTC is early
        "2027-03-29",
        ["2027-03-29T07:30:00+00:00", (cron_run("2027-03-29"), cron_run("2027-03-29"))],
        expect={"*": {"waits-for-spring": (4, at("2027-03-29", "+01:00"))}},
    ),
    Week("2027-04-05"),  # missed: GitHub dropped both runs
    Week(
        "2027-04-12",
        ["2027-04-12"],  # the date form: the end of that day
        expect={
            "all": {"third": (5, at("2027-04-05", "+01:00")), "fourth": (6, at("2027-04-12", "+01:00"))},
            "one": {"third": (5, at("2027-04-12", "+01:00"))},
        },
    ),
    Week("2027-04-19", [cron_run("2027-04-19")]),  # FLOOR_SKIP_DATES: a holiday week
    Week(
        "2027-04-26",
        [cron_run("2027-04-26")],
        answer_after=["answered-in-week-8"],
        expect={
            "all": {"answered-in-week-3": (7, at("2027-04-26", "+01:00"))},
            "one": {"fourth": (6, at("2027-04-26", "+01:00"))},
        },
    ),
    Week(
        "2027-05-03",
        [cron_run("2027-05-03")],
        expect={
            "all": {"answered-in-week-8": (8, at("2027-05-03", "+01:00"))},
            "one": {"answered-in-week-3": (7, at("2027-05-03", "+01:00"))},
        },
    ),
    Week(
        "2027-05-10",
        [cron_run("2027-05-10")],
        expect={"one": {"answered-in-week-8": (8, at("2027-05-10", "+01:00"))}},
    ),
]


def expected_new(week: Week, mode: str) -> dict[str, tuple[int, str]]:
    return {**week.expect.get("*", {}), **week.expect.get(mode, {})}


# --- the repository --------------------------------------------------------------------------


def make_repository(root: Path, catch_up: str) -> tuple[Path, Path]:
    """`floor init`, the questions, git init, and a bare `origin` the job pushes to."""
    site = root / "column"
    ok(floor(site, "init", str(site), "--timezone", LONDON, today="2027-03-01"))
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            "\nFLOOR_START = '2027-03-08'\n"
            "FLOOR_SKIP_DATES = ['2027-04-21']  # a Wednesday: no post that week\n"
            f"FLOOR_CATCH_UP = {catch_up!r}\n"
        )
    for qid, asked, extra, answered in QUESTIONS:  # as `floor ask` + `floor answer` write them
        add_question(site, qid, asked=asked, answered=answered, source="talk", **extra)
    origin = root / "origin.git"
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    git(site, "init", "--quiet", "--initial-branch=main")
    git(site, "config", "user.name", "The Author")
    git(site, "config", "user.email", "author@example.org")
    git(site, "add", "-A")
    git(site, "commit", "--quiet", "-m", "Start the column")
    git(site, "remote", "add", "origin", str(origin))
    git(site, "push", "--quiet", "origin", "main")
    return site, origin


def step_env(today: str, step: dict) -> dict[str, str]:
    """The runner's environment for one step: the venv first on PATH, the step's env."""
    venv_bin = str(Path(sys.executable).parent)
    env = floor_env(today, {"GITHUB_REF_NAME": "main", "PATH": venv_bin + os.pathsep + os.environ["PATH"]})
    for key, value in (step.get("env") or {}).items():
        env[key] = SITEURL if "${{" in str(value) else str(value)
    return env


def run_step(site: Path, step: dict, today: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=site,
        env=step_env(today, step),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def finish(process: subprocess.Popen[str], step: dict) -> str:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, f"step {step.get('id')}: exit {process.returncode}\n{out}\n{err}"
    return out


def run_job(site: Path, today: str, *, twice_at_once: bool = False) -> list[tuple[str, str]]:
    """One run of the workflow's steps → [(step id, stdout)]; with ``twice_at_once``,
    two publish steps race (the concurrency group's job on GitHub, the lock's here)."""
    outputs = []
    for step in STEPS:
        if step.get("id") == "publish" and twice_at_once:
            racing = [run_step(site, step, today) for _ in range(2)]
            outputs += [(step["id"], finish(p, step)) for p in racing]
        else:
            outputs.append((step.get("id", ""), finish(run_step(site, step, today), step)))
    return outputs


def published_lines(outputs: list[tuple[str, str]]) -> list[str]:
    return [line for _, out in outputs for line in out.splitlines() if line.startswith("published #")]


# --- the simulation ------------------------------------------------------------------------------


@pytest.mark.parametrize("catch_up", ["all", "one"])
def test_ten_weeks_of_the_weekly_job(tmp_path: Path, catch_up: str) -> None:
    site, origin = make_repository(tmp_path, catch_up)
    forecast = json.loads(ok(floor(site, "schedule", "--json", today="2027-03-05")))
    assert forecast["unanswered"] == 3
    assert [e["questions"] for e in forecast["plan"]] == [
        ["oldest-open"],
        ["pinned-to-the-ides"],
        ["second"],
        ["waits-for-spring"],
        ["third"],
        ["fourth"],
    ]
    answered_at_start = [q for e in forecast["plan"] for q in e["questions"]]

    expected: dict[str, tuple[int, str]] = {}
    author_commits = 0
    for number, week in enumerate(WEEKS, start=1):
        before_commits = commits(site)
        if number == 6:
            # after the missed week, a new forecast (which also knows the question answered in week 3)
            late = json.loads(ok(floor(site, "schedule", "--json", today="2027-04-12")))
        new = expected_new(week, catch_up)
        outputs: list[tuple[str, str]] = []
        for run in week.runs:
            if isinstance(run, tuple):
                outputs += run_job(site, run[0], twice_at_once=True)
            else:
                outputs += run_job(site, run)
        label = f"week {number} ({week.monday}, catch-up {catch_up})"

        # the publish step said exactly what it published, once
        said = published_lines(outputs)
        assert said == [f"published #{n} ({d}): {qid}" for qid, (n, d) in new.items()], label
        publish_outputs = [out for step, out in outputs if step == "publish"]
        runs = sum(2 if isinstance(run, tuple) else 1 for run in week.runs)
        assert len(publish_outputs) == runs, label
        assert sum("nothing due" in out for out in publish_outputs) == runs - (1 if new else 0), label

        # the posts on disk: present, dated, numbered without gaps
        expected.update(new)
        on_disk = posts(site)
        assert sorted(on_disk) == sorted(f"{qid}.md" for qid in expected), label
        for qid, (num, date) in expected.items():
            assert front(on_disk[f"{qid}.md"], "number") == str(num), label
            assert front(on_disk[f"{qid}.md"], "date") == date, label
            assert not (site / "questions" / f"{qid}.md").exists(), label
        assert sorted(n for n, _ in expected.values()) == list(range(1, len(expected) + 1)), label

        # the commits: one per publishing run, naming its post(s); all pushed; nothing left over
        made = commits(site)[: len(commits(site)) - len(before_commits)]
        if new:
            titles = [front(on_disk[f"{qid}.md"], "title") for qid in new]
            subject = f"Publish {titles[0]}" if len(titles) == 1 else f"Publish {len(titles)} posts"
            assert made == [subject], label
            body = git(site, "log", "-1", "--format=%b")
            assert all(f"- {t}" in body for t in titles), label
        else:
            assert made == [], label
        assert git(site, "status", "--porcelain") == "", label
        assert git(origin, "rev-parse", "main") == git(site, "rev-parse", "HEAD"), label

        # the build (publishconf.py): a page per post, none for what is not published
        if week.runs:
            output = site / "output"
            for qid in expected:
                assert (output / "floor" / qid / "index.html").is_file(), label
            for qid, *_ in QUESTIONS:
                if qid not in expected:
                    assert not (output / "floor" / qid).exists(), label
            feed = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
            assert SITEURL in feed, label

        # the author answers questions between runs, and pushes
        for qid in week.answer_after:
            ok(floor(site, "answer", qid, "--quick", f"Yes: {qid}.", "--body", f"About {qid}."))
            git(site, "add", "-A", "questions")
            git(site, "commit", "--quiet", "-m", f"Answer {qid}")
            git(site, "push", "--quiet", "origin", "main")
            author_commits += 1

    # everything answered went out; what is held, declined or unanswered did not
    assert sorted(expected) == sorted([*answered_at_start, "answered-in-week-3", "answered-in-week-8"])
    assert sorted(p.name for p in (site / "questions").glob("*.md")) == [
        "held-back.md",
        "never-answered.md",
        "not-for-us.md",
    ]
    publish_commits = [c for c in commits(site) if c.startswith("Publish ")]
    assert len(publish_commits) == (7 if catch_up == "all" else 8)
    assert len(commits(site)) == 1 + author_commits + len(publish_commits)

    # Done when: the forecast made before week 1 named the date of the last answered question
    last_answered = answered_at_start[-1]
    assert last_answered == "fourth"
    published_on = expected[last_answered][1]
    if catch_up == "all":
        assert forecast["last_post"] == published_on
        # and every other date of that forecast came true too
        for entry in forecast["plan"]:
            assert [expected[q][1] for q in entry["questions"]] == [entry["date"]]
    else:  # "one": the missed week pushed the tail back a week, past the holiday week
        assert forecast["last_post"] == at("2027-04-12", "+01:00")
        assert published_on == at("2027-04-26", "+01:00")
    # the forecast made after the missed week came true, to the last answered question
    assert late["last_post"] == expected["answered-in-week-3"][1]
    for entry in late["plan"]:
        assert [expected[q][1] for q in entry["questions"]] == [entry["date"]]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT09:00:00\+01:00", published_on)
