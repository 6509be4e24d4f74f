"""`floor check` reads well at any size: a problem many files share is shown once with a count,
the last line sums up, and what it says about git is what git says."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from from_the_floor.commands import report
from helpers_floor import fails_cleanly, floor_env, ok, question_text, run_floor, write_question


def _plain(site: Path, n: int) -> None:
    for i in range(n):
        write_question(site, f"q-{i:02d}", question_text(f"Question {i}?", contact=f"r{i}@example.org"))


def test_a_problem_many_files_share_is_shown_once_with_a_count() -> None:
    same = [{"file": f"q{i}.md", "field": "contact", "problem": "plain"} for i in range(8)]
    other = {"file": "odd.md", "field": "tags", "problem": "alike"}
    lines = report.problem_lines([*same[:4], other, *same[4:]], "warning: ")
    assert lines == [
        "warning: q0.md: contact: plain",
        "warning: q1.md: contact: plain",
        "warning: q2.md: contact: plain",
        "warning: ... and 5 more files with the same problem (floor check --json lists every one)",
        "warning: odd.md: tags: alike",
    ]
    few = same[: report.SAME_PROBLEM_GROUPED]
    assert len(report.problem_lines(few, "")) == len(few)  # a handful is listed in full


def test_check_ends_with_one_line_summing_up(site: Path) -> None:
    _plain(site, 9)
    result = run_floor("check", site=site)
    assert ok(result).splitlines()[-1] == "ok: 9 queued, 0 published; 0 errors, 9 warnings"
    assert len(result.stderr.splitlines()) == 4  # three files named, then the count of the others
    write_question(site, "broken", "---\nquestion: Q?\nasked: 2026-02-30\n---\n")
    err = fails_cleanly(run_floor("check", site=site))
    assert err.splitlines()[-1] == "not ok: 9 queued, 0 published; 1 error, 9 warnings"
    assert "'2026-02-30' is not a real date: February 2026 has 28 days" in err
    assert len(json.loads(run_floor("check", "--json", site=site).stdout)["warnings"]) == 9


def _git(site: Path, *args: str) -> None:
    env = floor_env(
        extra={
            "GIT_AUTHOR_NAME": "A",
            "GIT_AUTHOR_EMAIL": "a@example.org",
            "GIT_COMMITTER_NAME": "A",
            "GIT_COMMITTER_EMAIL": "a@example.org",
        }
    )
    subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True, env=env)


def test_what_check_says_about_git_is_what_git_says(site: Path) -> None:
    _plain(site, 2)
    outside = run_floor("check", site=site).stderr
    assert "git tracks" not in outside and outside.count("not a git repository yet") == 2
    _git(site, "init", "-q")
    _git(site, "add", "questions/q-00.md")
    _git(site, "commit", "-q", "-m", "one question")
    inside = run_floor("check", site=site).stderr
    assert "q-00.md: contact: stored in plain text in a file git tracks" in inside
    assert "q-01.md: contact: stored in plain text in a file not committed yet" in inside


def test_check_asks_git_once_for_the_committed_posts_and_names_both_kinds(site: Path, monkeypatch) -> None:
    """An uncommitted publish and an uncommitted import are two warnings from one listing of the
    last commit: on a column of a thousand posts, each `git ls-tree` of content/floor/ costs."""
    import datetime as dt

    from from_the_floor.core.site import Site
    from from_the_floor.services import gitops

    _git(site, "init", "-q")
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "start")
    published = "title: Q\ndate: 2026-11-02T09:00:00+00:00\nslug: {0}\n"
    write_question(
        site,
        "weekly",
        question_text("Weekly?", quick="Yes.", number="1", **_fields(published, "weekly")),
        folder="content/floor",
    )
    write_question(
        site,
        "old",
        question_text("Old?", quick="Yes.", source="import", number="2", **_fields(published, "old")),
        folder="content/floor",
    )
    listings: list[tuple[str, ...]] = []
    real = gitops._git

    def counted(where, *args, **kwargs):
        if "ls-tree" in args:
            listings.append(args)
        return real(where, *args, **kwargs)

    monkeypatch.setattr(gitops, "_git", counted)
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    said = " ".join(str(w) for w in report.check(Site(site), now, str.lower)["warnings"])
    assert "holds a publish git has not recorded (Q)" in said
    assert "holds 1 imported post(s) git has not recorded (old)" in said
    assert len(listings) == 1, listings


def _fields(text: str, slug: str) -> dict[str, str]:
    """``key: value`` lines as question_text's extra fields."""
    return dict(line.split(": ", 1) for line in text.format(slug).splitlines())


