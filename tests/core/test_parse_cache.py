"""parse_cache.py and queue.load: unchanged question files are not parsed again, and no edit is missed."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from from_the_floor import version as kit_version
from from_the_floor.core import parse_cache
from from_the_floor.core import question as question_mod
from from_the_floor.core import queue as queue_mod
from from_the_floor.core.site import Site
from helpers_floor import CodeWhenUnpickled, counting_parses, ok, question_text, run_floor, write_question

FIXTURES = Path(__file__).parents[1] / "fixtures" / "parse_cache"


@pytest.fixture
def settled(monkeypatch) -> None:
    """Files written by the test count as settled at once (no two-second racy window to wait out)."""
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    monkeypatch.setattr(question_mod, "RACY_NS", 0)  # the build's in-memory store has its own window


@pytest.fixture
def parses(monkeypatch) -> list[Path]:
    """Every file actually parsed (not served from the cache) in this process."""
    return counting_parses(monkeypatch)


def sealed(site: Path, plain: str) -> str:
    return Site(site).keys.seal(plain) or ""


def load(site: Path, **kwargs) -> queue_mod.Queue:
    return queue_mod.load(Site(site), processes=1, **kwargs)


def snapshot(q: queue_mod.Queue) -> list[tuple]:
    """Everything a load gives, comparable: each question's fields, and each problem."""
    items = [("q", sorted((k, repr(v)) for k, v in vars(x).items())) for x in [*q.queued, *q.published]]
    return items + [("error", tuple(sorted(e.as_dict().items()))) for e in q.errors]


def cache_path(site: Path) -> Path:
    s = Site(site)
    return parse_cache.cache_file(s.root, s.settings.raw)


def cached_keys(site: Path) -> set[str]:
    return {key for key, _ in parse_cache.ParseCache(cache_path(site)).entries}


