"""Ten weeks of the weekly job, run for real on a user's site in a temporary git repository.

The site is made as a new author makes one: the kit installed from its wheel
(built from this checkout, served from a local wheelhouse with `--no-index
--find-links`, as the package index would serve it) into the author's fresh
virtual environment, then `floor init`. The steps are the site's own workflow
(.github/workflows/weekly.yml as `floor init` wrote it): every `run:` step of the
publish job in order, the install from the site's requirements.txt included,
each in bash with the env the step declares, in a fresh "runner" environment
that has only Python and uv (what the skipped `uses:` steps, which are GitHub's,
provide). The checkout's `origin` is a local bare repository; FLOOR_TODAY is
each run's moment. A second, cheaper case runs this repository's demo workflow
(minus its install, which installs the checkout) with the test environment's kit.
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
from from_the_floor.core.site import Site
from from_the_floor.core.waiting import when_text
from helpers_kit import uv
from helpers_publish import (
    FLOOR,
    add_question,
    commits,
    first_run_after,
    floor_env,
    git,
    ok,
    posts,
    workflow,
)
from helpers_publish import field as front

LONDON = "Europe/London"
SITEURL = "https://example.github.io/column"
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


# --- the machines: the author's and the runner's ----------------------------------------------


@dataclass
class Machine:
    """Where the commands run: the `floor` the author types, and the runner's environment."""

    floor: list[str]
    runner_path: str  # PATH for the workflow's steps
    install: bool  # whether the workflow's own install step runs
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self, today: str | None) -> dict[str, str]:
        """The author's shell: like the runner's, their venv's `floor` byte-compiled once."""
        env = floor_env(today, {k: v for k, v in self.extra_env.items() if not k.startswith("UV_")})
        if self.install:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def author(self, site: Path, *args: str, today: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.floor, "--site", str(site), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env(today),
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )


def _without_this_venv(path: str) -> list[str]:
    here = str(Path(sys.executable).parent)
    return [p for p in path.split(os.pathsep) if p and p != here]


@pytest.fixture(scope="session")
def users_machines(kit_wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Machine:
    """The author's venv (`pip install from-the-floor`, from the wheelhouse) and an empty runner
    venv that gets the kit only through the workflow's install step."""
    root = tmp_path_factory.mktemp("machines")
    tools = root / "tools"  # uv alone (setup-uv's job on GitHub), without this venv's `floor`
    tools.mkdir()
    (tools / "uv").symlink_to(uv())
    cache = root / "uv-cache"
    offline = {"UV_NO_INDEX": "1", "UV_FIND_LINKS": str(kit_wheelhouse), "UV_CACHE_DIR": str(cache)}
    author, runner = root / "author", root / "runner"
    for venv in (author, runner):
        ok(
            subprocess.run(
                [uv(), "venv", "--quiet", "--python", sys.executable, str(venv)],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, **offline},
            )
        )
    ok(
        subprocess.run(  # the README's `pip install from-the-floor`, from the wheelhouse
            [uv(), "pip", "install", "--quiet", "--python", str(author / "bin" / "python"), "from-the-floor"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **offline},
        )
    )
    assert not (runner / "bin" / "floor").exists()
    path = os.pathsep.join([str(runner / "bin"), str(tools), *_without_this_venv(os.environ["PATH"])])
    return Machine([str(author / "bin" / "floor")], path, install=True, extra_env=offline)


def checkout_machine() -> Machine:
    """The old in-repository run: this test environment's kit, the repository's workflow."""
    venv_bin = str(Path(sys.executable).parent)
    return Machine(FLOOR, venv_bin + os.pathsep + os.environ["PATH"], install=False)


# --- the repository --------------------------------------------------------------------------


def make_repository(root: Path, catch_up: str, machine: Machine) -> tuple[Path, Path]:
    """`floor init`, the questions, git init, and a bare `origin` the job pushes to."""
    site = root / "column"
    ok(
        machine.author(
            site,
            "init",
            str(site),
            "--title",
            "Ask Sam",
            "--author",
            "Sam",
            "--timezone",
            LONDON,
            today="2027-03-01",
        )
    )
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


def job_steps(path: Path, machine: Machine) -> list[dict]:
    """The publish job's `run:` steps in order (the `uses:` ones are GitHub's: skipped)."""
    steps = [s for s in workflow(path)["jobs"]["publish"]["steps"] if "run" in s]
    return steps if machine.install else [s for s in steps if s.get("id") != "install"]