def test_a_language_the_kit_cannot_speak_is_named_not_silently_english(site: Path) -> None:
    conf = site / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    assert "\nDEFAULT_LANG = " in text
    for lang, warned in (("de", True), ("fr_CA", False), ("en-GB", False), ("jp", True)):
        lines = [line for line in text.splitlines() if not line.startswith("DEFAULT_LANG = ")]
        conf.write_text("\n".join(lines) + f"\nDEFAULT_LANG = {lang!r}\n", encoding="utf-8")
        said = run_floor("check", site=site)
        assert said.returncode == 0, said.stderr  # a warning: the site still builds
        found = [
            w
            for w in json.loads(ok(run_floor("check", "--json", site=site)))["warnings"]
            if w.get("field") == "DEFAULT_LANG"
        ]
        assert bool(found) == warned, (lang, found)
        if lang == "jp":  # Japan's code: no language, so no "no catalogue" warning either, before
            assert "'jp' is a country's code, not a language's; did you mean ja (Japanese)?" in said.stderr
            continue
        if warned:
            assert "no catalogue for 'de'" in said.stderr and "docs/translating.md" in said.stderr
            # the languages it does speak, by their codes (not the folder each catalogue is in)
            assert "it ships en, fr." in said.stderr, said.stderr
            assert found[0]["file"].endswith("pelicanconf.py")


def test_a_misspelt_field_is_named_with_the_field_it_meant(site: Path) -> None:
    """Other fields are kept for Pelican and themes; a near miss of one the kit reads would
    otherwise leave the question "unanswered" without a word of why."""
    text = "---\nquestion: Q?\nasked: 2026-11-01\nquick_anwser: Yes.\ntag: [x]\nsummary: kept\n---\nBody\n"
    write_question(site, "typo", text)
    result = run_floor("check", site=site)
    lines = ok(result).splitlines()
    assert lines[-1] == "ok: 1 queued, 0 published; 0 errors, 2 warnings"
    ignored = "is not a field the kit reads, so its value is ignored; did you mean"
    assert f"typo.md: quick_anwser: {ignored} 'quick_answer'?" in result.stderr
    assert (
        "typo.md: tag: is not a field the kit reads, so its value is ignored; did you mean 'tags'?"
        in result.stderr
    )
    assert "summary" not in result.stderr, "a field Pelican reads is no typo"
    write_question(site, "typo", text.replace("quick_anwser", "quick_answer").replace("tag:", "tags:"))
    assert ok(run_floor("check", site=site)).splitlines()[-1].endswith("0 errors, 0 warnings")


def test_a_misspelt_setting_is_named_with_the_setting_it_meant(site: Path) -> None:
    """Walked by an author: `FLOOR_ASK_CHANEL = "mailto"` left the column taking no questions and
    `FLOOR_CATCHUP = "all"` changed nothing, and `floor check` said ok to both."""
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('FLOOR_CATCHUP = "all"\nFLOOR_ASK_CHANEL = "none"\nFLOOR_HERO_IMAGE = "me.jpg"\n')
    result = run_floor("check", site=site)
    ok(result)
    said = "FLOOR_CATCHUP: is not a setting the kit reads, so it changes nothing; did you mean FLOOR_CATCH_UP"
    assert said in result.stderr
    assert "FLOOR_ASK_CHANEL: is not a setting the kit reads" in result.stderr
    assert "did you mean FLOOR_ASK_CHANNEL?" in result.stderr
    assert "FLOOR_HERO_IMAGE" not in result.stderr  # near no setting: a theme of one's own may read it


def test_a_near_miss_of_a_field_the_question_has_is_left_alone(site: Path) -> None:
    """`credits:` beside a `credit:` the file already has is the author's own field, not a typo
    of one the kit would otherwise ignore; every field the kit reads counts, not a hand-picked few."""
    text = "---\nquestion: Q?\nasked: 2026-11-01\ncredit: true\ncredits: the photo is mine\n---\nBody\n"
    write_question(site, "own", text)
    assert ok(run_floor("check", site=site)).splitlines()[-1].endswith("0 errors, 0 warnings")
    write_question(site, "own", text.replace("credit: true\n", ""))
    result = run_floor("check", site=site)
    assert "own.md: credits: is not a field the kit reads" in result.stderr
    assert "did you mean 'credit'?" in result.stderr