def fill(site: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        text = question_text(
            f"Question number {i}?",
            quick="Yes.",
            body=f"Answer {i}.",
            contact=sealed(site, f"r{i}@example.org"),
        )
        paths.append(write_question(site, f"q-{i:02d}", text))
    return paths


def test_a_second_load_parses_nothing_and_gives_the_same_questions(site, settled, parses) -> None:
    fill(site, 5)
    first = load(site)
    assert len(parses) == len(first.queued) + len(first.published) == 5
    parses.clear()
    second = load(site)
    assert parses == [], "every file came from the cache"
    assert snapshot(second) == snapshot(first) == snapshot(load(site, cache=False))
    assert cached_keys(site) == {f"questions/q-{i:02d}.md" for i in range(5)}


def test_nothing_is_written_when_nothing_changed(site, settled) -> None:
    fill(site, 3)
    load(site)
    before = cache_path(site).stat()
    load(site)
    after = cache_path(site).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_new_stats_alone_may_be_left_to_the_next_run(site, settled, parses) -> None:
    """`floor publish` after a checkout leaves the files' new stats to the build that follows
    (keep_stats=False); anything else it changed is written as before."""
    paths = fill(site, 3)
    load(site)
    cache = cache_path(site)
    before = cache.read_bytes()
    for path in paths:
        path.write_bytes(path.read_bytes())  # a checkout: new stats, the same bytes
    parses.clear()
    first = load(site, keep_stats=False)
    assert parses == [] and cache.read_bytes() == before, "the same bytes: nothing parsed, nothing written"
    load(site)
    assert cache.read_bytes() != before, "a run that keeps them writes the new stats"
    parses.clear()
    assert snapshot(load(site)) == snapshot(first) and parses == [], "and finds every file by them"
    for path in paths:
        path.write_bytes(path.read_bytes())
    write_question(site, "q-new", question_text("A new one?", quick="Yes.", body="New."))
    before = cache.read_bytes()
    load(site, keep_stats=False)
    assert cache.read_bytes() != before, "a new parse is written, with the new stats beside it"
    parses.clear()
    load(site)
    assert parses == []


def test_an_edit_of_the_same_size_with_the_mtime_put_back_is_seen(site, settled) -> None:
    [path, *_] = fill(site, 2)
    load(site)
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("Answer 0.", "Answer X.")
    assert len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: only ctime and bytes differ
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert load(site).find("q-00").body == "Answer X."


def test_a_racy_file_is_parsed_again_even_when_its_stat_cannot_tell(site, monkeypatch, parses) -> None:
    """A filesystem whose timestamps are too coarse to show a second edit: git's racy-clean rule."""

    def coarse(st: os.stat_result) -> parse_cache.Stamp:  # whole seconds, and no ctime to help
        second = st.st_mtime_ns // 10**9 * 10**9
        return (st.st_size, second, second, st.st_ino, st.st_dev)

    monkeypatch.setattr(parse_cache, "stamp_of", coarse)
    path = write_question(site, "fresh", question_text("Before?", quick="A.", body="One."))
    now = time.time_ns()
    os.utime(path, ns=(now, now))
    assert load(site).find("fresh").question == "Before?"
    assert "questions/fresh.md" not in cached_keys(site), "changed this very moment: used, not kept"
    path.write_text(question_text("Later?", quick="A.", body="One."), encoding="utf-8")
    os.utime(path, ns=(now, now))  # the same (coarse) stamp as the first version
    assert load(site).find("fresh").question == "Later?"


def test_a_fresh_checkout_hashes_the_files_instead_of_parsing_them(site, settled, parses, tmp_path) -> None:
    fill(site, 4)
    first = snapshot(load(site))
    clone = tmp_path / "clone"
    shutil.copytree(site, clone)  # every file new: other inodes, other times; the cache comes along
    for path in (clone / "questions").iterdir():
        os.utime(path, ns=(time.time_ns(), time.time_ns() - 10**9))
    parses.clear()
    again = load(clone)
    assert parses == []
    assert snapshot(again) == [tuple(x) for x in _moved(first, site, clone)]
    parses.clear()
    load(clone)
    assert parses == [], "the new stats were recorded: the next run is a stat hit"


def _moved(items: list[tuple], old: Path, new: Path) -> list[tuple]:
    """A snapshot with the site's folder renamed (paths are the only difference)."""
    out = []
    for kind, data in items:
        if kind == "q":
            data = sorted((k, v.replace(str(Site(old).root), str(Site(new).root))) for k, v in data)
        out.append((kind, data))
    return out


def test_deleted_renamed_and_added_files_are_seen(site, settled) -> None:
    paths = fill(site, 3)
    load(site)
    paths[0].unlink()
    paths[1].rename(paths[1].with_name("renamed.md"))
    write_question(site, "added", question_text("New one?"))
    q = load(site)
    assert sorted(x.id for x in q.queued) == ["added", "q-02", "renamed"]
    assert cached_keys(site) == {"questions/added.md", "questions/q-02.md", "questions/renamed.md"}


def test_a_file_published_since_is_read_as_a_post(site, settled) -> None:
    [path] = fill(site, 1)
    load(site)
    post = site / "content" / "floor" / path.name
    text = path.read_text(encoding="utf-8").replace(
        "---\n", "---\ndate: 2026-11-09T09:00:00+00:00\nnumber: 1\n", 1
    )
    post.write_text(text, encoding="utf-8")
    path.unlink()
    q = load(site)
    assert [x.id for x in q.published] == ["q-00"] and q.published[0].number == 1 and not q.queued


def test_a_cache_from_another_kit_version_is_ignored(site, settled, parses, monkeypatch) -> None:
    fill(site, 2)
    load(site)
    monkeypatch.setattr(kit_version, "__version__", "99.0.0")
    parses.clear()
    load(site)
    assert len(parses) == 2
    saved_salt = json.loads(cache_path(site).read_bytes())["salt"]
    assert saved_salt[1] == "99.0.0", "rewritten for the kit that read it"


def test_a_cache_from_another_parser_is_ignored(site, settled, parses) -> None:
    fill(site, 2)
    load(site)
    saved = json.loads(cache_path(site).read_bytes())
    saved["salt"][3] = "another parser's digest"
    cache_path(site).write_text(json.dumps(saved), encoding="utf-8")
    parses.clear()
    load(site)
    assert len(parses) == 2


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "empty", "wrong shape", "a folder"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(site, settled, parses, damage: str) -> None:
    fill(site, 3)
    expected = snapshot(load(site))
    path = cache_path(site)
    good = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x80\x05not JSON at all")
    elif damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "wrong shape":
        path.write_text(json.dumps(["a", "list"]), encoding="utf-8")
    else:
        path.unlink()
        path.mkdir()
    parses.clear()
    assert snapshot(load(site)) == expected
    assert len(parses) == 3
    if damage != "a folder":  # a folder in the way is left alone; the next run parses again
        parses.clear()
        load(site)
        assert parses == [], "rebuilt"


def test_no_plain_contact_ever_lands_in_the_cache(site, settled) -> None:
    write_question(site, "plain", question_text("Plain?", contact="plain.reader@example.org"))
    write_question(
        site,
        "merged",
        question_text(
            "Merged?",
            contact=sealed(site, "first@example.org"),
            also_asked_by="\n  - question: Same?\n    asked: 2026-11-02"
            "\n    contact: second.reader@example.org",
        ),
    )
    write_question(site, "sealed", question_text("Sealed?", contact=sealed(site, "third@example.org")))
    q = load(site)
    assert q.find("plain").contact == "plain.reader@example.org"
    assert q.find("merged").also_asked_by[0].contact == "second.reader@example.org"
    raw = cache_path(site).read_bytes()
    for address in (b"plain.reader@example.org", b"second.reader@example.org", b"first@", b"third@"):
        assert address not in raw
    assert cached_keys(site) == {"questions/sealed.md"}
    again = load(site)
    assert again.find("plain").contact == "plain.reader@example.org", "read from the file every time"


def test_a_broken_file_is_reported_every_time_exactly_as_without_the_cache(site, settled) -> None:
    fill(site, 2)
    write_question(site, "broken", "---\nquestion: Broken?\nasked: 2026-02-30\n---\n")
    write_question(site, "bad-bytes", b"---\nquestion: Caf\xe9?\nasked: 2026-11-01\n---\n")
    expected = [e.as_dict() for e in load(site, cache=False).errors]
    assert {Path(e["file"]).name for e in expected} == {"broken.md", "bad-bytes.md"}
    for _ in range(2):
        assert [e.as_dict() for e in load(site).errors] == expected
    assert {"questions/broken.md", "questions/bad-bytes.md"}.isdisjoint(cached_keys(site))


def test_a_broken_edit_of_a_cached_file_is_reported(site, settled) -> None:
    [path, *_] = fill(site, 2)
    load(site)
    path.write_text("---\nquestion: [unclosed\n---\n", encoding="utf-8")
    errors = load(site).errors
    assert [Path(e.path).name for e in errors] == [path.name]
    assert errors[0].as_dict() == load(site, cache=False).errors[0].as_dict()


def _hammer(root: str, rounds: int) -> None:  # pragma: no cover - runs in the forked writers
    site = Site(Path(root))
    for i in range(rounds):
        extra = site.questions_dir / f"w{os.getpid()}-{i}.md"
        extra.write_text(question_text(f"From writer {os.getpid()}?"), encoding="utf-8")
        queue_mod.load(site, processes=1)
        extra.unlink()


def test_concurrent_writers_never_leave_a_broken_cache(site, settled) -> None:
    fill(site, 5)
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_hammer, args=(str(site), 8)) for _ in range(4)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
        assert w.exitcode == 0
    saved = json.loads(cache_path(site).read_bytes())  # whole: one writer's complete file
    assert saved["salt"] == json.loads(json.dumps(parse_cache.salt()))
    assert {f"questions/q-{i:02d}.md" for i in range(5)} <= {row[0] for row in saved["entries"]}
    assert not [p.name for p in cache_path(site).parent.iterdir() if p.name.endswith(".tmp")]
    load(site)
    assert cached_keys(site) == {f"questions/q-{i:02d}.md" for i in range(5)}


