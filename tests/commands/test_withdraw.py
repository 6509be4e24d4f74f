"""core/withdrawn.py: a published post taken down keeps its number, its week and its address,
and nothing of the reader stays in the site's files; a stopped run is finished by the next."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from from_the_floor.commands import withdraw as withdraw_cmd
from from_the_floor.core import clock, withdrawn
from from_the_floor.core import publish as publish_mod
from from_the_floor.core import queue as queue_mod
from from_the_floor.core import schedule as schedule_mod
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.web.withdrawn import notice_page
from helpers_publish import add_question, commits, git, git_init, new_site

TODAY = dt.date(2026, 11, 24)


def _published(tmp_path: Path, count: int = 2) -> Site:
    """A column with ``count`` weekly posts out (Mondays 9, 16 … November), one reader named."""
    root = new_site(tmp_path / "s")
    for n in range(1, count + 1):
        add_question(
            root,
            f"post-{n}",
            asked=f"2026-10-0{n}",
            question=f"Secret words of reader {n}?",
            asker=f"Reader{n}",
        )
    site = Site(root)
    for n in range(count):
        day = dt.date(2026, 11, 9) + dt.timedelta(weeks=n)
        publish_mod.publish(site, clock.parse_today(day.isoformat(), site.settings.timezone))
    assert len(list(site.posts_dir.glob("*.md"))) == count
    return site


def _withdraw(site: Site, post_id: str, note: str | None = None) -> withdraw_cmd.Done:
    return withdraw_cmd.withdraw(site, post_id, today=TODAY, note=note)


def test_the_latest_post_withdrawn_keeps_its_number_and_its_week(tmp_path: Path) -> None:
    site = _published(tmp_path)
    done = _withdraw(site, "post-2", note="At the reader's request.")
    assert done.lines[0].startswith("withdrew post #2 (post-2)")
    assert not (site.posts_dir / "post-2.md").exists()
    record = json.loads((site.root / withdrawn.STATE_FILE).read_text(encoding="utf-8"))
    assert record == {
        "posts": [
            {
                "slug": "post-2",
                "number": 2,
                "date": "2026-11-16T09:00:00+00:00",
                "withdrawn": "2026-11-24",
                "path": "/floor/post-2/",
                "note": "At the reader's request.",
            }
        ]
    }
    text = (site.root / withdrawn.STATE_FILE).read_text(encoding="utf-8")
    assert "Secret words" not in text and "Reader2" not in text
    # the week of the 16th had its post: on the 17th nothing is due yet
    add_question(site.root, "post-3", asked="2026-10-05")
    q = queue_mod.load(site)
    seventeenth = clock.parse_today("2026-11-17", site.settings.timezone)
    assert publish_mod.publish(site, seventeenth).posts == []
    plan = schedule_mod.make_plan(q.queued, site.settings, seventeenth, q.published)
    assert plan.due(seventeenth), "without the record the week would look missed"
    # … and the next post is #3, never a second #2
    result = publish_mod.publish(site, clock.parse_today("2026-11-23", site.settings.timezone))
    assert [p.number for p in result.posts] == [3]


def test_withdrawing_again_changes_nothing_and_a_stopped_run_is_finished(tmp_path: Path) -> None:
    site = _published(tmp_path)
    _withdraw(site, "post-1")
    record = (site.root / withdrawn.STATE_FILE).read_bytes()
    again = _withdraw(site, "post-1", note="another note")
    assert "nothing changed" in again.lines[0]
    assert (site.root / withdrawn.STATE_FILE).read_bytes() == record, "the first note stays"
    # a run stopped after writing the record, before deleting the file: the post is back
    (site.posts_dir / "post-1.md").write_text("---\nquestion: stale\n---\n", encoding="utf-8")
    readers = site.questions_dir / "readers" / "post-1.jsonl"
    readers.parent.mkdir(parents=True, exist_ok=True)
    readers.write_text("{}\n", encoding="utf-8")
    finished = _withdraw(site, "post-1")
    assert "finished what an earlier run left" in finished.lines[0]
    assert not (site.posts_dir / "post-1.md").exists() and not readers.exists()
    assert (site.root / withdrawn.STATE_FILE).read_bytes() == record


def test_a_post_file_that_is_a_link_loses_the_link_and_the_author_is_told_where_it_led(
    tmp_path: Path,
) -> None:
    """The kit never deletes a file it reaches through a link (outside the site, or another
    post's); the author hears where the reader's words may still be, instead of 'removed'."""
    site = _published(tmp_path)
    elsewhere = tmp_path / "drafts" / "kept.md"
    elsewhere.parent.mkdir()
    post = site.posts_dir / "post-1.md"
    elsewhere.write_bytes(post.read_bytes())
    post.unlink()
    post.symlink_to(elsewhere)
    done = _withdraw(site, "post-1")
    assert not post.is_symlink() and not post.exists()
    assert "Secret words of reader 1" in elsewhere.read_text(encoding="utf-8")
    warned = [line for line in done.lines if line.startswith("warning:")]
    assert len(warned) == 1 and str(elsewhere.resolve()) in warned[0]
    assert "removed content/floor/post-1.md" in done.lines
    # a plain file: no warning
    assert not [line for line in _withdraw(site, "post-2").lines if line.startswith("warning:")]


def test_a_run_stopped_before_its_commit_is_committed_whole_by_the_next(tmp_path: Path) -> None:
    site = _published(tmp_path)
    git_init(site.root)
    _withdraw(site, "post-2")  # as a `--commit` run stopped after its files, before git
    again = withdraw_cmd.withdraw(site, "post-2", today=TODAY, commit=True)
    assert again.committed == "Withdraw post #2" and commits(site.root)[0] == "Withdraw post #2"
    assert "nothing changed" not in again.lines[0] and "an earlier run left it uncommitted" in again.lines[0]
    head = git(site.root, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert "withdrawn.json" in head and "content/floor/post-2.md" not in head
    assert git(site.root, "status", "--porcelain") == ""


def test_push_takes_the_record_with_the_deleted_post(tmp_path: Path) -> None:
    """The desk's Push (floor push) commits the column's folders: the record goes with them, or the
    weekly job would build the deletion without its notice and give the number again."""
    from from_the_floor.commands import push
    from from_the_floor.services import gitops

    site = _published(tmp_path)
    git_init(site.root)
    _withdraw(site, "post-2")
    changes = gitops.column_changes(site)
    assert sorted(c.path for c in changes) == ["content/floor/post-2.md", "withdrawn.json"]
    assert push.subject_for(site, changes)[0] == "Save the column's posts"


def test_the_desk_and_floor_answer_say_a_withdrawn_post_is_gone(tmp_path: Path) -> None:
    from from_the_floor.commands import questions

    site = _published(tmp_path)
    _withdraw(site, "post-2")
    with pytest.raises(FloorError, match=r"post #2 \(post-2\) was withdrawn on Tue 24 Nov 2026"):
        questions.find(site, "post-2")
    with pytest.raises(FloorError, match="no question with id 'post-9'"):
        questions.find(site, "post-9")


def test_what_is_refused_changes_nothing(tmp_path: Path) -> None:
    site = _published(tmp_path)
    add_question(site.root, "waiting", asked="2026-11-01")
    for post_id, note, problem in [
        ("waiting", None, "is a question in the queue"),
        ("nope", None, "no published post has the id 'nope'"),
        ("post-1", "Reader1 asked me to", "names the reader"),
        ("post-1", "write to me at a@example.org", "holds an email address"),
        ("post-1", "x" * 201, "under 200"),
        # as the notice's reader reads it: defanged, spelled out, spaced, look-alike letters,
        # an invisible character inside the name, a phone number, a terminal's escape
        ("post-1", "write to reader1(at)example(dot)org", "holds an email address"),
        ("post-1", "write to reader1 at example dot org", "holds an email address"),
        ("post-1", "write to reader1 @ example . org", "holds an email address"),
        ("post-1", "READER1 asked", "names the reader"),
        ("post-1", "Rеader1 asked", "names the reader"),  # a Cyrillic е
        ("post-1", "Rea\u00adder1 asked", "names the reader"),  # a soft hyphen
        ("post-1", "call +64 21 555 1234", "phone number"),
        ("post-1", "gone\x1b[2J", "control character U\\+001B"),
        ("post-1", "\u202eAt the reader's request", "control character U\\+202E"),
    ]:
        with pytest.raises(FloorError, match=problem):
            _withdraw(site, post_id, note)
    with pytest.raises(FloorError, match=r"2026-11-08 is before post #1 was published \(2026-11-09\)"):
        withdraw_cmd.withdraw(site, "post-1", today=dt.date(2026, 11, 8))  # FLOOR_TODAY left set
    assert not (site.root / withdrawn.STATE_FILE).exists()
    assert (site.posts_dir / "post-1.md").exists()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("not json", None),
        ('{"posts": {}}', "posts"),
        ('{"posts": [{"slug": "a", "number": 0}]}', "posts[0].number"),
        (
            '{"posts": [{"slug": "a", "number": 1, "date": "2026-11-16T09:00:00", '
            '"withdrawn": "2026-11-20", "path": "/a/"}]}',
            "posts[0].date",
        ),
        (
            '{"posts": [{"slug": "a", "number": 1, "date": "2026-11-16T09:00:00+00:00", '
            '"withdrawn": "2026-11-20", "path": "/../etc/"}]}',
            "posts[0].path",
        ),
        (  # a slug left out is damage, not an address forgotten (that is written "slug": null)
            '{"posts": [{"number": 1, "date": "2026-11-16T09:00:00+00:00", '
            '"withdrawn": "2026-11-20", "path": "/a/"}]}',
            "posts[0].slug",
        ),
        (  # a slug that is a path: a re-run would delete content/floor/../../x.md
            '{"posts": [{"slug": "../../x", "number": 1, "date": "2026-11-16T09:00:00+00:00", '
            '"withdrawn": "2026-11-20", "path": "/a/"}]}',
            "posts[0].slug",
        ),
        (
            '{"posts": [{"slug": "a\\n", "number": 1, "date": "2026-11-16T09:00:00+00:00", '
            '"withdrawn": "2026-11-20", "path": "/a/"}]}',
            "posts[0].slug",
        ),
        (
            '{"posts": [{"slug": "a", "number": 1, "date": "2026-11-16T09:00:00+00:00", '
            '"withdrawn": "2026-11-20", "path": "/a/\\n"}]}',
            "posts[0].path",
        ),
        (
            '{"posts": [{"slug": "a", "number": 1, "date": "2026-11-16T09:00:00+00:00", '
            '"withdrawn": "2026-13-20", "path": "/a/"}]}',
            "posts[0].withdrawn",
        ),
        (  # one post recorded twice
            '{"posts": [{"slug": "a", "number": 1, "date": "2026-11-16T09:00:00+00:00", '
            '"withdrawn": "2026-11-20", "path": "/a/"}, {"slug": null, "number": 1, '
            '"date": "2026-11-16T09:00:00+00:00", "withdrawn": "2026-11-21", "path": null}]}',
            "posts[1].number",
        ),
        (  # forgotten, yet an address kept
            '{"posts": [{"slug": null, "number": 1, "date": "2026-11-16T09:00:00+00:00", '
            '"withdrawn": "2026-11-20", "path": "/a/"}]}',
            "posts[0].path",
        ),
    ],
)
def test_a_damaged_record_is_an_error_naming_the_field(tmp_path: Path, text: str, field: str | None) -> None:
    site = _published(tmp_path, 1)
    (site.root / withdrawn.STATE_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(FloorError) as caught:
        withdrawn.read(site.root)
    assert caught.value.field == field
    errors, _ = withdrawn.check_report(site, queue_mod.load(site).published)
    assert errors and errors[0].path == site.root / withdrawn.STATE_FILE
    with pytest.raises(FloorError):  # publishing never guesses the numbers
        publish_mod.publish(site, clock.parse_today("2026-11-30", site.settings.timezone))


def test_a_slug_edited_into_a_path_never_deletes_a_file_outside_the_site(tmp_path: Path) -> None:
    site = _published(tmp_path, 2)
    _withdraw(site, "post-2")
    victim = tmp_path / "victim.md"  # content/floor/../../../victim.md from the site's root
    victim.write_text("not the site's", encoding="utf-8")
    record = site.root / withdrawn.STATE_FILE
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('"post-2"', '"../../../victim"'), encoding="utf-8")
    with pytest.raises(FloorError) as caught:
        _withdraw(site, "../../../victim")
    assert (caught.value.path, caught.value.field) == (record, "posts[0].slug")
    assert victim.exists()


def test_a_stopped_run_on_a_post_whose_address_is_not_its_file_name_is_finished_once(tmp_path: Path) -> None:
    """A post's `slug:` may give it an address other than its file's name: the record keeps the
    address, and a re-run finds it by the number instead of recording the post a second time."""
    site = _published(tmp_path, 2)
    path = site.posts_dir / "post-1.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("slug: post-1", "slug: trowels"), encoding="utf-8")
    kept = path.read_bytes()
    _withdraw(site, "post-1")
    assert [(w.slug, w.path) for w in withdrawn.read(site.root)] == [("trowels", "/floor/trowels/")]
    path.write_bytes(kept)  # as if the run had stopped before the file went
    _, warnings = withdrawn.check_report(site, queue_mod.load(site).published)
    assert [w.problem for w in warnings] == [
        "post #1 is withdrawn but its file is still here: run `floor withdraw post-1` again to finish"
    ]
    again = _withdraw(site, "post-1")
    assert "finished what an earlier run left" in again.lines[0]
    assert not path.exists()
    assert [w.number for w in withdrawn.read(site.root)] == [1]
    # and a forgetting re-run forgets the address it finds that way
    path.write_bytes(kept)
    withdraw_cmd.withdraw(site, "post-1", today=TODAY, forget_address=True)
    assert [(w.number, w.slug, w.path) for w in withdrawn.read(site.root)] == [(1, None, None)]
    assert not path.exists()


def test_check_warns_of_a_note_edited_by_hand_that_withdraw_would_refuse(tmp_path: Path) -> None:
    site = _published(tmp_path, 2)
    _withdraw(site, "post-2", note="At the reader's request.")
    record = site.root / withdrawn.STATE_FILE
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("At the reader's request.", "ask me: ann(at)example(dot)org"))
    _, warnings = withdrawn.check_report(site, queue_mod.load(site).published)
    assert [(w.problem, w.path) for w in warnings] == [
        ("the note of post #2 holds an email address; the note is public; edit it in withdrawn.json", record)
    ]


def test_a_slug_in_folders_is_recorded_and_read_back_and_one_leading_out_is_refused(tmp_path: Path) -> None:
    site = _published(tmp_path, 2)
    for post_id, slug in [("post-1", "2024/trowels"), ("post-2", "../trowels")]:
        path = site.posts_dir / f"{post_id}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"slug: {post_id}", f"slug: {slug}"), encoding="utf-8")
    _withdraw(site, "post-1")
    assert [(w.slug, w.path) for w in withdrawn.read(site.root)] == [("2024/trowels", "/floor/2024/trowels/")]
    with pytest.raises(FloorError) as caught:
        _withdraw(site, "post-2")
    assert (caught.value.path, caught.value.field) == (site.posts_dir / "post-2.md", "slug")
    assert [w.number for w in withdrawn.read(site.root)] == [1]
    assert (site.posts_dir / "post-2.md").exists()


def test_check_warns_of_a_post_deleted_by_hand(tmp_path: Path) -> None:
    site = _published(tmp_path, 3)
    (site.posts_dir / "post-2.md").unlink()
    _, warnings = withdrawn.check_report(site, queue_mod.load(site).published)
    assert [w.problem.split(",")[0] for w in warnings] == ["no post file has number #2"]
    _withdraw(site, "post-3")
    _, warnings = withdrawn.check_report(site, queue_mod.load(site).published)
    assert len(warnings) == 1, "#3 is withdrawn, #2 still unexplained"


def test_floor_check_warns_of_the_latest_post_deleted_by_hand_and_not_of_a_withdrawn_one(
    tmp_path: Path,
) -> None:
    """The number check cannot see the latest post gone; the last commit can."""
    from from_the_floor.commands import report

    site = _published(tmp_path, 3)
    git_init(site.root)
    now = clock.parse_today("2026-11-25", site.settings.timezone)
    (site.posts_dir / "post-3.md").unlink()
    said = [w["problem"] for w in report.check(site, now, str.lower)["warnings"]]
    assert len(said) == 1 and said[0].startswith("a published post the last commit holds is deleted")
    assert "floor withdraw post-3" in said[0]
    git(site.root, "checkout", "--", "content/floor/post-3.md")
    _withdraw(site, "post-3")
    result = report.check(site, now, str.lower)
    assert result["ok"] and result["warnings"] == []
    # withdrawn with its address forgotten (or at an address its `slug:` gives), not yet committed:
    # no slug in the record matches the file's name, and the advice to restore it would be wrong
    for post_id, forget, slug in [("post-2", True, None), ("post-1", False, "trowels")]:
        if slug:
            path = site.posts_dir / f"{post_id}.md"
            path.write_text(path.read_text(encoding="utf-8").replace(f"slug: {post_id}", f"slug: {slug}"))
            git(site.root, "commit", "-qam", "address")
        withdraw_cmd.withdraw(site, post_id, today=TODAY, forget_address=forget)
        result = report.check(site, now, str.lower)
        assert result["ok"] and result["warnings"] == [], post_id


def test_a_new_question_never_takes_a_withdrawn_address(tmp_path: Path) -> None:
    from from_the_floor.intake import intake

    site = _published(tmp_path, 1)
    _withdraw(site, "post-1")
    qid = intake.add(site, intake.NewQuestion(question="Post 1", asked=TODAY))
    assert qid != "post-1"


def test_the_notice_names_the_post_by_number_and_escapes_the_note() -> None:
    page = notice_page(
        label="Ask <Me> #2",
        published="16 November 2026",
        withdrawn="24 November 2026",
        note="<script>x</script>",
        sitename="Ask & co",
        home="https://example.org/",
        lang="fr",
    )
    assert '<meta name="robots" content="noindex">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Ask &lt;Me&gt; #2" in page and "Ask &amp; co" in page
    assert '<html lang="fr">' in page and "Cette réponse a été retirée" in page


def test_a_blog_without_cache_path_has_pelicans_cache_folder_emptied_too(tmp_path: Path) -> None:
    """A pelican-quickstart blog sets no CACHE_PATH: Pelican's default (``cache``) is where the
    build keeps its memos of each post, the withdrawn one's words included."""
    site = _published(tmp_path)
    conf = site.root / "pelicanconf.py"
    lines = conf.read_text(encoding="utf-8").splitlines()
    conf.write_text("\n".join(x for x in lines if not x.startswith("CACHE_PATH")) + "\n", encoding="utf-8")
    site = Site(site.root)
    assert "CACHE_PATH" not in site.settings.raw
    memo = site.root / "cache" / "floor-memo" / "answer-text.1.json"
    memo.parent.mkdir(parents=True)
    memo.write_text('{"post-2": "Secret words of reader 2? Reader2"}', encoding="utf-8")
    (site.root / ".cache").mkdir(exist_ok=True)
    done = _withdraw(site, "post-2")
    assert any("emptied the build's cache folder" in line for line in done.lines)
    assert not (site.root / "cache").exists() and not (site.root / ".cache").exists()


def test_a_killed_builds_staging_folder_goes_with_the_cache(tmp_path: Path) -> None:
    """A build killed part-way leaves its staging folder beside output/, the post's page in it."""
    import subprocess

    site = _published(tmp_path)
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = site.root / f".output.staging-{dead.pid}.tmp" / "floor" / "post-2" / "index.html"
    left.parent.mkdir(parents=True)
    left.write_text("<h1>Secret words of reader 2?</h1>", encoding="utf-8")
    done = _withdraw(site, "post-2")
    assert any("emptied the build's cache folder" in line for line in done.lines)
    assert not left.exists() and not left.parents[2].exists()


def test_a_run_stopped_at_the_cache_leaves_it_for_the_re_run_to_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C as the cache folder is emptied: the re-run must not find the post gone and say
    "nothing changed" while the cache still holds the reader's words."""
    site = _published(tmp_path)
    memo = site.root / ".cache" / "floor-questions.json"
    memo.parent.mkdir(exist_ok=True)
    memo.write_text('{"post-2": "Secret words of reader 2? Reader2"}', encoding="utf-8")
    real = withdrawn.clear_caches

    def stopped(_site: Site) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(withdrawn, "clear_caches", stopped)
    with pytest.raises(KeyboardInterrupt):
        _withdraw(site, "post-2")
    monkeypatch.setattr(withdrawn, "clear_caches", real)
    again = _withdraw(site, "post-2")
    assert "finished what an earlier run left" in again.lines[0]
    assert not memo.exists() and not (site.posts_dir / "post-2.md").exists()


def test_an_address_forgotten_keeps_nothing_that_leads_to_it(tmp_path: Path) -> None:
    """--forget-address: the slug (the question's words) is not kept, so no notice is written and
    nothing reserves the address; the number and the week still count."""
    site = _published(tmp_path, 3)
    kept = (site.posts_dir / "post-2.md").read_bytes()
    done = withdraw_cmd.withdraw(site, "post-2", today=TODAY, forget_address=True)
    assert done.lines[0] == "withdrew post #2; withdrawn.json records it"
    assert any("answers 'not found'" in line for line in done.lines)
    text = (site.root / withdrawn.STATE_FILE).read_text(encoding="utf-8")
    assert "post-2" not in text
    [entry] = withdrawn.read(site.root)
    assert (entry.slug, entry.path, entry.number) == (None, None, 2)
    assert withdrawn.taken_slugs(site.root) == set()
    _, warnings = withdrawn.check_report(site, queue_mod.load(site).published)
    assert warnings == []  # #2 is explained by the record
    # a forgetting run stopped before the files went: found by its number, finished by a re-run
    (site.posts_dir / "post-2.md").write_bytes(kept)
    _, warnings = withdrawn.check_report(site, queue_mod.load(site).published)
    assert [w.problem for w in warnings] == [
        "post #2 is withdrawn but its file is still here: run `floor withdraw post-2` again to finish"
    ]
    finished = withdraw_cmd.withdraw(site, "post-2", today=TODAY)
    assert "finished what an earlier run left" in finished.lines[0]
    assert not (site.posts_dir / "post-2.md").exists()
    with pytest.raises(FloorError, match="keeps nothing of its id"):
        withdraw_cmd.withdraw(site, "post-2", today=TODAY)


def test_forget_address_run_again_says_there_is_nothing_to_do(tmp_path: Path) -> None:
    """The same `--forget-address` command run twice: the second finds nothing with the id and
    succeeds (scripts and the weekly job go by the exit code), naming the forgotten posts by number
    only; a readers file a stopped run left under the id is finished off and committed."""
    site = _published(tmp_path, 3)
    git_init(site.root)
    first = withdraw_cmd.withdraw(site, "post-2", today=TODAY, forget_address=True, commit=True)
    assert first.committed == "Withdraw post #2"
    record = (site.root / withdrawn.STATE_FILE).read_bytes()
    again = withdraw_cmd.withdraw(site, "post-2", today=TODAY, forget_address=True, commit=True)
    assert again.lines[0] == "no post, notice or question has the id 'post-2': nothing to do"
    assert "keeps no address for post #2 (withdrawn with --forget-address)" in again.lines[1]
    assert again.committed is None and again.lines[-1] == "nothing to commit"
    assert (site.root / withdrawn.STATE_FILE).read_bytes() == record
    assert git(site.root, "status", "--porcelain") == ""
    # a run stopped after the post file went, before the readers file did (and before git)
    readers = site.questions_dir / "readers" / "post-3.jsonl"
    withdraw_cmd.withdraw(site, "post-3", today=TODAY, forget_address=True)
    readers.parent.mkdir(exist_ok=True)
    readers.write_text('{"asker": "Reader3"}\n', encoding="utf-8")
    finished = withdraw_cmd.withdraw(site, "post-3", today=TODAY, forget_address=True, commit=True)
    assert finished.lines[:2] == [
        "no post has the id 'post-3' now; finished what an earlier run left under that id",
        "removed questions/readers/post-3.jsonl",
    ]
    # (on a loaded machine the parse cache has been written by then, which adds a line before it
    # saying the cache folder was emptied: the queue caches a file only once it is not racy)
    assert any("posts #2 and #3" in line and "one of them" in line for line in finished.lines[2:])
    assert not readers.exists() and finished.committed == withdraw_cmd.FORGOTTEN_SUBJECT
    head = git(site.root, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert "content/floor/post-3.md" not in head and git(site.root, "status", "--porcelain") == ""


def test_an_unknown_id_is_still_refused_where_nothing_explains_it(tmp_path: Path) -> None:
    """Without a forgotten address in the record, or without --forget-address, an id nothing has
    is an error as before; an id that is not a plain file name never reaches the file system."""
    site = _published(tmp_path, 2)
    with pytest.raises(FloorError, match="no published post has the id 'post-9'"):
        withdraw_cmd.withdraw(site, "post-9", today=TODAY, forget_address=True)
    withdraw_cmd.withdraw(site, "post-2", today=TODAY, forget_address=True)
    with pytest.raises(FloorError, match="keeps nothing of its id"):
        withdraw_cmd.withdraw(site, "post-2", today=TODAY)
    outside = site.root / "questions" / "readers" / "keep.jsonl"
    outside.parent.mkdir(exist_ok=True)
    outside.write_text("{}\n", encoding="utf-8")
    for bad in ("../readers/keep", "readers/keep", ".keep", "post-2\n"):
        with pytest.raises(FloorError, match="no published post has the id"):
            withdraw_cmd.withdraw(site, bad, today=TODAY, forget_address=True)
    assert outside.exists()


def test_a_withdrawal_with_a_notice_can_forget_its_address_later(tmp_path: Path) -> None:
    site = _published(tmp_path, 2)
    _withdraw(site, "post-1", note="At the reader's request.")
    assert withdrawn.read(site.root)[0].path == "/floor/post-1/"
    done = withdraw_cmd.withdraw(site, "post-1", today=TODAY, forget_address=True)
    assert "its address is now forgotten too" in done.lines[0]
    [entry] = withdrawn.read(site.root)
    assert (entry.slug, entry.path, entry.old_addresses, entry.note) == (
        None,
        None,
        (),
        "At the reader's request.",
    )


def test_the_note_is_checked_against_the_readers_kept_apart_too() -> None:
    """A post 600 readers asked keeps most of them in its readers file, not its front matter."""
    with pytest.raises(FloorError, match="names the reader"):
        withdrawn.check_note("Mallory asked for it", None, ["Mallory"])
    said = withdrawn.check_note("  At the reader's\n request. ", None, ["Mallory"])
    assert said == "At the reader's request."


def test_stats_forecast_numbers_the_next_post_after_a_withdrawn_latest_one(tmp_path: Path) -> None:
    """`floor stats` (and the Stats page, the desk) forecast the last planned post's number: after
    the latest post (#2) is withdrawn, the next goes out as #3, as `floor publish` numbers it."""
    from helpers_floor import ok, run_floor

    site = _published(tmp_path, 2)
    _withdraw(site, "post-2")
    add_question(site.root, "next-one", asked="2026-11-20")
    data = json.loads(ok(run_floor("stats", "--json", site=site.root, today="2026-11-24")))
    assert data["last_number"] == 3
    # one post counted while the numbers reach #2: the count says which number is missing and why
    assert (data["posts"], data["withdrawn"]) == (1, [2])
    said = ok(run_floor("stats", site=site.root, today="2026-11-24"))
    assert "1 (in 1 post); #2 withdrawn, not counted" in said
    published = publish_mod.publish(site, clock.parse_today("2026-11-30", site.settings.timezone))
    assert [p.number for p in published.posts] == [3]


def test_a_build_running_while_a_post_is_withdrawn_empties_the_caches_it_filled(tmp_path: Path) -> None:
    """The build reads the post before `floor withdraw` deletes it, and writes its caches after the
    withdrawal emptied them: the reader's words would stay in .cache/ until the next withdrawal."""
    from from_the_floor.pelican_plugin import build as build_mod
    from pelican import signals

    site = _published(tmp_path, 2)
    build_mod.build(site, jobs=1, today="2026-11-24")

    def withdraw_meanwhile(_generator: object) -> None:  # after the posts are read, before the caches
        if (site.posts_dir / "post-2.md").exists():
            _withdraw(site, "post-2")

    (site.posts_dir / "post-1.md").write_text(  # something to build
        (site.posts_dir / "post-1.md").read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8"
    )
    signals.article_generator_pretaxonomy.connect(withdraw_meanwhile)
    try:
        counts = build_mod.build(site, jobs=1, today="2026-11-24")
    finally:
        signals.article_generator_pretaxonomy.disconnect(withdraw_meanwhile)
    assert not (site.posts_dir / "post-2.md").exists()
    assert counts.withdrawn_meanwhile and "build again" in counts.describe()
    for path in site.root.rglob("*"):
        if path.is_file() and path.relative_to(site.root).parts[0] not in (".git", "output"):
            assert b"Secret words of reader 2" not in path.read_bytes(), path
    again = build_mod.build(site, jobs=1, today="2026-11-24")
    assert not again.withdrawn_meanwhile
    for path in site.root.rglob("*"):
        if path.is_file() and path.relative_to(site.root).parts[0] != ".git":
            assert b"Secret words of reader 2" not in path.read_bytes(), path


def test_a_killed_notify_runs_lines_for_the_post_go_with_it(tmp_path: Path) -> None:
    """.floor-told.jsonl (a `floor notify` killed before it folded) names posts by id: with the
    address forgotten, nothing else on the site may still hold that id."""
    from from_the_floor.core import told

    site = _published(tmp_path, 2)
    journal_file = told.path_for(site)
    lines = [
        json.dumps({"post": post_id, "entry": None, "who": None, "at": "2026-11-20T10:00:00+00:00"})
        for post_id in ("post-1", "post-2")
    ]
    journal_file.write_text("\n".join(lines) + "\n" + '{"post": "post-2", "ent', encoding="utf-8")
    withdraw_cmd.withdraw(site, "post-2", today=TODAY, forget_address=True)
    assert journal_file.read_text(encoding="utf-8") == lines[0] + "\n"
    assert [t.post for t in told.read(site)] == ["post-1"]
    withdraw_cmd.withdraw(site, "post-1", today=TODAY, forget_address=True)
    assert not journal_file.exists()


def test_a_copy_of_the_site_that_cannot_be_deleted_is_an_error_not_emptied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last build's copy of output/ beside it holds the post's page: removed quietly (a folder
    it could not delete left as it was), the command still said the cache was emptied."""
    from from_the_floor.core import staging

    site = _published(tmp_path)
    kept = site.root / ".output.spare.tmp" / "floor" / "post-2" / "index.html"
    kept.parent.mkdir(parents=True)
    kept.write_text("<h1>Secret words of reader 2?</h1>", encoding="utf-8")
    real = staging.shutil.rmtree

    def refused(path, ignore_errors: bool = False, **kwargs) -> None:  # as on a folder another user owns
        if not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(staging.shutil, "rmtree", refused)
    with pytest.raises(FloorError) as err:
        _withdraw(site, "post-2")
    assert ".output.spare.tmp" in err.value.message and "delete the folder" in err.value.message
    assert kept.exists()
    monkeypatch.setattr(staging.shutil, "rmtree", real)
    again = _withdraw(site, "post-2")
    assert "finished what an earlier run left" in again.lines[0]
    assert not kept.exists() and not (site.posts_dir / "post-2.md").exists()
