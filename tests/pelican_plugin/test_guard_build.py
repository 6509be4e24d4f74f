"""The contact guard on real builds: every recognisable form of a contact refuses the build,
the refusal names files (never the contact), and output/ stays the last good build.

One small site is made and built once (the last good build); each case copies it, puts a
reader's contact in the published post's front matter and a form of it in the answer, and
runs the real `floor build`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from from_the_floor.core import contact_recogniser, guard, source_check
from helpers_floor import FLOOR_COMMAND, fails_cleanly, floor_env, ok, run_floor, tree_digest
from helpers_publish import add_question, floor, new_site

QUESTION = "Why answer in public?"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `floor init` site with one published post, built once (the last good build)."""
    site = tmp_path_factory.mktemp("guarded") / "site"
    ok(run_floor("init", site, "--title", "From the Floor", "--author", "The Author"))
    qid = ok(run_floor("ask", QUESTION, "--asker", "Jo", "--tag", "why", site=site)).strip()
    ok(run_floor("answer", qid, "--quick", "So everyone can read it.", "--body", "Because.", site=site))
    assert "published #1" in ok(run_floor("publish", site=site))
    ok(run_floor("build", site=site))
    return site


def _post(site: Path) -> Path:
    (post,) = sorted((site / "content" / "floor").glob("*.md"))
    return post


def _leak(site: Path, contact: str, body: str) -> str:
    """Give the published post a reader contact and an answer holding ``body``; returns how the
    refusal names the place: the post's file and the body's first line."""
    post = _post(site)
    text = post.read_text(encoding="utf-8")
    text = text.replace("question:", f"contact: {json.dumps(contact)}\nquestion:", 1)
    text = text.rstrip("\n") + "\n\n"
    post.write_text(text + body + "\n", encoding="utf-8")
    return f"{post.relative_to(site)}, line {text.count(chr(10)) + 1}"


def _copy(built: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built, site, symlinks=True)
    return site


EMAIL = "leaky.reader@example.org"
PHONE = "+44 20 7946 0958"