def test_a_file_gone_between_listing_and_reading_is_not_in_the_queue(site, settled, monkeypatch) -> None:
    paths = fill(site, 2)
    listing = queue_mod.question_files(site / "questions")
    paths[0].unlink()  # as a concurrent `floor publish` moves it away
    monkeypatch.setattr(
        queue_mod, "question_files", lambda folder: listing if folder.name == "questions" else []
    )
    assert [q.id for q in load(site).queued] == ["q-01"]


def test_a_cache_folder_that_cannot_be_written_is_no_error(site, settled) -> None:
    fill(site, 2)
    (site / ".cache").write_text("a file where the folder should be", encoding="utf-8")
    assert len(load(site).queued) == 2


def test_callers_may_change_what_they_get(site, settled) -> None:
    fill(site, 1)
    load(site)
    first = load(site).find("q-00")
    first.tags.append("mine")
    first.question = "changed"
    again = load(site).find("q-00")
    assert again.tags == [] and again.question == "Question number 0?"


def test_inside_a_build_the_in_memory_store_is_filled_from_the_cache(site, settled, parses) -> None:
    [path] = fill(site, 1)
    load(site)
    parses.clear()
    with question_mod.reusing_parses() as store:
        load(site)
        assert (os.path.abspath(Site(site).questions_dir / path.name), False) in store
        assert question_mod.load(Site(site).questions_dir / path.name).question == "Question number 0?"
    assert parses == []