def step_env(today: str, step: dict, machine: Machine) -> dict[str, str]:
    """The runner's environment for one step: its PATH, the step's env (GitHub's ${{ }} filled)."""
    env = floor_env(today, {"GITHUB_REF_NAME": "main", "PATH": machine.runner_path, **machine.extra_env})
    # GitHub's runner sets none of these; PYTHONDONTWRITEBYTECODE (set on some CI images) would
    # make every step compile the freshly installed kit and Pelican again
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    for key, value in (step.get("env") or {}).items():
        if "secrets." in str(value):
            env[key] = ""  # a secret the site has not set reads as an empty string
        else:
            env[key] = SITEURL if "${{" in str(value) else str(value)
    return env


def run_step(site: Path, step: dict, today: str, machine: Machine) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=site,
        env=step_env(today, step, machine),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def finish(process: subprocess.Popen[str], step: dict) -> str:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, f"step {step.get('id')}: exit {process.returncode}\n{out}\n{err}"
    return out


def run_job(
    site: Path, steps: list[dict], today: str, machine: Machine, *, twice_at_once: bool = False
) -> list[tuple[str, str]]:
    """One run of the workflow's steps → [(step id, stdout)]; with ``twice_at_once``,
    two publish steps race (the concurrency group's job on GitHub, the lock's here)."""
    outputs = []
    for step in steps:
        if step.get("id") == "publish" and twice_at_once:
            racing = [run_step(site, step, today, machine) for _ in range(2)]
            outputs += [(step["id"], finish(p, step)) for p in racing]
        else:
            outputs.append((step.get("id", ""), finish(run_step(site, step, today, machine), step)))
    return outputs


def published_lines(outputs: list[tuple[str, str]]) -> list[str]:
    return [line for _, out in outputs for line in out.splitlines() if line.startswith("published #")]


# --- the simulation ------------------------------------------------------------------------------


@pytest.mark.parametrize(("where", "catch_up"), [("site", "all"), ("site", "one"), ("repository", "all")])
def test_ten_weeks_of_the_weekly_job(tmp_path: Path, where: str, catch_up: str, request) -> None:
    machine = request.getfixturevalue("users_machines") if where == "site" else checkout_machine()
    site, origin = make_repository(tmp_path, catch_up, machine)
    if where == "site":  # the site's own workflow, installing from the site's own requirements.txt
        path = site / ".github" / "workflows" / "weekly.yml"
        assert [e["cron"] for e in workflow(path)["on"]["schedule"]] == CRONS  # the weeks below apply
        install = next(s["run"] for s in job_steps(path, machine) if s.get("id") == "install")
        assert "-r requirements.txt" in install
    else:
        path = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "weekly.yml"
    steps = job_steps(path, machine)
    floor = machine.author
    runner_floor = Path(machine.runner_path.split(os.pathsep)[0]) / "floor"
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
    builds_said: list[str] = []
    for number, week in enumerate(WEEKS, start=1):
        before_commits = commits(site)
        if number == 6:
            # after the missed week, a new forecast (which also knows the question answered in week 3)
            late = json.loads(ok(floor(site, "schedule", "--json", today="2027-04-12")))
        new = expected_new(week, catch_up)
        outputs: list[tuple[str, str]] = []
        for run in week.runs:
            if isinstance(run, tuple):
                outputs += run_job(site, steps, run[0], machine, twice_at_once=True)
            else:
                outputs += run_job(site, steps, run, machine)
        label = f"week {number} ({week.monday}, catch-up {catch_up}, {where})"
        if where == "site" and week.runs:  # the `floor` the steps ran is the one the install step put there
            assert runner_floor.is_file(), label

        # the publish step said exactly what it published, once
        said = published_lines(outputs)
        zone = Site(site).settings.timezone  # `floor publish` says dates in the site's zone
        said_expected = [
            f"published #{n} ({when_text(dt.datetime.fromisoformat(d).astimezone(zone))}): {qid}"
            for qid, (n, d) in new.items()
        ]
        assert said == said_expected, label
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
            builds_said += [out for step, out in outputs if step == "build"]

        # the author answers questions between runs, and pushes
        for qid in week.answer_after:
            ok(floor(site, "answer", qid, "--quick", f"Yes: {qid}.", "--body", f"About {qid}."))
            git(site, "add", "-A", "questions")
            git(site, "commit", "--quiet", "-m", f"Answer {qid}")
            git(site, "push", "--quiet", "origin", "main")
            author_commits += 1

    # output/ and its manifest stayed (as the workflow's cache keeps them): later weeks render
    # only what changed, the first renders everything
    assert "kept" not in builds_said[0] and "rendered" in builds_said[0]
    assert any("unchanged" in said for said in builds_said[1:]), builds_said

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