def test_a_blog_is_asked_to_name_its_column(tmp_path: Path) -> None:
    """A blog with its own theme that adds the plugin without FLOOR_NAME: the column would be
    filed under the blog's own name; a site that is the column (the kit's theme) is not asked."""
    blog = tmp_path / "blog"
    (blog / "content").mkdir(parents=True)
    (blog / "questions").mkdir()
    conf = blog / "pelicanconf.py"
    conf.write_text(
        'SITENAME = "Bob\'s Blog"\nPATH = "content"\nPLUGINS = ["from_the_floor"]\n', encoding="utf-8"
    )
    result = run_floor("check", site=blog)
    assert "FLOOR_NAME: is not set, so the column takes the blog's own name" in ok(result) + result.stderr
    assert 'category called "Bob\'s Blog"' in result.stderr
    conf.write_text(conf.read_text(encoding="utf-8") + 'FLOOR_NAME = "Ask Bob"\n', encoding="utf-8")
    assert "FLOOR_NAME" not in run_floor("check", site=blog).stderr


def test_a_column_site_is_not_asked_to_name_itself(site: Path) -> None:
    assert "FLOOR_NAME" not in run_floor("check", site=site).stderr


def test_an_imported_post_without_a_quick_answer_is_named_until_it_has_one(site: Path) -> None:
    """`floor import` says once that a post needs a quick answer; floor check keeps saying it."""
    post = site / "content" / "floor" / "old-post.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "---\nquestion: An old post?\nasked: 2012-02-04\nsource: import\nquick_answer:\n"
        "title: An old post?\ndate: 2012-02-04T21:05:25+00:00\nnumber: 1\nslug: old-post\n"
        "---\nThe old text.\n"
    )
    post.write_text(text, encoding="utf-8")
    result = run_floor("check", site=site)
    said = "ok: 0 queued, 0 published, 1 post from the old blog; 0 errors, 1 warning"  # no reader asked it
    assert ok(result).splitlines()[-1] == said
    assert "old-post.md: quick_answer: is empty, so the post shows only its longer answer" in result.stderr
    post.write_text(text.replace("quick_answer:", "quick_answer: Yes."), encoding="utf-8")
    assert ok(run_floor("check", site=site)).splitlines()[-1].endswith("0 errors, 0 warnings")


def test_the_ask_sentence_an_earlier_init_wrote_is_named_once_the_column_makes_it_false(site: Path) -> None:
    """Earlier kits wrote "Ask yours through the 'Ask a question' link." (or "Questions are not
    being taken yet.") into about.md; the file is the author's, so check names the sentence when
    the column's state has made it false instead of rewriting it."""
    about = site / "content" / "pages" / "about.md"
    invite = 'Ask yours through the "Ask a question" link.'
    about.write_text(f"Title: About\nSlug: about\n\nReaders ask. {invite}\n", encoding="utf-8")
    conf = site / "pelicanconf.py"
    stderr = run_floor("check", site=site).stderr
    assert f"about.md:4: says {invite!r} (a sentence `floor init` wrote) but readers cannot ask" in stderr
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + '\nFLOOR_ASK_CHANNEL = "mailto"\nFLOOR_ASK_EMAIL = "q@example.org"\n',
        encoding="utf-8",
    )
    assert "a sentence `floor init` wrote" not in ok(run_floor("check", site=site))
    assert "a sentence `floor init` wrote" not in run_floor("check", site=site).stderr
    ok(run_floor("retire", "--force", site=site))
    stderr = run_floor("check", site=site).stderr
    assert "but the column is retired and its Ask link is gone; delete the sentence" in stderr
    ok(run_floor("unretire", site=site))
    about.write_text("Title: About\n\nQuestions are not being taken yet.\n", encoding="utf-8")
    stderr = run_floor("check", site=site).stderr
    assert "about.md:3: says 'Questions are not being taken yet.'" in stderr
    assert "readers can ask now (FLOOR_ASK_CHANNEL = 'mailto')" in stderr