def _real_documents() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.name != "SOURCES.md")


def test_real_front_matter_documents_load_the_same_cached_and_fresh(site, settled, parses) -> None:
    documents = _real_documents()
    for doc in documents:
        text = doc.read_text(encoding="utf-8")
        write_question(site, f"as-is-{doc.stem}", text)
        # the same document made a question: two lines after its opening "---"
        head, rest = text.split("\n", 1)
        write_question(
            site, f"asked-{doc.stem}", f"{head}\nquestion: About {doc.name}?\nasked: 2026-11-01\n{rest}"
        )
    fresh = load(site, cache=False)
    assert len(fresh.queued) + len(fresh.errors) == 2 * len(documents)
    assert {Path(e.path).name for e in fresh.errors} >= {f"as-is-{d.stem}.md" for d in documents}
    assert fresh.queued, "documents that became questions"
    load(site)
    parses.clear()
    warm = load(site)
    assert parses == [Path(e.path) for e in fresh.errors], "only the files with problems are parsed again"
    assert snapshot(warm) == snapshot(fresh)
    extras = {q.id: q.extra for q in warm.queued}
    for doc in documents:  # the fields the kit does not know come back whole (nested mappings included)
        if f"asked-{doc.stem}" in extras:
            assert extras[f"asked-{doc.stem}"] == fresh.find(f"asked-{doc.stem}").extra


def test_floor_commands_see_an_edit_between_warm_runs(site) -> None:
    """End to end, with the real two-second racy window: run, wait it out, run warm, edit, run."""
    fill(site, 3)
    write_question(site, "plain", question_text("Plain contact?", contact="plain.reader@example.org"))
    time.sleep(parse_cache.RACY_NS / 1e9)
    commands = [("queue", "--json"), ("schedule", "--json"), ("check", "--json")]
    cold = [ok(run_floor(*command, site=site)) for command in commands]
    assert cache_path(site).is_file()
    assert [ok(run_floor(*command, site=site)) for command in commands] == cold, "warm output is cold output"
    assert "plain.md" in cold[2], "check still warns of the plain contact (that file is never cached)"
    path = site / "questions" / "q-01.md"
    st = path.stat()
    path.write_text(
        path.read_text(encoding="utf-8").replace("Question number 1?", "Question number Z?"), "utf-8"
    )
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    warm = ok(run_floor("queue", "--json", site=site))
    assert "Question number Z?" in warm and "Question number 1?" not in warm


# --- a cache file that cannot run code (issue 21) ---------------------------------------------


@pytest.mark.parametrize("name", [parse_cache.FILE, *parse_cache.OLD_FILES])
def test_a_replaced_cache_file_never_runs_code(site, settled, parses, tmp_path, name: str) -> None:
    fill(site, 2)
    expected = snapshot(load(site))
    witness = tmp_path / "pwned"
    payload = pickle.dumps((parse_cache.salt(), CodeWhenUnpickled(witness)))
    (cache_path(site).parent / name).write_bytes(payload)
    parses.clear()
    assert snapshot(load(site)) == expected
    assert not witness.exists(), "the cache file was unpickled"
    if name == parse_cache.FILE:
        assert len(parses) == 2, "the replaced file was not trusted"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda row: row[4].__setitem__("tags", [{"not": "text"}]),
        lambda row: row[4].__setitem__("asked", "not a date"),
        lambda row: row[4].__setitem__("__class__", "x"),
        lambda row: row[2].__setitem__(0, "12"),
        lambda row: row.__setitem__(3, "zz"),
        lambda row: row[4].__setitem__("also_asked_by", [{"question": "Q?", "asked": "2026-01-01"}]),
        lambda row: row[4].pop("asked"),
        lambda row: row[2].__setitem__(1, True),  # a stamp's number that is a boolean
        lambda row: row[2].append(7),  # a stamp of six numbers
        lambda row: row[4].__setitem__("path", "elsewhere.md"),  # the path is the file's own
        lambda row: row[4].__setitem__("question", 42),  # text that is a number
        lambda row: row[4].__setitem__("hold", "yes"),  # a flag that is text
        lambda row: row[4].__setitem__("asked", 20260101),  # a date that is a number
        lambda row: row[4].__setitem__("tags", "tone"),  # tags that are not a list
        lambda row: row[4].__setitem__("tags", ["tone", 3]),
        lambda row: row[4].__setitem__("extra", {"note": {"deep": float("nan")}}),
    ],
)
def test_a_cache_entry_of_the_wrong_shape_makes_the_file_untrusted(site, settled, parses, tamper) -> None:
    fill(site, 2)
    expected = snapshot(load(site))
    saved = json.loads(cache_path(site).read_bytes())
    tamper(saved["entries"][0])
    cache_path(site).write_text(json.dumps(saved), encoding="utf-8")
    parses.clear()
    assert snapshot(load(site)) == expected
    assert len(parses) == 2


