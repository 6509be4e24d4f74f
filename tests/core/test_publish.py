"""`floor publish`: idempotent, exclusive, all-or-nothing, and faithful to the plan.

Every command is a real `floor` subprocess with FLOOR_TODAY set. Interruptions
are simulated in a subprocess through the journal's step hook (and by dying
inside an atomic write), then the tree is compared byte for byte with the
tree before and with the tree after a clean publish.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from from_the_floor.core import clock
from from_the_floor.core import publish as publish_mod
from from_the_floor.core.site import Site
from from_the_floor.core.waiting import when_text
from helpers_publish import (
    FLOOR,
    add_question,
    commits,
    field,
    floor,
    floor_env,
    git,
    git_init,
    new_site,
    ok,
    posts,
    snapshot,
)

MONDAY = "2026-11-09T09:00:00+00:00"  # a slot of the skeleton's Monday 09:00 UTC
SAID = "Mon 9 Nov 2026 09:00 UTC"  # that slot as `floor publish` says it


def said(date: str, site: Path) -> str:
    """A post's ISO date as `floor publish` says it, in the site's zone (core.waiting.when_text)."""
    return when_text(dt.datetime.fromisoformat(date).astimezone(Site(site).settings.timezone))


def three_ready(site: Path) -> Path:
    add_question(site, "first-asked", asked="2026-10-01")
    add_question(site, "second-asked", asked="2026-10-02")
    add_question(site, "third-asked", asked="2026-10-03", question='A "quoted": question?')
    add_question(site, "not-answered", asked="2026-09-01", answered=False)
    return site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return three_ready(new_site(tmp_path / "site"))


# --- the basics ----------------------------------------------------------------------------


def test_publish_moves_the_due_question_and_adds_its_metadata(site: Path) -> None:
    before = (site / "questions" / "first-asked.md").read_text(encoding="utf-8")
    out = ok(floor(site, "publish", today=MONDAY))
    assert f"published #1 ({SAID}): first-asked" in out
    assert "next post: Mon 16 Nov 2026 09:00 UTC" in out
    assert not (site / "questions" / "first-asked.md").exists()
    text = posts(site)["first-asked.md"]
    assert field(text, "number") == "1"
    assert field(text, "date") == MONDAY
    assert field(text, "slug") == "first-asked"
    assert field(text, "title") == "What about first asked?"
    assert field(text, "part") is None
    # every other byte of the question file is kept
    assert text.startswith(before.split("\n---\n")[0])
    assert text.endswith(before.split("\n---\n", 1)[1])


def test_a_second_run_in_the_same_slot_changes_nothing(site: Path) -> None:
    ok(floor(site, "publish", today=MONDAY))
    after = snapshot(site)
    for today in (MONDAY, "2026-11-09", "2026-11-15T23:59:59+00:00"):
        again = floor(site, "publish", today=today)
        assert again.returncode == 0, again.stderr
        assert "nothing due" in again.stdout and "published" not in again.stdout
        assert snapshot(site) == after


def test_numbers_follow_the_series_without_gaps(site: Path) -> None:
    for week, day in enumerate(["2026-11-09", "2026-11-16", "2026-11-23"], start=1):
        assert f"published #{week} (" in ok(floor(site, "publish", today=day))
    numbers = sorted(int(field(text, "number")) for text in posts(site).values())
    assert numbers == [1, 2, 3]
    assert "nothing due" in ok(floor(site, "publish", today="2026-11-30"))


def test_dry_run_changes_nothing_and_says_what_would_happen(site: Path) -> None:
    before = snapshot(site)
    out = ok(floor(site, "publish", "--dry-run", today=MONDAY))
    assert f"would publish #1 ({SAID}): first-asked" in out
    assert "nothing was changed" in out
    assert snapshot(site) == before
    assert not (site / ".floor.lock").exists()
    # and the real run does exactly what the dry run said
    assert f"published #1 ({SAID}): first-asked" in ok(floor(site, "publish", today=MONDAY))


def test_dry_run_with_commit_names_the_commit_without_making_it(site: Path) -> None:
    git_init(site)
    before = snapshot(site)
    out = ok(floor(site, "publish", "--dry-run", "--commit", today=MONDAY))
    assert "would commit: Publish What about first asked?" in out
    assert snapshot(site) == before and len(commits(site)) == 1


def test_nothing_ready_says_so_and_warns_about_the_60_days(tmp_path: Path) -> None:
    site = new_site(tmp_path / "s")
    add_question(site, "open", asked="2026-10-01", answered=False)
    out = ok(floor(site, "publish", today=MONDAY, extra_env={"GITHUB_ACTIONS": "true"}))
    assert "nothing due" in out
    assert "no answered question is waiting" in out and "60 days" in out


def test_an_invalid_question_stops_publish_before_anything_is_written(site: Path) -> None:
    (site / "questions" / "broken.md").write_text("---\nquestion: [unclosed\n---\n", encoding="utf-8")
    before = snapshot(site)
    result = floor(site, "publish", today=MONDAY)
    assert result.returncode == 1 and "broken.md" in result.stderr
    assert snapshot(site) == before


def test_several_questions_per_post_share_number_and_date_and_get_parts(tmp_path: Path) -> None:
    site = three_ready(new_site(tmp_path / "s", questions_per_post=2))
    out = ok(floor(site, "publish", today=MONDAY))
    assert f"published #1 ({SAID}): first-asked, second-asked" in out
    texts = posts(site)
    assert [field(texts[n], "part") for n in ("first-asked.md", "second-asked.md")] == ["1", "2"]
    assert {field(t, "number") for t in texts.values()} == {"1"}
    assert {field(t, "date") for t in texts.values()} == {MONDAY}
    assert (
        field(texts["first-asked.md"], "title") == "What about first asked? (and 1 more)"
    )
    out = ok(floor(site, "publish", today="2026-11-16"))
    assert "published #2 (Mon 16 Nov 2026 09:00 UTC): third-asked" in out
    assert field(posts(site)["third-asked.md"], "part") is None


def test_a_post_of_several_questions_is_titled_in_the_columns_language(tmp_path: Path) -> None:
    site = three_ready(new_site(tmp_path / "s", questions_per_post=2))
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("DEFAULT_LANG = 'fr'\n")
    ok(floor(site, "publish", today=MONDAY))
    assert field(posts(site)["first-asked.md"], "title") == "What about first asked? (et 1 autre)"


_LOADED = textwrap.dedent(
    """
    import sys
    from from_the_floor.cli import main
    try:
        main(sys.argv[1:], prog_name="floor")
    except SystemExit as exc:
        assert not exc.code, exc.code
    print(sorted({m.split(".")[0] for m in sys.modules} & {"babel", "subprocess", "slugify"}))
    """
)


@pytest.mark.parametrize("due", [True, False], ids=["a post", "nothing due"])
def test_a_publish_without_git_or_several_questions_loads_neither(tmp_path: Path, due: bool) -> None:
    """Babel (the column's language, for "(and 1 more)") and git's subprocess are loaded by
    the posts and the runs that use them, python-slugify only by retiring a column: the weekly
    job's own process starts sooner."""
    site = new_site(tmp_path / "s")
    add_question(site, "first-asked", asked="2026-10-01", answered=due)
    result = subprocess.run(
        [sys.executable, "-c", _LOADED, "--site", str(site), "publish"],
        capture_output=True,
        text=True,
        env=floor_env(MONDAY),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert ("published #1" if due else "nothing due") in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"


def test_a_publish_after_a_checkout_leaves_the_new_stats_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file's stat moved (a checkout, a restored cache) but no bytes: publish does not
    write the parse cache for that alone; the build after it records the stats (its questions'
    worker, once it has handed its parses back)."""
    from from_the_floor.core import parse_cache
    from from_the_floor.core import queue as queue_mod

    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    root = new_site(tmp_path / "s")
    for n in range(1, 4):
        add_question(root, f"asked-{n}", asked=f"2026-10-0{n}", answered=n == 1)
    site = Site(root)
    now = clock.parse_today(MONDAY, site.settings.timezone)
    publish_mod.publish(site, now)  # the first post
    queue_mod.load(site)  # (as the build after it): the cache holds every file
    cache = parse_cache.cache_file(site.root, site.settings.raw)
    before = cache.read_bytes()
    for path in [*root.glob("content/floor/*.md"), *root.glob("questions/*.md")]:
        path.write_bytes(path.read_bytes())
    result = publish_mod.publish(site, now)
    assert result.posts == [] and cache.read_bytes() == before, "nothing due, nothing written"


def test_the_title_pattern_and_quotes_in_questions(tmp_path: Path) -> None:
    site = new_site(tmp_path / "s", title="Q{number:03d} · {question}")
    add_question(site, "quoted", asked="2026-10-01", question='Is "yes: no" an answer?')
    ok(floor(site, "publish", today=MONDAY))
    text = posts(site)["quoted.md"]
    assert (
        'title: "Q001 · Is \\"yes: no\\" an answer?"' in text
        or "title: 'Q001 · Is \"yes: no\" an answer?'" in text
    )
    # the published file is still a valid post for every floor command
    ok(floor(site, "check", today=MONDAY))
    queue = json.loads(ok(floor(site, "queue", "--json", "--all", today=MONDAY)))
    assert [i["number"] for i in queue if i["status"] == "published"] == [1]


# --- the plan is the contract ------------------------------------------------------------


@pytest.mark.parametrize("catch_up", ["one", "all"])
def test_publishing_at_each_plan_date_publishes_exactly_that_entry(tmp_path: Path, catch_up: str) -> None:
    site = new_site(
        tmp_path / "s",
        timezone="America/New_York",
        publish_weekday="sunday",
        publish_time="01:30",  # 1 November 2026 01:30 happens twice in New York
        start="2026-10-18",
        catch_up=catch_up,
        skip_dates=["2026-10-22"],  # a Thursday: its ISO week ends with Sunday 25 October
    )
    for i in range(4):
        add_question(site, f"q{i}", asked=f"2026-09-0{i + 1}")
    add_question(site, "pinned", asked="2026-09-20", pin="2026-11-08")
    plan = json.loads(ok(floor(site, "schedule", "--json", today="2026-10-01")))
    assert plan["last_post"] == plan["plan"][-1]["date"]
    assert [e["date"] for e in plan["plan"]] == [
        "2026-10-18T01:30:00-04:00",
        "2026-11-01T01:30:00-04:00",  # 25 October is skipped; the first 01:30 of 1 November
        "2026-11-08T01:30:00-05:00",
        "2026-11-15T01:30:00-05:00",
        "2026-11-22T01:30:00-05:00",
    ]
    assert [e["questions"] for e in plan["plan"]][2] == ["pinned"]
    for number, entry in enumerate(plan["plan"], start=1):
        out = ok(floor(site, "publish", today=entry["date"]))
        said_date = said(entry["date"], site)
        assert out.splitlines()[0] == f"published #{number} ({said_date}): {entry['questions'][0]}"
        assert field(posts(site)[f"{entry['questions'][0]}.md"], "date") == entry["date"]
        assert "nothing due" in ok(floor(site, "publish", today=entry["date"]))


def test_a_run_at_any_now_publishes_exactly_the_due_entries_of_the_plan(tmp_path: Path) -> None:
    template = three_ready(new_site(tmp_path / "template", catch_up="all", start="2026-11-02"))
    for i, now in enumerate(
        ["2026-11-01", "2026-11-02T09:00:00Z", "2026-11-12T08:00:00-05:00", "2026-12-31"]
    ):
        site = shutil.copytree(template, tmp_path / f"run{i}")
        plan = json.loads(ok(floor(site, "schedule", "--json", today=now)))
        moment = clock.parse_today(now, Site(site).settings.timezone)
        due = [e for e in plan["plan"] if clock.parse_today(e["date"], moment.tzinfo) <= moment]
        out = ok(floor(site, "publish", today=now))
        published = [line for line in out.splitlines() if line.startswith("published")]
        expected = [
            f"published #{n} ({said(e['date'], site)}): {', '.join(e['questions'])}"
            for n, e in enumerate(due, 1)
        ]
        assert published == expected
        assert sorted(posts(site)) == sorted(f"{q}.md" for e in due for q in e["questions"])


def test_the_demo_site_continues_its_numbering(tmp_path: Path) -> None:
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "output", ".cache", "tests", "*.egg-info", "node_modules"
    )
    repo = Path(__file__).resolve().parents[2]
    site = Path(shutil.copytree(repo, tmp_path / "demo", ignore=ignore))
    plan = json.loads(ok(floor(site, "schedule", "--json", today="2026-11-30")))
    first = plan["plan"][0]
    out = ok(floor(site, "publish", today="2026-11-30"))
    said_first = said(first["date"], site)
    assert out.splitlines()[0] == f"published #5 ({said_first}): {first['questions'][0]}"


# --- two at once -------------------------------------------------------------------------

# The real CLI, with every journal step slowed down: the first run holds the lock
# long enough that the second one surely starts while it is publishing.
SLOW_FLOOR = textwrap.dedent(
    """
    import sys, time
    from from_the_floor.core import journal
    real_commit = journal.commit
    def slow_commit(site, change, *, hook=None):
        return real_commit(site, change, hook=lambda step: time.sleep(0.15))
    journal.commit = slow_commit
    from from_the_floor.cli import main
    main(prog_name="floor")
    """
)


def test_two_concurrent_publishes_never_double_publish(tmp_path: Path) -> None:
    template = three_ready(new_site(tmp_path / "template", catch_up="all", start="2026-11-02"))
    clean = Path(shutil.copytree(template, tmp_path / "clean"))
    ok(floor(clean, "publish", today="2026-11-16"))
    expected = snapshot(clean)
    for attempt in range(2):
        site = Path(shutil.copytree(template, tmp_path / f"race{attempt}"))
        command = [sys.executable, "-c", SLOW_FLOOR, "--site", str(site), "publish"]
        runs = [
            subprocess.Popen(
                command if n == 0 or attempt == 0 else [*FLOOR, "--site", str(site), "publish"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=floor_env("2026-11-16"),
            )
            for n in range(2)
        ]
        outs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outs
        published = [out for out, _ in outs if "published #" in out]
        assert len(published) == 1, outs
        assert published[0].count("published #") == 3  # catch-up "all": each missed slot, once
        assert sum("nothing due" in out for out, _ in outs) == 1, outs
        assert snapshot(site) == expected


# --- interrupted at every step -------------------------------------------------------------

KILLER = textwrap.dedent(
    """
    import os, sys
    from from_the_floor.core import clock, publish
    from from_the_floor.core.site import Site

    site_dir, mode, target, today = sys.argv[1:5]
    site = Site(site_dir)
    if mode == "replace":  # die inside an atomic write, just before its rename
        real_replace, calls = os.replace, []
        def dying_replace(src, dst, *args, **kwargs):
            calls.append(dst)
            if len(calls) == int(target):
                os._exit(9)
            return real_replace(src, dst, *args, **kwargs)
        os.replace = dying_replace
        hook = None
    else:
        def hook(step):
            if step == target:
                if mode == "exit":
                    os._exit(9)  # like kill -9: no cleanup, no finally
                raise KeyboardInterrupt(step)  # like Ctrl-C: finally blocks run
    publish.publish(site, clock.parse_today(today, site.settings.timezone), hook=hook)
    """
)
NOW = "2026-11-17"  # catch-up "all": the slots of 9 and 16 November are both due


@pytest.fixture(scope="module")
def interrupted_template(tmp_path_factory) -> tuple[Path, dict[str, bytes], dict[str, bytes], list[str]]:
    """A site, its tree before, its tree after a clean publish, and the publish's steps."""
    root = tmp_path_factory.mktemp("interrupt")
    template = new_site(root / "template", catch_up="all", start="2026-11-09", questions_per_post=1)
    three_ready(template)
    before = snapshot(template)
    clean = Path(shutil.copytree(template, root / "clean"))
    steps: list[str] = []
    site = Site(clean)
    publish_mod.publish(site, clock.parse_today(NOW, site.settings.timezone), hook=steps.append)
    after = snapshot(clean)
    assert steps[0] == "start" and steps[1] == "journal" and steps[-1] == "done"
    assert len([s for s in steps if s.startswith(("write:", "remove:"))]) == 4
    return template, before, after, steps


def kill(site: Path, mode: str, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", KILLER, str(site), mode, target, NOW],
        capture_output=True,
        text=True,
        env=floor_env(),
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("mode", ["exit", "interrupt"])
def test_a_publish_killed_at_any_step_leaves_the_site_before_or_after(
    tmp_path: Path, interrupted_template, mode: str
) -> None:
    template, before, after, steps = interrupted_template
    for index, step in enumerate(steps):
        site = Path(shutil.copytree(template, tmp_path / f"{mode}-{index}"))
        died = kill(site, mode, step)
        assert died.returncode != 0, (step, died.stdout, died.stderr)
        tree = snapshot(site)
        if step == "start":
            assert tree == before, step  # the journal never landed: exactly as before
        elif step == "done":
            assert tree == after, step  # the journal is gone: the publish had finished
        else:
            assert ".floor-journal.json" in tree, step  # the change is recorded, so it will finish
        # any next floor command finishes (or had nothing to finish)
        ok(floor(site, "queue", today=NOW))
        assert snapshot(site) == (before if step == "start" else after), step
        # and the weekly job carries on from there to the same end
        ok(floor(site, "publish", today=NOW))
        assert snapshot(site) == after, step


def test_a_publish_killed_inside_an_atomic_write_is_recovered_and_cleaned(
    tmp_path: Path, interrupted_template
) -> None:
    template, before, after, _ = interrupted_template
    for call in (1, 2, 3):  # the journal, then each post file
        site = Path(shutil.copytree(template, tmp_path / f"replace-{call}"))
        assert kill(site, "replace", str(call)).returncode == 9
        if call == 1:  # died before the journal landed: as before (but for a temp file)
            temps = [n for n in snapshot(site) if n.endswith(".tmp")]
            assert temps and all(n.startswith("..floor-journal.json.") for n in temps)
            assert {k: v for k, v in snapshot(site).items() if k not in temps} == before
            ok(floor(site, "publish", today=NOW))  # the next publish cleans it and publishes
        else:
            assert any(n.startswith("content/floor/.") and n.endswith(".tmp") for n in snapshot(site))
            ok(floor(site, "schedule", today=NOW))  # recovery by any command
        assert snapshot(site) == after, call


def test_a_dry_run_does_not_finish_an_interrupted_publish(tmp_path: Path, interrupted_template) -> None:
    template, _, after, steps = interrupted_template
    site = Path(shutil.copytree(template, tmp_path / "pending"))
    kill(site, "exit", steps[3])
    pending = snapshot(site)
    out = ok(floor(site, "publish", "--dry-run", today=NOW))
    assert "interrupted publish is waiting" in out and "nothing was changed" in out
    assert snapshot(site) == pending
    out = ok(floor(site, "publish", today=NOW))
    assert "finished an interrupted publish first" in out and "nothing due" in out
    assert snapshot(site) == after


# --- --commit --------------------------------------------------------------------------------


def test_commit_makes_one_commit_naming_the_post(site: Path) -> None:
    git_init(site)
    out = ok(floor(site, "publish", "--commit", today=MONDAY))
    assert "committed: Publish What about first asked?" in out
    assert commits(site) == ["Publish What about first asked?", "Start the column"]
    changed = git(site, "show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(filter(None, changed)) == ["A\tcontent/floor/first-asked.md", "D\tquestions/first-asked.md"]
    assert git(site, "status", "--porcelain") == ""
    # a second run: nothing due, no commit
    assert "nothing due" in ok(floor(site, "publish", "--commit", today=MONDAY))
    assert len(commits(site)) == 2


def test_commit_leaves_the_authors_other_changes_alone(site: Path) -> None:
    git_init(site)
    (site / "content" / "pages" / "about.md").write_text("Title: About\n\nEdited, not committed.\n")
    add_question(site, "brand-new", asked="2026-01-01")  # never committed, and first in the queue
    ok(floor(site, "publish", "--commit", today=MONDAY))
    changed = git(site, "show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(filter(None, changed)) == ["A\tcontent/floor/brand-new.md"]
    assert git(site, "status", "--porcelain").split("\n")[0] == " M content/pages/about.md"


def test_commit_without_a_git_identity_uses_a_fallback(site: Path) -> None:
    git_init(site, identity=False)
    ok(floor(site, "publish", "--commit", today=MONDAY))
    author = git(site, "log", "-1", "--format=%an <%ae>")
    assert author.strip() == "From the Floor <floor-publish@localhost>"
    ok(floor(site, "publish", "--commit", today="2026-11-16", extra_env={"GITHUB_ACTIONS": "true"}))
    assert git(site, "log", "-1", "--format=%an").strip() == "github-actions[bot]"


def test_commit_outside_a_repository_refuses_before_publishing(site: Path) -> None:
    before = snapshot(site)
    result = floor(site, "publish", "--commit", today=MONDAY)
    assert result.returncode == 1 and "git repository" in result.stderr
    assert snapshot(site) == before


# --- an armed column's retirement check after publishing -------------------------------------


@pytest.mark.parametrize(
    ("ready", "reason"),
    [
        (2, "not every question is done: 1 ready (asked-2)"),
        (1, "the grace period after the last post ends Mon 23 Nov 2026 09:00 UTC"),
    ],
    ids=["one left", "the last one"],
)
def test_an_armed_columns_check_after_publishing_reads_the_queue_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ready: int, reason: str
) -> None:
    """The check sees the post just written (its date starts the grace period) and what is left,
    as reading the folders again would, without reading them (and the parse cache) again."""
    from from_the_floor.core import queue as queue_mod
    from from_the_floor.core import retire

    root = new_site(tmp_path / "s", auto_retire=True)
    for n in range(1, ready + 1):
        add_question(root, f"asked-{n}", asked=f"2026-10-0{n}")
    site = Site(root)
    loads = []
    real_load = queue_mod.load
    monkeypatch.setattr(queue_mod, "load", lambda *a, **k: loads.append(1) or real_load(*a, **k))
    now = clock.parse_today(MONDAY, site.settings.timezone)
    result = publish_mod.publish(site, now)
    assert [p.ids for p in result.posts] == [["asked-1"]]
    assert (result.auto_retire, result.auto_retired) == (reason, False)
    assert len(loads) == 1
    assert retire.auto_retire_if_due(Site(root), now).reason == reason  # what a fresh read decides
    assert len(loads) == 2