def test_an_english_about_page_on_a_column_in_another_language_is_named(tmp_path: Path) -> None:
    """A column made before `floor init` wrote the About page in the column's language keeps the
    English one ("About this column" in every page's navigation): check names it, with the words
    to use; the page `floor init --lang fr` writes now, or one the author wrote, is left alone."""
    site = tmp_path / "site"
    ok(run_floor("init", site, "--no-git", "--title", "Demandez-moi", "--author", "Camille", "--lang", "fr"))
    about = site / "content" / "pages" / "about.md"

    def about_warnings() -> list[dict]:
        found = json.loads(ok(run_floor("check", "--json", site=site)))["warnings"]
        return [w for w in found if w["file"].endswith("about.md")]

    assert about_warnings() == []  # written in French
    about.write_text(
        "Title: About this column\nSlug: about\n\nQuestions from readers, with the author's answers.\n",
        encoding="utf-8",
    )  # what the kit wrote before, whatever the language
    said = run_floor("check", site=site)
    assert said.returncode == 0, said.stderr
    assert "still the English page" in said.stderr and "Title: À propos de cette chronique" in said.stderr
    assert len(about_warnings()) == 1
    about.write_text(
        "Title: About this column\nSlug: about\n\nQuestions from readers, answered by Camille.\n",
        encoding="utf-8",
    )  # the English page as it is written now, naming the site's AUTHOR
    said = run_floor("check", site=site)
    assert "still the English page" in said.stderr
    assert "'Les questions des lecteurs, auxquelles Camille répond.'" in said.stderr
    about.write_text("Title: About this column\nSlug: about\n\nMy own words.\n", encoding="utf-8")
    assert about_warnings() == []  # the author's own page, in any language


def test_the_terminal_says_a_day_as_people_read_it_and_json_keeps_the_documented_keys(site: Path) -> None:
    """A pin on a day the column does not publish: the terminal says "Tue 15 Dec 2026", while
    `floor check --json` prints each problem's four documented keys, the date in ISO form, and
    the people's text nowhere (it is never a key of FloorError.as_dict())."""
    write_question(site, "pinned", question_text("Pinned?", quick="Yes.", pin="2026-12-15"))
    said = run_floor("check", site=site, today="2026-12-01").stderr
    assert "pinned.md: pin: Tue 15 Dec 2026 is not a publishing day" in said, said
    out = run_floor("check", "--json", site=site, today="2026-12-01").stdout
    result = json.loads(out)
    assert out == json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    pin = [w for w in result["warnings"] if w["field"] == "pin"]
    assert [w["problem"] for w in pin] == [
        "2026-12-15 is not a publishing day; it will go out at the first slot after it"
    ]
    assert all(list(w) == ["file", "line", "field", "problem"] for w in result["warnings"] + result["errors"])
    assert "said" not in out and "Tue 15 Dec" not in out


def test_a_problem_s_dict_holds_the_people_s_text_beside_its_keys_not_in_them() -> None:
    from from_the_floor.errors import FloorError

    problem = FloorError("2026-12-15 is late", path="q.md", field="pin", said="Tue 15 Dec 2026 is late")
    found = problem.as_dict()
    keys = {"file": "q.md", "line": None, "field": "pin", "problem": "2026-12-15 is late"}
    assert json.loads(json.dumps(found)) == keys
    assert report.format_problem(found) == "q.md: pin: Tue 15 Dec 2026 is late"
    # a plain copy has the keys' text only
    assert report.format_problem(dict(found)) == "q.md: pin: 2026-12-15 is late"


def test_check_names_a_notify_run_that_stopped_before_writing_down_who_it_told(site: Path) -> None:
    """A journal `floor notify` left behind: check says what it is and what to run, and never to delete it."""
    assert "floor notify" not in run_floor("check", site=site).stderr
    journal = site / ".floor-told.jsonl"
    journal.write_text(
        '{"post":"why-mondays","entry":null,"who":null,"at":"2026-11-09T09:00:00+00:00"}\n'
        '{"post":"why-mondays","entry":2,"who":null,"at":"2026-11-09T09:00:01+00:00"}\n'
        '{"post":"do-you-ever-',  # the line a kill cut short counts for nobody
        encoding="utf-8",
    )
    result = run_floor("check", site=site)
    ok(result)
    assert (
        ".floor-told.jsonl: a `floor notify` run was stopped before it wrote down 2 note(s) "
        "it had sent (why-mondays); `floor notify --commit` writes them"
    ) in result.stderr
    assert "do not delete this file" in result.stderr
    journal.write_text('{"post":"why-mondays"}\n', encoding="utf-8")
    result = run_floor("check", site=site)
    ok(result)  # it stops only notify, which says the same
    assert "line 1 is not a record of a note sent" in result.stderr and "Traceback" not in result.stderr