def write_merged(site: Path) -> Path:
    """A question with a merged reader, a date of its own and a field the kit does not know."""
    return write_question(
        site,
        "merged",
        question_text(
            "Merged?",
            not_before="2026-12-01",
            also_asked_by="\n  - question: Same?\n    asked: 2026-11-02\n    credit: true\n    asker: Jo",
            note="an unknown field",
        ),
    )


def test_merged_readers_and_dates_come_back_from_the_cache_as_parsed(site, settled, parses) -> None:
    write_merged(site)
    expected = snapshot(load(site))
    parses.clear()
    assert snapshot(load(site)) == expected
    assert parses == [], "served from the cache"


# --- the build's parses handed from its validation worker (parses_to_bytes) -------------------


def test_parses_handed_over_as_bytes_are_the_questions_as_parsed(site, settled, parses) -> None:
    """What the build's validation worker sends is plain marshal data, and each question comes
    back equal to its parse: merged readers, dates, the post's datetime, unknown fields."""
    fill(site, 2)
    write_merged(site)
    posts = site / "content" / "floor"
    posts.mkdir(parents=True, exist_ok=True)
    (posts / "post.md").write_text(
        question_text("Published?", quick="Yes.", body="Answer.").replace(
            "---\n", "---\ntitle: Published?\ndate: 2026-11-03T09:00:00+01:00\nnumber: 1\n", 1
        ),
        encoding="utf-8",
    )
    with question_mod.reusing_parses() as store:
        found = load(site)
        assert not found.errors and found.published
        data = parse_cache.parses_to_bytes(store)
    assert type(data) is bytes
    back = parse_cache.parses_from_bytes(data)
    assert back.keys() == store.keys()
    for key, (stamp, q) in store.items():
        assert back[key][0] == stamp
        assert vars(back[key][1]) == vars(q) and type(back[key][1].path) is type(q.path)
        assert repr(back[key][1]) == repr(q)


def test_an_attribute_a_holder_set_on_a_parse_is_not_handed_over(site, settled) -> None:
    """A question is rebuilt from its fields only: a name that is no Question field is left out."""
    fill(site, 1)
    with question_mod.reusing_parses() as store:
        load(site)
        key = next(iter(store))
        store[key][1].shown_on = "a page"  # what a build may note on the question it holds
        data = parse_cache.parses_to_bytes(store)
    back = parse_cache.parses_from_bytes(data)[key][1]
    assert not hasattr(back, "shown_on")
    assert {**back.__dict__, "shown_on": "a page"} == store[key][1].__dict__


def test_a_parse_marshal_cannot_hold_is_left_out_and_parsed_again(site, settled, parses) -> None:
    """A value that is not plain data (the kit's YAML makes none, but the store is open to any
    caller) is not handed over: that question is left out, the others still go, and the one
    left out is parsed again where it is needed."""
    import datetime as dt

    fill(site, 3)
    with question_mod.reusing_parses() as store:
        load(site)
        odd = next(key for key in store if key[0].endswith("q-01.md"))
        store[odd][1].extra["reviewed"] = dt.date(2026, 10, 1)
        back = parse_cache.parses_from_bytes(parse_cache.parses_to_bytes(store))
    assert sorted(Path(name).name for name, _ in back) == ["q-00.md", "q-02.md"]
    with question_mod.reusing_parses(back):
        parses.clear()
        again = load(site, cache=False)
    assert parses == [site / "questions" / "q-01.md"], "only the one left out is parsed again"
    assert [q.id for q in again.queued] == ["q-00", "q-01", "q-02"]