# (contact in the front matter, what the answer says): each a form a reader would recognise
FORMS = {
    "other letter case": (EMAIL, "Write to LEAKY.Reader@Example.ORG today."),
    "markdown autolink (an entity per character)": (EMAIL, "Write to <leaky.reader@example.org>."),
    "decimal entities": (EMAIL, "Write to leaky&#46;reader&#64;example&#46;org."),
    "hex entities": (EMAIL, "Write to &#x6c;eaky.reader&#x40;example.org."),
    "named entities": (EMAIL, "Write to leaky&period;reader&commat;example&period;org."),
    "percent-encoded mailto link": (EMAIL, "[Write to me](mailto:leaky.reader%40example.org)."),
    "percent-encoded in a link's query": (
        EMAIL,
        "[Ask](https://example.net/?to=leaky%2Ereader%40example%2Eorg)",
    ),
    "split across a line break": (EMAIL, "Write to leaky.reader@\nexample.org please."),
    "hyphenated across a line break": (EMAIL, "Write to leaky.reader@exam-\nple.org please."),
    "soft hyphen inside": (EMAIL, "Write to leaky.reader@exam&shy;ple.org."),
    "zero-width space inside": (EMAIL, "Write to leaky.reader@exam\u200bple.org."),
    "line break tag inside": (EMAIL, "Write to leaky.reader@<br>example.org."),
    "[at] and [dot]": (EMAIL, "Write to leaky.reader [at] example [dot] org."),
    "(at) and (dot)": (EMAIL, "Write to leaky.reader (at) example (dot) org."),
    "fullwidth characters": (EMAIL, "Write to ｌｅａｋｙ．ｒｅａｄｅｒ＠ｅｘａｍｐｌｅ．ｏｒｇ."),
    "Unicode domain written in punycode": ("jürgen@bücher.example", "Write to jürgen@xn--bcher-kva.example."),
    "punycode domain written in Unicode": ("anna@xn--bcher-kva.example", "Write to anna@BÜCHER.example."),
    "apostrophe, curly on the page": ("o'brien@example.org", "Write to o\u2019brien@example.org."),
    "apostrophe as an entity": ("o'brien@example.org", "Write to o&#39;brien@example.org."),
    "hash in the local part": ("ab#c@example.org", "Write to ab#c@example.org."),
    "quoted local part": ('"john doe"@example.org', 'Write to "john doe"@example.org.'),
    "quoted local part without its quotes": ('"john doe"@example.org', "Write to john doe@example.org."),
    "phone, national with dashes": (PHONE, "Call 020-7946-0958 after six."),
    "phone, national with brackets": (PHONE, "Call (020) 7946 0958 after six."),
    "phone, international with (0)": (PHONE, "Call +44 (0)20 7946 0958 after six."),
    "phone, 00 prefix and dots": (PHONE, "Call 0044.20.7946.0958 after six."),
    "phone given nationally, written internationally": ("020 7946 0958", "Call +442079460958."),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_of_a_contact_refuses_the_build(built: Path, tmp_path: Path, form: str) -> None:
    contact, body = FORMS[form]
    site = _copy(built, tmp_path)
    before = tree_digest(site / "output")
    where = _leak(site, contact, body)
    err = fails_cleanly(run_floor("build", site=site))
    assert "refused" in err
    assert where in err, "the refusal names the source file and line"
    parts = [part.value for part in contact_recogniser.parse_field(contact)]
    for shown in {contact, contact.strip('"'), *parts, *guard.Detector([contact]).needles}:
        assert shown not in err, "the refusal never shows the contact"
    assert tree_digest(site / "output") == before, "output/ is still the last good build"
    assert not [p.name for p in site.iterdir() if ".staging-" in p.name], "the staging folder is gone"


def test_a_refusal_names_every_source_and_line_that_holds_the_contact(built: Path, tmp_path: Path) -> None:
    site = _copy(built, tmp_path)
    where = _leak(site, EMAIL, f"Write to {EMAIL}.")
    (site / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (site / "content" / "pages" / "contact-us.md").write_text(
        "Title: Contact us\n\nAsk us anything.\n\nOr write to Leaky.Reader&#64;example.org.\n",
        encoding="utf-8",
    )
    (site / "content" / "extra").mkdir(exist_ok=True)
    (site / "content" / "extra" / "notes.txt").write_text(f"one\ntwo {EMAIL}\n", encoding="utf-8")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(f'\nSITESUBTITLE = "Questions to {EMAIL.replace("@", " [at] ")}"\n')
    conf_line = (site / "pelicanconf.py").read_text(encoding="utf-8").count("\n")
    err = fails_cleanly(run_floor("build", site=site))
    named = {line.strip().split(" (the contact of")[0] for line in err.splitlines() if line.startswith("  ")}
    asker = f"(the contact of the reader who asked in {_post(site).relative_to(site)})"
    own = "(the contact of the reader who asked this question)"
    for line in (line for line in err.splitlines() if line.startswith("  ")):
        assert (own if line.strip().startswith(where) else asker) in line, err
    assert {
        where,
        "content/pages/contact-us.md, line 5",
        "content/extra/notes.txt, line 2",
        f"pelicanconf.py, line {conf_line}",
    } <= named, named
    assert not any("output" in name for name in named), "the sources are named, not the pages"


def test_the_same_contacts_without_a_leak_build(built: Path, tmp_path: Path) -> None:
    """No false alarm: every contact above protected at once, none of them in the answer."""
    site = _copy(built, tmp_path)
    for n, contact in enumerate(sorted({c for c, _ in FORMS.values()})):
        add_question(site, f"q{n}", asked="2026-11-01", contact=json.dumps(contact))
    assert len(guard.contacts_in([site / "questions"])) == len({c for c, _ in FORMS.values()})
    ok(run_floor("build", site=site))


# --- where a contact can hide: the search index, the feeds, the retirement downloads -------


def test_the_guard_reads_the_search_bundle_and_the_retirement_downloads(tmp_path: Path) -> None:
    """A real retired site built with a mention that is not (yet) a contact; then it becomes one."""
    site = new_site(tmp_path / "site", farewell="Thanks for every question.")
    mention = "quiet.reader@example.org"
    add_question(site, "leak", asked="2026-10-01", tags="[why]")
    path = site / "questions" / "leak.md"
    path.write_text(path.read_text(encoding="utf-8") + f"Write to {mention}.\n", encoding="utf-8")
    ok(floor(site, "publish", today="2026-11-09T09:00:00+00:00"))
    ok(floor(site, "retire", today="2026-12-01"))
    ok(floor(site, "build", today="2026-12-01"))
    out = site / "output"
    leaks = {p.relative_to(out).as_posix() for p, _ in guard.scan(out, {mention})}
    compressed = {rel for rel in leaks if mention.encode() not in (out / rel).read_bytes()}
    kinds = {rel.rsplit(".", 1)[-1] for rel in compressed}
    assert {"pf_fragment", "zip", "gz"} <= kinds, compressed  # Pagefind's fragments, the zip, the WARC
    assert any(rel.endswith(".warc.gz") for rel in compressed), compressed
    assert {"feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/all.json"} <= leaks, leaks


# --- the staging folder ---------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_builds_leftovers_are_removed_by_the_next_build(built: Path, tmp_path: Path) -> None:
    site = _copy(built, tmp_path)
    pid = _dead_pid()
    staged = site / f".output.staging-{pid}.tmp"
    (staged / "floor").mkdir(parents=True)
    (staged / "floor" / "half-written.html").write_text("<p>half", encoding="utf-8")
    bundle = site / f"..output.staging-{pid}.tmp-pagefind.{pid}.tmp"
    bundle.mkdir()
    ok(run_floor("build", site=site))
    assert not staged.exists() and not bundle.exists()
    assert not (site / "output" / "floor" / "half-written.html").exists()


# A plugin that holds a build at `finalized` (everything written, nothing swapped in yet)
# until the process is killed; it says where it is writing first.
HOLD_PLUGIN = """
import os
import time
from pathlib import Path

from pelican import signals


def hold(pelican):
    marker = os.environ.get("HOLD_BUILD_MARKER")
    if marker:
        # whole or not at all: the test reads the marker as soon as it exists
        Path(marker + ".tmp").write_text(pelican.settings["OUTPUT_PATH"], encoding="utf-8")
        os.replace(marker + ".tmp", marker)
        while True:
            time.sleep(0.05)


def register():
    signals.finalized.connect(hold)
"""


def test_a_build_killed_before_the_swap_leaves_output_alone_and_its_folder_goes_next_time(
    built: Path, tmp_path: Path
) -> None:
    site = _copy(built, tmp_path)
    (site / "hold_plugin").mkdir()
    (site / "hold_plugin" / "hold_build.py").write_text(HOLD_PLUGIN, encoding="utf-8")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nPLUGIN_PATHS = ["hold_plugin"]\nPLUGINS = [*PLUGINS, "hold_build"]\n')
    post = _post(site)
    post.write_text(post.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    before = tree_digest(site / "output")
    marker = tmp_path / "holding"
    build = subprocess.Popen(
        [*FLOOR_COMMAND, "--site", str(site), "build"],
        env=floor_env(extra={"HOLD_BUILD_MARKER": str(marker)}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches Pagefind too
    )
    try:
        while not marker.exists() and build.poll() is None:
            time.sleep(0.05)  # polling for the marker; nothing here depends on how long it takes
        assert build.poll() is None, build.stderr.read().decode() if build.stderr else ""
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    staged = Path(marker.read_text(encoding="utf-8"))
    assert staged.parent == site and staged.name.startswith(".output.staging-")
    assert "A new paragraph." in "".join(
        p.read_text(encoding="utf-8") for p in (staged / "floor").glob("*/index.html")
    ), "the killed build had written its pages"
    assert tree_digest(site / "output") == before, "output/ is still the last good build"
    ok(run_floor("build", site=site, env={"HOLD_BUILD_MARKER": ""}))
    assert not staged.exists(), "the next build removed the killed one's staging folder"
    assert not [p.name for p in site.iterdir() if ".staging-" in p.name]
    page = "".join(p.read_text(encoding="utf-8") for p in (site / "output" / "floor").glob("*/index.html"))
    assert "A new paragraph." in page


def test_a_build_killed_between_the_renames_gets_its_output_back(built: Path, tmp_path: Path) -> None:
    site = _copy(built, tmp_path)
    (site / "output" / "CNAME").write_text("column.example.org\n", encoding="utf-8")  # kept by builds
    previous = site / f".output.previous-{_dead_pid()}.tmp"
    (site / "output").rename(previous)
    ok(run_floor("build", site=site))
    assert (site / "output" / "CNAME").read_text(encoding="utf-8") == "column.example.org\n"
    assert not previous.exists()


def test_a_good_build_keeps_unchanged_files_and_the_files_a_site_keeps_in_output(
    built: Path, tmp_path: Path
) -> None:
    site = _copy(built, tmp_path)
    out = site / "output"
    (out / ".nojekyll").write_text("", encoding="utf-8")
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.html") if "pagefind" not in p.parts}
    ok(run_floor("build", site=site))
    ok(run_floor("build", site=site))  # the second starts from the spare the first left
    assert (out / ".nojekyll").is_file()
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps, "unchanged pages are not rewritten"
    spare = site / ".output.spare.tmp"
    assert spare.is_dir(), "the build before last is kept to start the next one from"
    git_ignored = (site / ".gitignore").read_text(encoding="utf-8")
    assert ".*.tmp" in git_ignored.splitlines(), "the staging and spare folders are git-ignored"


# --- floor check: the same check, on the same files, before any build ----------------------


def _check_errors(site: Path) -> tuple[str, list[dict]]:
    result = run_floor("check", "--json", site=site)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout + result.stderr, json.loads(result.stdout)["errors"]


def _leak_lines(errors: list[dict]) -> set[tuple[str, int]]:
    return {
        (Path(e["file"]).as_posix(), e["line"]) for e in errors if e["problem"].startswith(source_check.LEAK)
    }


def test_floor_check_reports_every_form_the_build_refuses(built: Path, tmp_path: Path) -> None:
    """Each form above on a page of its own: `floor check` names every page and line, exits 1,
    in the build's words, and never shows a contact; `floor build` names the same places."""
    site = _copy(built, tmp_path)
    pages = site / "content" / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    contacts = sorted({contact for contact, _ in FORMS.values()})
    for n, contact in enumerate(contacts):
        add_question(site, f"reader{n}", asked="2026-11-01", contact=json.dumps(contact))
    for n, form in enumerate(sorted(FORMS)):
        body = FORMS[form][1]
        (pages / f"form-{n}.md").write_text(f"Title: Form {n}\n\n{body}\n", encoding="utf-8")
    result = run_floor("check", site=site)
    assert result.returncode == 1, result.stdout + result.stderr
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown
    out, errors = _check_errors(site)
    found = _leak_lines(errors)
    assert {Path(f).name for f, _ in found} == {f"form-{n}.md" for n in range(len(FORMS))}, found
    assert all(line == 3 for _, line in found), found
    for error in errors:
        assert "`floor build` refuses it" in error["problem"] and source_check.FIX in error["problem"]
        assert "(the contact of the reader who asked in questions/reader" in error["problem"]
    for contact in contacts:
        parts = [part.value for part in contact_recogniser.parse_field(contact)]
        for needle in {contact, contact.strip('"'), *parts, *guard.Detector([contact]).needles}:
            assert needle not in shown and needle not in out, "the check never shows the contact"
    built_err = fails_cleanly(run_floor("build", site=site))
    assert source_check.LEAK in built_err and source_check.FIX in built_err
    named = {line.strip().split(", line ")[0] for line in built_err.splitlines() if ", line " in line}
    assert named <= {f"content/pages/{Path(f).name}" for f, _ in found}
    assert len(named) == source_check.MAX_SHOWN and f"and {len(found) - len(named)} more" in built_err


def test_floor_check_passes_look_alike_text(built: Path, tmp_path: Path) -> None:
    """No false alarm: another address that ends in the reader's, a longer number, an order
    number ending in the reader's digits."""
    site = _copy(built, tmp_path)
    add_question(site, "ann", asked="2026-11-01", contact=json.dumps("ann@example.org"))
    add_question(site, "tel", asked="2026-11-01", contact=json.dumps(PHONE))
    (site / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (site / "content" / "pages" / "ask.md").write_text(
        "Title: Ask\n\nWrite to joann@example.org or ann@example.org.uk.\n\n"
        "Your order 9912079460958 has shipped; call +44 20 7946 09581.\n",
        encoding="utf-8",
    )
    _, errors = _check_errors(site)
    assert not _leak_lines(errors), errors
    ok(run_floor("check", site=site))


def test_floor_check_sees_a_leak_written_after_a_clean_check(built: Path, tmp_path: Path) -> None:
    """The verdicts kept between runs never hide a change: a new answer line, a same-size edit
    with its mtime put back, a new reader whose contact an old page already shows, and a
    verdict file written by someone without the private key."""
    site = _copy(built, tmp_path)
    add_question(site, "ann", asked="2026-11-01", contact=json.dumps("ann@example.org"))
    page = site / "content" / "pages" / "ask.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("Title: Ask\n\nWrite to bob@example.org any day.\n", encoding="utf-8")
    ok(run_floor("check", site=site))
    time.sleep(2.1)  # out of the racy window: the next clean run trusts the page's stat
    ok(run_floor("check", site=site))
    verdicts = site / ".cache" / source_check.VERDICTS_FILE
    assert verdicts.exists()
    st = page.stat()
    page.write_text("Title: Ask\n\nWrite to ann@example.org any day.\n", encoding="utf-8")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert page.stat().st_size == st.st_size and page.stat().st_mtime_ns == st.st_mtime_ns
    _, errors = _check_errors(site)
    assert _leak_lines(errors) == {(page.as_posix(), 3)}
    page.write_text("Title: Ask\n\nWrite to bob@example.org any day.\n", encoding="utf-8")
    ok(run_floor("check", site=site))
    add_question(site, "bob", asked="2026-11-02", contact=json.dumps("bob@example.org"))
    _, errors = _check_errors(site)
    assert _leak_lines(errors) == {(page.as_posix(), 3)}, "a new reader: every file is read again"
    (site / "questions" / "bob.md").unlink()
    ok(run_floor("check", site=site))
    page.write_text("Title: Ask\n\nWrite to ann@example.org any day.\n", encoding="utf-8")
    head, body = verdicts.read_text(encoding="utf-8").split("\n", 1)  # the key and signature, the verdicts
    forged = {k: [0, 0, 0, "0"] for k in json.loads(body)}
    verdicts.write_text(head + "\n" + json.dumps(forged, sort_keys=True) + "\n", encoding="utf-8")
    assert _leak_lines(_check_errors(site)[1]) == {(page.as_posix(), 3)}, "a forged file is not trusted"


def test_floor_check_places_numbers_in_the_sites_phone_region(built: Path, tmp_path: Path) -> None:
    """FLOOR_PHONE_REGION = "DE": a reader's 01512 3456789 (libphonenumber's German example mobile)
    is found written +49 1512 3456789, and +44 1512 3456789 (another country's number) is not."""
    site = _copy(built, tmp_path)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nFLOOR_PHONE_REGION = "DE"\n')
    add_question(site, "tel", asked="2026-11-01", contact=json.dumps("01512 3456789"))
    page = site / "content" / "pages" / "call.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("Title: Call\n\nOur London desk: +44 1512 3456789.\n", encoding="utf-8")
    ok(run_floor("check", site=site))
    ok(run_floor("build", site=site))  # the build reads the number in the same region
    page.write_text("Title: Call\n\nOur Berlin desk: +49 1512 3456789.\n", encoding="utf-8")
    assert _leak_lines(_check_errors(site)[1]) == {(page.as_posix(), 3)}
    err = fails_cleanly(run_floor("build", site=site))
    assert "content/pages/call.md, line 3" in err


def test_a_refused_build_keeps_nothing_it_read_in_the_caches(built: Path, tmp_path: Path) -> None:
    """The guard's verdict comes from a worker while Pelican reads the posts and makes its
    context, and Pelican's cache saves wait for it: a refused build leaves Pelican's content
    cache, the memo and output/ as the last good build left them."""
    from from_the_floor.core.site import Site
    from from_the_floor.errors import FloorError
    from from_the_floor.pelican_plugin import build as build_mod

    site = _copy(built, tmp_path)
    before = tree_digest(site / "output")
    kept = {p.name: p.read_bytes() for p in (site / ".cache").iterdir() if p.is_file()}
    assert any(name.endswith("-Readers") for name in kept), kept.keys()
    _leak(site, EMAIL, "Write to leaky.reader@example.org today.")
    with pytest.raises(FloorError, match="refused"):
        build_mod.build(Site(site), jobs=2)  # the guard in a worker process
    for name, data in kept.items():
        if name.startswith(("floor-source-check", "floor-opened-contacts")):
            continue  # the guard's own records: clean files only, contacts sealed
        assert (site / ".cache" / name).read_bytes() == data, f"{name} changed by a refused build"
    assert tree_digest(site / "output") == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_refused_build_keeps_no_parse_of_the_questions(
    built: Path, tmp_path: Path, monkeypatch, jobs: int
) -> None:
    """The questions' worker saves the parse cache (.cache/floor-questions.json) only once the
    guard found the sources clean. Before, it saved as soon as it had parsed, beside Pelican: a
    file whose stat was more than two seconds old (parse_cache.RACY_NS: on a loaded machine, the
    copy below) was kept, and a post whose sealed contact shows in its answer went into the cache,
    answer and all, though the build refused it. Files are never "racy" here, so the save is
    never skipped for being too recent."""
    from from_the_floor.core import parse_cache
    from from_the_floor.core.site import Site
    from from_the_floor.errors import FloorError
    from from_the_floor.pelican_plugin import build as build_mod

    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    site = _copy(built, tmp_path)
    cache = site / ".cache" / parse_cache.FILE
    kept = cache.read_bytes() if cache.exists() else None
    _leak(site, Site(site).keys.seal(EMAIL), "Write to leaky.reader@example.org today.")
    with pytest.raises(FloorError, match="refused"):
        build_mod.build(Site(site), jobs=jobs)
    now = cache.read_bytes() if cache.exists() else None
    assert now == kept, "floor-questions.json changed by a refused build"
    assert now is None or b"leaky" not in now


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_clean_build_still_keeps_the_questions_parses(
    built: Path, tmp_path: Path, monkeypatch, jobs: int
) -> None:
    """The other side: with the guard's verdict clean, the parses are kept (the copy moved every
    file's stat, so the cache is written again with the new stats)."""
    from from_the_floor.core import parse_cache
    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod

    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    site = _copy(built, tmp_path)
    cache = site / ".cache" / parse_cache.FILE
    kept = cache.read_bytes() if cache.exists() else None
    _post(site).write_text(_post(site).read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build_mod.build(Site(site), jobs=jobs)
    assert cache.read_bytes() != kept
    assert b"One more line." in cache.read_bytes()


def test_a_refused_build_hands_the_search_index_nothing(built: Path, tmp_path: Path, monkeypatch) -> None:
    """The verdict taken in a worker comes before the posts' text goes to Pagefind, another
    process that writes it beside the site (build_state.verdict_needed)."""
    from from_the_floor.core.site import Site
    from from_the_floor.errors import FloorError
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.pelican_plugin import reader_site

    started: list[int] = []

    def start_index(settings: dict, records: list) -> list[str]:
        started.append(len(records))
        return []

    monkeypatch.setattr(reader_site, "_start_index", start_index)
    site = _copy(built, tmp_path)
    build_mod.build(Site(site), jobs=2, full=True)
    assert started == [1]  # a good build indexes its one post
    _leak(site, EMAIL, "Write to leaky.reader@example.org today.")
    with pytest.raises(FloorError, match="refused"):
        build_mod.build(Site(site), jobs=2)  # the guard in a worker process
    assert started == [1]