def test_a_published_question_edited_since_its_title_was_written_is_noted(site: Path) -> None:
    """`title:` is written from `question:` at publish time and never again: an edited question
    leaves the tab, feeds and shared links on the old words. Check notes it (a warning: the title
    may differ on purpose), saying which readers see where; an imported post's title is left."""
    posts = site / "content" / "floor"
    posts.mkdir(parents=True, exist_ok=True)

    def post(name: str, question: str, title: str, number: int, extra: str = "") -> Path:
        path = posts / f"{name}.md"
        path.write_text(
            f"---\nquestion: {question}\nasked: 2026-11-02\nquick_answer: Yes.\ntitle: {title}\n"
            f"date: 2026-11-09T09:00:00+00:00\nnumber: {number}\nslug: {name}\n{extra}---\nBecause.\n",
            encoding="utf-8",
        )
        return path

    post("kept", "Is it odd to write to strangers?", '"Is it odd to write to strangers?"', 1)
    post("old", "An old post?", "Something else entirely", 2, "source: import\n")
    result = run_floor("check", site=site)
    assert ok(result).splitlines()[-1].endswith("0 errors, 0 warnings"), result.stderr
    edited = post(
        "kept", "Is it strange to write to people I do not know?", '"Is it odd to write to strangers?"', 1
    )
    result = run_floor("check", site=site)
    assert ok(result).splitlines()[-1].endswith("0 errors, 1 warning")
    assert f"{edited.name}: title: no longer holds the text of question:" in result.stderr
    assert "question: as the post's heading and in Archives, and title: in the browser tab" in result.stderr
    data = json.loads(ok(run_floor("check", "--json", site=site)))
    assert [w["field"] for w in data["warnings"]] == ["title"] and data["ok"] is True


def test_every_reader_setting_the_build_would_refuse_is_an_error(site: Path) -> None:
    """Walked: `floor check` said ok to `FLOOR_SHARE = ["myspace"]` and `FLOOR_RELATED = -2`, and
    the weekly job's build then stopped on the first of them; the check names both at once."""
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('FLOOR_SHARE = ["email", "myspace"]\nFLOOR_RELATED = -2\n')
    said = fails_cleanly(run_floor("check", site=site))
    assert "pelicanconf.py: FLOOR_SHARE: unknown service 'myspace'" in said
    assert "pelicanconf.py: FLOOR_RELATED: -2 must be a whole number of 0 or more" in said
    assert said.splitlines()[-1] == "not ok: 0 queued, 0 published; 2 errors, 0 warnings"
    fields = {e["field"] for e in json.loads(run_floor("check", "--json", site=site).stdout)["errors"]}
    assert {"FLOOR_SHARE", "FLOOR_RELATED"} <= fields


def test_check_lists_each_folder_of_questions_once(site: Path, monkeypatch) -> None:
    """The queue, the plain-contact warnings and the contact check all read the questions and
    posts folders: one listing of each serves them all (10,000 names at 10,000 questions), and
    the report is the one separate listings give."""
    import datetime as dt

    from from_the_floor.core import queue as queue_mod
    from from_the_floor.core.site import Site

    _plain(site, 3)
    write_question(site, "posted", question_text("Posted?", quick="Yes.", number="1"), folder="content/floor")
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    apart = report._check(Site(site), now, str.lower)  # (each reader lists the folders itself)
    listed: list[str] = []
    real = queue_mod._names

    def counted(folder):
        listed.append(Path(folder).resolve().relative_to(site.resolve()).as_posix())
        return real(folder)

    monkeypatch.setattr(queue_mod, "_names", counted)
    assert report.check(Site(site), now, str.lower) == apart
    assert sorted(listed) == ["content/floor", "questions"]
    assert queue_mod._listings is None  # let go after the check
    listed.clear()
    queue_mod.question_names(site / "questions")
    assert listed == ["questions"]  # outside a check, a listing is taken every time