def _rewritten(paths: list[Path]) -> None:
    """Each file rewritten with the same bytes (a fresh checkout: new stats, old bytes)."""
    for path in paths:
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)


def _read_files(monkeypatch) -> list[str]:
    """The question files read (opened for their bytes) by queue.parse_files' reader."""
    read: list[str] = []
    real = queue_mod._read_and_parse
    monkeypatch.setattr(queue_mod, "_read_and_parse", lambda job: read.append(job[0].name) or real(job))
    return read


def test_files_the_build_already_read_are_not_read_again(site, settled, monkeypatch) -> None:
    """Files whose stats moved but whose bytes the build's input check just hashed to the cached
    digest are taken from the cache unread; a file whose stat moved again, or whose bytes are
    others, is read (and the edit seen)."""
    paths = fill(site, 3)
    first = load(site)
    _rewritten(paths)
    time.sleep(0.15)  # out of the racy window (build_manifest.racy) before the digests are taken
    since = time.time_ns()
    root = Site(site).root
    digests = {}
    for path in paths:
        st = path.stat()
        digests[path.relative_to(root).as_posix()] = [
            st.st_size,
            st.st_mtime_ns,
            parse_cache.digest(path.read_bytes()).hex(),
            st.st_ctime_ns,
        ]
    read = _read_files(monkeypatch)
    seen: dict[str, list] = {}
    again = load(site, read_before=queue_mod.ReadBefore(digests, since), read_now=seen)
    assert read == [], "nothing read a second time"
    assert snapshot(again) == snapshot(first)
    assert seen == digests, "what it took is handed on as the input check took it"

    edited = paths[1].read_text(encoding="utf-8").replace("Answer 1.", "Answer Y.")
    paths[1].write_text(edited, encoding="utf-8")
    _rewritten([paths[0], paths[2]])
    time.sleep(0.15)
    st = paths[2].stat()  # q-02 as it is now, with other bytes than the cached ones
    given = {**digests, "questions/q-02.md": [st.st_size, st.st_mtime_ns, "00" * 16, st.st_ctime_ns]}
    read.clear()
    later = load(site, read_before=queue_mod.ReadBefore(given, time.time_ns()))
    assert sorted(read) == ["q-00.md", "q-01.md", "q-02.md"], "moved again, edited, other bytes: each is read"
    assert later.find("q-01").body == "Answer Y."


def test_a_digest_taken_in_the_racy_window_is_not_trusted(site, settled, monkeypatch) -> None:
    [path] = fill(site, 1)
    load(site)
    _rewritten([path])
    st = path.stat()
    rel = path.relative_to(Site(site).root).as_posix()
    digests = {rel: [st.st_size, st.st_mtime_ns, parse_cache.digest(path.read_bytes()).hex(), st.st_ctime_ns]}
    read = _read_files(monkeypatch)
    load(site, read_before=queue_mod.ReadBefore(digests, st.st_mtime_ns))  # taken as it was written
    assert read == ["q-00.md"]


def test_entries_saved_again_unchanged_are_written_as_they_were_read(site, settled, monkeypatch) -> None:
    """A fresh checkout moves every stat: the cache is saved again with the new stats, each
    unchanged entry's fields written from the file's own (not encoded anew), an edited one's
    encoded; the file then holds exactly what encoding every entry gives."""
    paths = fill(site, 3)
    load(site)
    _rewritten(paths)
    edited = paths[1].read_text(encoding="utf-8").replace("Answer 1.", "Answer Z.")
    paths[1].write_text(edited, encoding="utf-8")
    encoded: list[str] = []
    real = parse_cache._encoded
    monkeypatch.setattr(parse_cache, "_encoded", lambda fields: encoded.append(fields["id"]) or real(fields))
    load(site)
    assert encoded == ["q-01"], "only the edited entry is encoded"
    saved = json.loads(cache_path(site).read_text(encoding="utf-8"))["entries"]
    store = parse_cache.ParseCache(cache_path(site))
    assert {row[0]: row[4] for row in saved} == {
        key[0]: real(fields) for key, (_stamp, _digest, fields) in store.entries.items()
    }
    assert [list(row[2]) for row in saved] == [list(parse_cache.stamp_of(p.stat())) for p in paths]
    assert load(site).find("q-01").body == "Answer Z."


# --- the rows checked a column at a time (_rows_from) against the row-by-row reading ----------


def _row_by_row(rows):
    """The file's rows read one at a time, as the kit did before the sixteenth session: the
    reference the column-at-a-time check must agree with, on every file."""
    import datetime as dt

    if not isinstance(rows, list):
        return None
    kinds = parse_cache._kinds()
    stored = {name: parse_cache._AS_STORED.get(kind, kind) for name, kind in kinds.items()}
    kept, loaded = {}, {}
    for raw in rows:
        if not (isinstance(raw, list) and len(raw) == 5):
            return None
        rel, published, stamp, hexdigest, fields = raw
        if not (
            type(rel) is str
            and type(published) is bool
            and type(stamp) is list
            and [type(n) for n in stamp] == [int] * 5
            and type(hexdigest) is str
            and len(hexdigest) == 32
            and type(fields) is dict
        ):
            return None
        try:
            digest = bytes.fromhex(hexdigest)
        except ValueError:
            return None
        if any(stored.get(name) is not type(value) for name, value in fields.items()):
            return None
        out = dict(fields)
        for name, value in fields.items():
            kind = kinds[name]
            try:
                if kind == "date":
                    out[name] = dt.date.fromisoformat(value)
                elif kind == "datetime":
                    out[name] = dt.datetime.fromisoformat(value)
            except ValueError:
                return None
            if kind == "also_asked_by":
                out[name] = parse_cache._also_from(value)
                if out[name] is None:
                    return None
            elif kind in ("tags", "extra") and not (
                all(type(tag) is str for tag in value) if kind == "tags" else parse_cache._is_plain(value)
            ):
                return None
        if not parse_cache._required() <= out.keys():
            return None
        kept[(rel, published)] = (tuple(stamp), digest, out)
        loaded[(rel, published)] = (out, fields)
    return kept, loaded


def _tampered(rows: list, seed: int) -> list:
    """A copy of the rows with one value somewhere replaced by another JSON value."""
    import random

    rng = random.Random(seed)
    rows = json.loads(json.dumps(rows))
    row = rng.choice(rows)
    others = [
        None,
        True,
        0,
        7,
        -1,
        1.5,
        "",
        "x",
        "2026-02-30",
        "2026-11-01",
        "2026-11-01T09:00:00+00:00",
        [],
        ["tone"],
        [1],
        {},
        {"a": 1},
        "0" * 32,
        "zz" * 16,
        [1, 2, 3, 4, 5],
    ]
    where = rng.randrange(7)
    if where == 6:  # one number of the stat
        row[2][rng.randrange(5)] = rng.choice(others)
    elif where < 4:
        row[where] = rng.choice(others)
    elif where == 4 and row[4]:
        name = rng.choice(sorted(row[4]))
        if rng.random() < 0.2:
            del row[4][name]
        else:
            row[4][name] = rng.choice(others)
    else:
        row[4][
            rng.choice(["note", "path", "not_before", "pin", "date", "tags", "extra", "hold", "number"])
        ] = rng.choice(others)
    if rng.random() < 0.1:
        rows.append(rng.choice(others))
    return rows


def test_the_rows_are_checked_as_the_row_by_row_reading_checked_them(site, settled) -> None:
    """Every file the column-at-a-time check takes, the row-by-row reading took, with the same
    entries; every file it refuses, that reading refused: 2,000 tamperings of a real cache."""
    fill(site, 6)
    write_merged(site)
    published = site / "content" / "floor" / "a-post.md"
    published.parent.mkdir(parents=True, exist_ok=True)
    published.write_text(
        question_text(
            "Posted?",
            quick="Yes.",
            title='"A post"',
            date="2026-11-02T09:00:00+00:00",
            number="3",
            slug="a-post",
            tags="[tone, tools]",
            pin="2026-11-09",
        ),
        encoding="utf-8",
    )
    load(site)
    rows = json.loads(cache_path(site).read_bytes())["entries"]
    assert len(rows) == 8 and parse_cache._rows_from(rows) is not None
    assert parse_cache._rows_from(rows) == _row_by_row(rows)
    verdicts = set()
    for seed in range(2000):
        tampered = _tampered(rows, seed)
        expected = _row_by_row(tampered)
        assert parse_cache._rows_from(tampered) == expected, seed
        verdicts.add(expected is None)
    assert verdicts == {True, False}  # both kinds of file were tried
    for bad in ({}, "rows", None, [[]], [None]):
        assert parse_cache._rows_from(bad) is None
    assert parse_cache._rows_from([]) == ({}, {})


# --- questions made from the kept fields (rebuild) --------------------------------------------


def _rebuilt_by_keywords(fields: dict, path: Path):
    """The reference: every field by its name, as rebuild made them before (defaults, a fresh
    list or dict per question from its factory, names that are no field left out)."""
    import dataclasses

    from from_the_floor.core.question import Question

    values: dict = {"path": path}
    for f in dataclasses.fields(Question):
        if f.default is not dataclasses.MISSING:
            values[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            values[f.name] = f.default_factory()
    values.update(fields)
    names = {f.name for f in dataclasses.fields(Question)}
    return Question(**{name: value for name, value in values.items() if name in names})


def test_questions_made_from_kept_fields_are_the_ones_their_names_made() -> None:
    """rebuild gives Question its fields by position (parse_cache._positions): on 3,000 random
    mappings of kept fields (any subset, values of each field's type, names that are no field)
    each question is the one made by name, a list or dict it did not keep is its own, its
    mapping shares its keys as before, and a mapping without a required field is refused."""
    import dataclasses
    import datetime as dt
    import random
    import sys

    from from_the_floor.core.question import AlsoAsked, Question

    rng = random.Random(20261207)
    samples = {
        "id": lambda: f"q-{rng.randrange(10**6)}",
        "question": lambda: rng.choice(["Why?", "How ever?", "Ünïcode?", ""]),
        "asked": lambda: dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(400)),
        "tags": lambda: rng.sample(["a", "b", "c", "tone"], rng.randrange(4)),
        "also_asked_by": lambda: [AlsoAsked(question="Same?", asked=dt.date(2026, 2, 3))],
        "extra": lambda: {"mood": rng.choice(["calm", 3, None])},
        "date": lambda: dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC),
        "not_before": lambda: dt.date(2026, 5, 6),
        "pin": lambda: dt.date(2026, 7, 8),
    }
    kinds = {f.name: f for f in dataclasses.fields(Question) if f.name != "path"}

    def value(name: str):
        if name in samples:
            return samples[name]()
        default = kinds[name].default
        if type(default) is bool:
            return rng.random() < 0.5
        if type(default) is int or name == "number":
            return rng.randrange(-2, 50)
        return rng.choice(["text", "", "age:abc"])

    required = [name for name, f in kinds.items() if f.default is f.default_factory is dataclasses.MISSING]
    by_name = []  # Question(...) calls given keywords: thirty of them matched by name cost half the time

    class Counted(Question):
        def __init__(self, *args, **kwargs) -> None:
            if kwargs:
                by_name.append(kwargs)
            super().__init__(*args, **kwargs)

    for n in range(3000):
        chosen = rng.sample(sorted(kinds), rng.randrange(len(kinds) + 1))
        fields = {name: value(name) for name in [*required, *chosen]}
        if n % 7 == 0:
            fields["shown_on"] = "a page"  # an attribute a holder set: no field, left out
        path = Path(f"questions/q-{n}.md")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(question_mod, "Question", Counted)
            counted = parse_cache.rebuild(fields, path)
        assert type(counted) is Counted and vars(counted) == vars(parse_cache.rebuild(fields, path))
        made, expected = parse_cache.rebuild(fields, path), _rebuilt_by_keywords(fields, path)
        assert vars(made) == vars(expected) and repr(made) == repr(expected)
        assert list(vars(made)) == list(vars(expected))
        assert sys.getsizeof(vars(made)) == sys.getsizeof(vars(expected))  # keys shared alike
        for name in ("tags", "also_asked_by", "extra"):
            if name not in fields:
                assert getattr(made, name) is not getattr(parse_cache.rebuild(fields, path), name)
        if n % 50 == 0:
            gone = dict(fields)
            del gone[rng.choice(required)]
            with pytest.raises(TypeError):
                _rebuilt_by_keywords(gone, path)
            with pytest.raises(TypeError):
                parse_cache.rebuild(gone, path)
    assert by_name == []
