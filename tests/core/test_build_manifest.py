"""The build manifest's file: what it trusts, what it refuses, what it never holds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from from_the_floor import __version__
from from_the_floor.core import build_manifest as bm
from from_the_floor.core import gitignore, guard, sealing


def _old(path: Path, seconds: float = 60) -> None:
    """Back-date a file out of the racy window."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_saved_manifest_loads_as_it_was(tmp_path: Path) -> None:
    manifest = bm.Manifest(
        key="k",
        fast="f",
        roots=["content", "*"],
        inputs={"content/a.md": [3, 5, "d", 7]},
        outputs={"index.html": [10, 20, "page", "sig", "d1", 30]},
        guard="g",
        clean=["00ff"],
    )
    path = bm.path_for(tmp_path / "output")
    assert path == tmp_path / ".output.manifest.json"
    bm.save(path, manifest)
    assert bm.load(path) == manifest
    assert not list(tmp_path.glob(".*.tmp")), "written atomically: no temp file left"


def _key_at(folder: Path) -> bytes | None:
    sealing.write_key_file(folder / sealing.KEY_FILE, sealing.generate()[0])
    return bm.record_key(folder)


def test_a_signed_manifest_loads_only_with_its_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("FLOOR_AGE_KEY", raising=False)
    assert bm.record_key(tmp_path) is None, "no private key: nothing to sign with"
    key, other = _key_at(tmp_path), _key_at(tmp_path / "another")
    assert key is not None and other is not None and key != other
    manifest = bm.Manifest(key="k", fast="f", outputs={"index.html": [1, 2, "page", "s", "d", 3]})
    path = tmp_path / ".output.manifest.json"
    bm.save(path, manifest, key)
    assert bm.load(path, key) == manifest
    assert bm.load(path) == manifest, "without the key: read, its outputs checked by digest"
    assert bm.read(path, other).forged, "another column's key"
    head_line, body = path.read_text(encoding="utf-8").split("\n", 1)
    head, data = json.loads(head_line), json.loads(body)
    assert head["mac"] and data["key"] == "k", "a line with the signature, then the record it covers"
    data["outputs"]["index.html"][4] = "e"  # a record edited to match an edited page
    path.write_text(head_line + "\n" + json.dumps(data), encoding="utf-8")
    assert bm.load(path, key) is None and bm.read(path, key).forged
    assert not bm.read(path, key).unsigned, "a wrong signature is not a missing one"
    del head["mac"]
    path.write_text(json.dumps(head) + "\n" + json.dumps(data), encoding="utf-8")
    assert bm.read(path, key).forged, "an unsigned record is not trusted where the key is"
    assert bm.read(path, key).unsigned, "it says the record was made without the key"
    bm.save(path, manifest)
    assert bm.read(path, key).forged


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        '{"format": 1}',
        json.dumps({"format": 99, "kit": __version__}),
        json.dumps({"format": bm.FORMAT, "kit": "0.0.0-other"}),
        json.dumps({"format": bm.FORMAT, "kit": __version__}),  # a head line with no record
        json.dumps({"format": bm.FORMAT, "kit": __version__}) + "\n[]",
        json.dumps({"format": bm.FORMAT, "kit": __version__}) + '\n{"format": 4, "kit": "x"}',
    ],
)
def test_anything_else_is_no_manifest(tmp_path: Path, text: str) -> None:
    path = tmp_path / ".output.manifest.json"
    path.write_text(text, encoding="utf-8")
    assert bm.load(path) is None
    assert bm.load(tmp_path / "missing.json") is None


def _a_record() -> bm.Manifest:
    return bm.Manifest(
        key="k",
        fast="f",
        roots=["content"],
        inputs={"content/a.md": [3, -1, "d", 7]},
        outputs={"index.html": [10, 20, "page", "sig", "d1", 30], "x.png": [1, 2, "static", None, "d2", 3]},
        guard="g",
        clean=["00ff"],
        posts={"content/a.md": ["probe", None, "card", None]},
    )


@pytest.mark.parametrize(
    ("table", "rel", "row"),
    [
        ("inputs", "content/a.md", ["3", -1, "d", 7]),  # a size that is text
        ("inputs", "content/a.md", [3, -1, None, 7]),  # no digest
        ("inputs", "content/a.md", [3, -1, "d", 7.5]),
        ("outputs", "index.html", [10, 20, "page", 5, "d1", 30]),  # a signature that is a number
        ("outputs", "index.html", [10, 20, None, "sig", "d1", 30]),  # no kind
        ("outputs", "index.html", {"size": 10}),
        ("posts", "content/a.md", ["probe", None, "card", 1]),
        ("posts", "content/a.md", ["probe", None, "card"]),
        ("posts", "content/a.md", "probe"),
        ("roots", None, [1]),
        ("clean", None, [None]),
        ("key", None, 1),
    ],
)
def test_a_record_with_a_field_of_another_type_is_no_manifest(
    tmp_path: Path, table: str, rel: str | None, row
) -> None:
    """Each field is checked on load, not only each row's length: a record edited into another
    shape means a full build, never one that trips over a number where a digest should be."""
    path = tmp_path / ".output.manifest.json"
    bm.save(path, _a_record())
    assert bm.load(path) == _a_record()
    head, body = path.read_text(encoding="utf-8").split("\n", 1)
    data = json.loads(body)
    if rel is None:
        data[table] = row
    else:
        data[table][rel] = row
    path.write_text(head + "\n" + json.dumps(data), encoding="utf-8")
    assert bm.load(path) is None


def test_stamps_reuse_digests_while_the_stat_holds_and_hash_otherwise(tmp_path: Path, monkeypatch) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    post = site / "content" / "a.md"
    post.write_text("one", encoding="utf-8")
    (site / "pelicanconf.py").write_text("X = 1\n", encoding="utf-8")
    _old(post)
    roots = [site / "content", site / bm.TOP_LEVEL]
    first = bm.stamp_inputs(roots, site)
    assert set(first) == {"content/a.md", "pelicanconf.py"}
    assert first["content/a.md"][2] == hashlib.blake2b(b"one", digest_size=16).hexdigest()
    hashed: list[Path] = []
    real = bm.digest_file
    monkeypatch.setattr(bm, "digest_file", lambda p: hashed.append(p) or real(p))
    assert bm.stamp_inputs(roots, site, first) == first
    assert hashed == [], "an unchanged stat is not read again"
    post.write_text("two", encoding="utf-8")  # same size, new bytes
    st = first["content/a.md"]
    os.utime(post, ns=(st[1], st[1]))  # and the old mtime put back
    settled = bm.settle_racy(first, now_ns=st[1] + 1)  # stamped in the racy window: no mtime kept
    again = bm.stamp_inputs(roots, site, settled)
    assert again["content/a.md"][2] != first["content/a.md"][2]


def test_a_digest_this_build_took_as_it_read_a_file_is_not_taken_again(tmp_path: Path, monkeypatch) -> None:
    """The questions' check read a post whose stat moved (a fresh checkout) and handed on its
    stamp: the input check takes that digest while the stat is the one given, out of the racy
    window before the read began; else (the file changed since, a stamp taken as it changed)
    it reads the file itself."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    posts = [site / "content" / f"{name}.md" for name in "abc"]
    for post in posts:
        post.write_text(f"post {post.stem}", encoding="utf-8")
        _old(post)
    roots = [site / "content"]
    time.sleep(2 * bm.FINE_RACY_NS / 1e9)  # (their ctimes are now: out of the racy window first)
    since = time.time_ns()
    read = {f"content/{p.name}": bm.stamp_inputs([p], site)[f"content/{p.name}"] for p in posts}
    hashed: list[str] = []
    real = bm.digest_file
    monkeypatch.setattr(bm, "digest_file", lambda p: hashed.append(Path(p).name) or real(p))
    assert bm.stamp_inputs(roots, site, None, (read, since)) == read
    assert hashed == [], "each file was read once, by the questions' check"

    posts[0].write_text("post X", encoding="utf-8")  # changed since it was read (same size)
    st = posts[0].stat()
    os.utime(posts[0], ns=(st.st_atime_ns, read["content/a.md"][1]))
    stamps = bm.stamp_inputs(roots, site, None, (read, since))
    assert hashed == ["a.md"] and stamps["content/a.md"][2] == real(posts[0])
    hashed.clear()
    bm.stamp_inputs(roots, site, None, (read, read["content/b.md"][3]))  # read as they changed
    assert sorted(hashed) == ["a.md", "b.md", "c.md"]


def test_a_same_size_edit_with_its_mtime_put_back_is_seen_outside_the_racy_window(tmp_path: Path) -> None:
    """The stamp was taken long after the file last changed (not racy): the mtime alone would
    hold, but an edit changes the ctime, which nothing can set back."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    post = site / "content" / "a.md"
    post.write_text("Ask me at noon.", encoding="utf-8")
    _old(post)
    roots = [site / "content"]
    # the build that stamped it started well after the file last changed (its ctime included)
    first = bm.settle_racy(bm.stamp_inputs(roots, site), time.time_ns() + 2 * bm.RACY_NS)
    mtime = post.stat().st_mtime_ns
    assert first["content/a.md"][1] == mtime, "stamped outside the racy window: the mtime is kept"
    post.write_text("Ask me at nine.", encoding="utf-8")  # same size, new bytes
    os.utime(post, ns=(mtime, mtime))
    assert post.stat().st_size == first["content/a.md"][0] and post.stat().st_mtime_ns == mtime
    again = bm.stamp_inputs(roots, site, first)
    assert again["content/a.md"][2] == hashlib.blake2b(b"Ask me at nine.", digest_size=16).hexdigest()
    manifest = bm.Manifest(roots=bm.root_names(roots, site), inputs=first)
    assert not bm.inputs_unchanged(manifest, site)


def test_the_site_folders_own_files_are_watched_even_new_ones(tmp_path: Path) -> None:
    """retired.json appears at the top of the site: a root of "the files directly in it"."""
    (tmp_path / "pelicanconf.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.txt").write_text("no", encoding="utf-8")
    (tmp_path / ".hidden").write_text("no", encoding="utf-8")
    roots = [tmp_path / bm.TOP_LEVEL]
    manifest = bm.Manifest(roots=bm.root_names(roots, tmp_path), inputs=bm.stamp_inputs(roots, tmp_path))
    assert manifest.roots == ["*"] and set(manifest.inputs) == {"pelicanconf.py"}
    assert bm.inputs_unchanged(manifest, tmp_path)
    (tmp_path / "retired.json").write_text("{}", encoding="utf-8")
    assert not bm.inputs_unchanged(manifest, tmp_path)


def test_outputs_must_be_exactly_as_recorded(tmp_path: Path) -> None:
    out = tmp_path / "output"
    (out / "floor").mkdir(parents=True)
    (out / "index.html").write_text("home", encoding="utf-8")
    (out / "floor" / "a.html").write_text("a", encoding="utf-8")
    manifest = bm.Manifest(outputs=bm.stamp_outputs(out, {"index.html": ("page", "s1")}))
    assert manifest.outputs["index.html"][2:4] == ["page", "s1"]
    assert manifest.outputs["floor/a.html"][2:5] == ["other", None, bm.digest_bytes(b"a")]
    assert bm.outputs_now(manifest, out) is not None
    (out / "stray.html").write_text("?", encoding="utf-8")
    assert bm.outputs_now(manifest, out) is None
    (out / "stray.html").unlink()
    (out / "index.html").write_text("HOME!", encoding="utf-8")
    assert bm.outputs_now(manifest, out) is None
    st = (out / "floor" / "a.html").stat()
    (out / "index.html").write_text("home", encoding="utf-8")
    (out / "floor" / "a.html").write_text("b", encoding="utf-8")  # same size, its mtime put back
    os.utime(out / "floor" / "a.html", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert bm.outputs_now(manifest, out) is None
    good, bad = bm.verify_outputs(manifest, out)
    assert bad == ["floor/a.html"] and set(good) == {"index.html"}


def test_secrets_count_by_presence_only(monkeypatch) -> None:
    monkeypatch.setenv("FLOOR_AGE_KEY", "AGE-SECRET-KEY-1SECRETSECRET")
    monkeypatch.setenv("FLOOR_SMTP_PASSWORD", "hunter2")
    monkeypatch.setenv("FLOOR_SITEURL", "https://example.org")
    env = bm.environment()
    assert env["FLOOR_AGE_KEY"] == "set" and env["FLOOR_SMTP_PASSWORD"] == "set"
    assert env["FLOOR_SITEURL"] == "https://example.org"
    assert "hunter2" not in json.dumps(env) and "SECRETSECRET" not in json.dumps(env)


def test_the_fast_key_moves_with_what_the_command_line_sees(monkeypatch) -> None:
    def key(**changed) -> str:
        args = {"settings_file": "pelicanconf.py", "extra": [], "moment": "2026-12-07|None", "signing": None}
        return bm.fast_key(**{**args, **changed})

    base = key()
    assert base == key()
    assert base != key(settings_file="publishconf.py")
    assert base != key(extra=["-e", "X=1"])
    assert base != key(moment="2026-12-08|None")
    assert base != key(signing=bm.key_id(b"k" * 32))
    monkeypatch.setenv("FLOOR_SITEURL", "https://elsewhere.example")
    assert base != key()


def test_the_kit_counts_by_content_not_by_its_files_times() -> None:
    """A fresh install of the same kit (new mtimes, as on a CI machine) is the same kit."""
    import from_the_floor.core.atomic as some_module

    before = bm.kit_code()
    st = os.stat(some_module.__file__)
    try:
        os.utime(some_module.__file__, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        bm.kit_code.cache_clear()
        assert bm.kit_code() == before
    finally:
        os.utime(some_module.__file__, ns=(st.st_atime_ns, st.st_mtime_ns))
        bm.kit_code.cache_clear()


def _site_with_contact(root: Path, contact: str, recipient: str | None = None) -> Path:
    (root / "content" / "floor").mkdir(parents=True)
    (root / "questions").mkdir()
    (root / "pelicanconf.py").write_text("X = 1\n", encoding="utf-8")
    value = sealing.seal_text(contact, recipient) if recipient else contact
    (root / "questions" / "q.md").write_text(
        f'---\nquestion: "Why?"\nasked: 2026-01-01\ncontact: {value}\n---\n', encoding="utf-8"
    )
    return root


def test_the_guards_verdict_key_is_keyed_with_the_private_key(tmp_path: Path, monkeypatch) -> None:
    """Nobody without the key can test a guessed address against the manifest's guard key."""
    monkeypatch.delenv("FLOOR_AGE_KEY", raising=False)
    private, public = sealing.generate()
    site = _site_with_contact(tmp_path / "a", "reader@example.org", public)
    folders = [site / "content" / "floor", site / "questions"]
    without_key = guard.verdict_key(folders)
    sealing.write_key_file(site / sealing.KEY_FILE, private)
    with_key = guard.verdict_key(folders)
    assert with_key != without_key  # the guard sees more with the key
    guess = hashlib.blake2b(b"opened=True\nreader@example.org\x00", digest_size=16).hexdigest()
    assert with_key != guess, "an unkeyed digest of a guess does not match"
    other = _site_with_contact(tmp_path / "b", "someone.else@example.org", public)
    sealing.write_key_file(other / sealing.KEY_FILE, private)
    assert guard.verdict_key([other / "content" / "floor", other / "questions"]) != with_key


def test_existing_sites_learn_to_ignore_the_manifest(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("output/\n", encoding="utf-8")
    assert gitignore.ensure(tmp_path, gitignore.BUILD_MANIFEST, comment="the build manifest")
    assert not gitignore.ensure(tmp_path, gitignore.BUILD_MANIFEST)
    lines = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines == ["output/", "# the build manifest", ".*.manifest.json"]
    assert bm.path_for(tmp_path / "output").name.startswith(".") and bm.path_for(
        tmp_path / "output"
    ).name.endswith(".manifest.json")


def _unreadable(path: Path) -> None:
    raise AssertionError(f"{path} was read: its stat should have vouched for it")


def test_an_output_not_written_since_its_record_is_not_read_again(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "output"
    (out / "floor").mkdir(parents=True)
    (out / "index.html").write_text("home", encoding="utf-8")
    (out / "floor" / "a.html").write_text("a", encoding="utf-8")
    monkeypatch.setattr(bm, "RACY_NS", 0)  # (else files written a moment ago are hashed, to be safe)
    monkeypatch.setattr(bm, "FINE_RACY_NS", 0)
    manifest = bm.Manifest(outputs=bm.stamp_outputs(out, {"index.html": ("page", "s1")}))
    with monkeypatch.context() as m:
        m.setattr(bm, "digest_file", _unreadable)
        assert bm.outputs_now(manifest, out) == manifest.outputs
    st = (out / "floor" / "a.html").stat()
    (out / "floor" / "a.html").write_text("b", encoding="utf-8")  # same size, its mtime put back: new ctime
    os.utime(out / "floor" / "a.html", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert bm.outputs_now(manifest, out) is None
    (out / "floor" / "a.html").write_text("a", encoding="utf-8")  # its bytes back: hashed, and kept
    now = bm.outputs_now(manifest, out)
    assert now is not None and now["floor/a.html"][5] == (out / "floor" / "a.html").stat().st_ctime_ns


def test_an_output_recorded_in_the_racy_window_is_hashed_then_its_stamp_taken(
    tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("home", encoding="utf-8")
    monkeypatch.setattr(bm, "FINE_RACY_NS", bm.RACY_NS)  # (a slow machine may take 0.1 s from here)
    manifest = bm.Manifest(outputs=bm.stamp_outputs(out, {}))
    assert manifest.outputs["index.html"][1] == -1, "written just now: its mtime is not trusted"
    now = bm.outputs_now(manifest, out, now_ns=time.time_ns() + bm.RACY_NS)
    assert now is not None and now["index.html"][1] == (out / "index.html").stat().st_mtime_ns
    monkeypatch.setattr(bm, "digest_file", _unreadable)
    assert bm.outputs_now(bm.Manifest(outputs=now), out) == now


def test_a_hard_link_of_an_unwritten_output_is_not_read_again_a_copy_is(tmp_path: Path, monkeypatch) -> None:
    out, staged = tmp_path / "output", tmp_path / "staged"
    out.mkdir()
    staged.mkdir()
    for name in ("linked.html", "copied.html"):
        (out / name).write_text(name, encoding="utf-8")
    monkeypatch.setattr(bm, "RACY_NS", 0)
    monkeypatch.setattr(bm, "FINE_RACY_NS", 0)
    manifest = bm.Manifest(outputs=bm.stamp_outputs(out, {}))
    unwritten = bm.unwritten_outputs(manifest, out)
    assert set(unwritten) == {"linked.html", "copied.html"}
    os.link(out / "linked.html", staged / "linked.html")
    shutil.copy2(out / "copied.html", staged / "copied.html")  # same size and mtime, another file
    read: list[str] = []
    real, sized = bm.digest_file, bm.digest_sized
    monkeypatch.setattr(bm, "digest_file", lambda path: read.append(Path(path).name) or real(path))
    monkeypatch.setattr(bm, "digest_sized", lambda path, n: read.append(Path(path).name) or sized(path, n))
    good, bad = bm.verify_outputs(manifest, staged, unwritten=unwritten)
    assert set(good) == {"linked.html", "copied.html"} and not bad
    assert read == ["copied.html"]


def test_the_racy_window_is_one_timestamp_tick() -> None:
    """Whole-second timestamps (FAT, HFS+, ext3) may hide a change for up to two seconds; a file
    system with sub-second timestamps ticks at most every 10 ms, so a tenth of a second will do."""
    second = 1_000_000_000
    coarse = 1_700_000_000 * second
    assert bm.racy(coarse, coarse, coarse + second)
    assert not bm.racy(coarse, coarse, coarse + bm.RACY_NS)
    fine = coarse + 123_456_789
    assert bm.racy(fine, fine, fine + bm.FINE_RACY_NS - 1)
    assert not bm.racy(fine, fine, fine + bm.FINE_RACY_NS)
    assert bm.racy(coarse, fine, fine + bm.FINE_RACY_NS - 1), "the later of mtime and ctime counts"
    assert bm.settle_racy({"a.md": [1, fine, "d", fine]}, fine + 1)["a.md"][1] == -1
    assert bm.settle_racy({"a.md": [1, fine, "d", fine]}, fine + second)["a.md"][1] == fine


def test_a_kept_outputs_digest_is_reused_unless_it_may_have_changed_within_its_timestamps_tick(
    tmp_path: Path, monkeypatch
) -> None:
    """The build's check of the kept files gives their digests to the record: a file restored a
    moment before the build (new mtime, sub-second timestamps) is not read a second time; one
    whose mtime is within a tick of the build's start, or whose size or mtime moved, is."""
    out = tmp_path / "output"
    out.mkdir()
    for name in ("restored.html", "just-now.html", "moved.html", "coarse.html"):
        (out / name).write_text(name, encoding="utf-8")
    second = 1_000_000_000
    start = (time.time_ns() // second) * second + 500_000_000
    fine = start - 3 * bm.FINE_RACY_NS  # restored 0.3 s before the build started
    os.utime(out / "restored.html", ns=(fine, fine))
    os.utime(out / "just-now.html", ns=(start - 1_000, start - 1_000))
    os.utime(out / "moved.html", ns=(fine, fine))
    os.utime(out / "coarse.html", ns=(start - 500_000_000, start - 500_000_000))  # whole seconds
    known = {}
    for name in ("restored.html", "just-now.html", "moved.html", "coarse.html"):
        st = (out / name).stat()
        known[name] = [st.st_size, st.st_mtime_ns, "checked-" + name]
    (out / "moved.html").write_text("moved, and longer", encoding="utf-8")
    os.utime(out / "moved.html", ns=(fine, fine))
    read: list[str] = []
    real = bm.digest_file
    monkeypatch.setattr(bm, "digest_file", lambda path: read.append(Path(path).name) or real(path))
    records = bm.stamp_outputs(out, {}, bm.vouched(known, start))
    assert records["restored.html"][4] == "checked-restored.html"
    assert sorted(read) == ["coarse.html", "just-now.html", "moved.html"]
    assert records["moved.html"][4] == real(out / "moved.html")


def test_a_page_this_build_wrote_is_not_read_again_while_it_is_the_file_written(
    tmp_path: Path, monkeypatch
) -> None:
    """The rendering processes stamp each file as they write it, with the digest of the bytes in
    hand: the record takes it while the file keeps its inode, size, mtime and ctime. A file
    replaced since (another inode), or written into with its size and mtime put back (another
    ctime), is hashed."""
    out = tmp_path / "output"
    out.mkdir()
    written = {}
    for name in ("kept.html", "replaced.html", "touched.html"):
        data = f"<p>{name}</p>".encode()
        (out / name).write_bytes(data)
        written[name] = bm.written_stamp(str(out / name), data)
    assert written["kept.html"][2] == bm.digest_bytes(b"<p>kept.html</p>")
    replacement = out / "replacement.tmp"
    replacement.write_bytes(b"<p>REPLACED.html</p>")  # same size, another file
    os.replace(replacement, out / "replaced.html")
    st = (out / "replaced.html").stat()
    os.utime(out / "replaced.html", ns=(st.st_atime_ns, written["replaced.html"][1]))
    time.sleep(0.05)  # (a ctime some clock ticks later)
    st = (out / "touched.html").stat()
    with open(out / "touched.html", "r+b") as handle:  # written into, same size, mtime put back
        handle.write(b"<P>")
    os.utime(out / "touched.html", ns=(st.st_atime_ns, st.st_mtime_ns))
    read: list[str] = []
    real = bm.digest_file
    monkeypatch.setattr(bm, "digest_file", lambda path: read.append(Path(path).name) or real(path))
    records = bm.stamp_outputs(out, {}, written)
    assert sorted(read) == ["replaced.html", "touched.html"]
    assert records["kept.html"][4] == written["kept.html"][2]
    assert records["replaced.html"][4] == real(out / "replaced.html") != written["replaced.html"][2]
    assert records["touched.html"][4] == real(out / "touched.html") != written["touched.html"][2]


def test_the_record_leaves_out_the_mtime_of_a_file_that_may_still_change_unseen(monkeypatch) -> None:
    """As :func:`racy` says, for every file: one changed (mtime or ctime) within one timestamp
    tick of the record (a tenth of a second with sub-second timestamps, two seconds where both
    are whole seconds, as FAT and HFS+ keep them) is recorded without its mtime, so the next
    build hashes it; any other keeps its mtime."""
    second = 10**9
    now = time.time_ns()
    whole = now // second * second
    moments = [now + second, now, now - 1, now - bm.FINE_RACY_NS + 1, now - bm.FINE_RACY_NS - 1]
    moments += [now - second, whole, whole - second, whole - 2 * second, whole - 3 * second, 0]
    stats = {}
    for n, (mtime, ctime) in enumerate((m, c) for m in moments for c in moments):
        fields = (0o100644, n, 1, 1, 0, 0, 7, 0, mtime // second, ctime // second)
        stats[f"{n}.html"] = os.stat_result((*fields, 0.0, mtime / second, ctime / second, 0, mtime, ctime))
    monkeypatch.setattr(bm, "walk_files", lambda _output: iter(stats.items()))
    known = {name: [7, st.st_mtime_ns, "d"] for name, st in stats.items()}
    records = bm.stamp_outputs(Path("output"), {}, known)
    after = time.time_ns()
    for name, st in stats.items():
        unsure = records[name][1] == -1
        # (the record's own "now" is between the two clock readings around it)
        if bm.racy(st.st_mtime_ns, st.st_ctime_ns, now) == bm.racy(st.st_mtime_ns, st.st_ctime_ns, after):
            assert unsure == bm.racy(st.st_mtime_ns, st.st_ctime_ns, now), (name, st)
        assert records[name][5] == st.st_ctime_ns and records[name][4] == "d"


def test_a_file_of_known_size_is_hashed_as_any_file_is(tmp_path: Path, monkeypatch) -> None:
    """digest_sized reads a small file in one call of its size: the digest is the one every stamp
    holds, also for a file that grew or shrank since its size was taken, or is empty or gone."""
    path = tmp_path / "page.html"
    for data in (b"", b"x", b"<p>home</p>" * 1000):
        path.write_bytes(data)
        assert bm.digest_sized(str(path), len(data)) == bm.digest_file(path)
        assert bm.digest_sized(str(path), max(0, len(data) - 1)) == bm.digest_file(path), "grew since"
        assert bm.digest_sized(str(path), len(data) + 5) == bm.digest_file(path), "shrank since"
    monkeypatch.setattr(bm, "_SMALL", 4)
    path.write_bytes(b"a larger file, read in blocks")
    assert bm.digest_sized(str(path), path.stat().st_size) == bm.digest_file(path)
    assert bm.digest_sized(str(tmp_path / "gone.html"), 3) is None


def test_the_record_at_the_end_takes_each_outputs_stat_in_turn(tmp_path: Path, monkeypatch) -> None:
    """stamp_outputs walks output/ a file at a time (walk_files, in walk's order): the stats of
    every output are never all held at once, and the record is the one walk's would make."""
    out = tmp_path / "output"
    (out / "b" / "c").mkdir(parents=True)
    for rel in ("z.html", "a.html", "b/c/d.xml", "b/e.html"):
        (out / rel).write_text(rel, encoding="utf-8")
        # written a minute ago: a file in the racy window is recorded without its time, and a
        # loaded machine may leave it between the two records compared below
        os.utime(out / rel, ns=(time.time_ns() - 60_000_000_000,) * 2)
    (out / "b" / "up").symlink_to(out)  # a loop back up the tree is walked once
    assert list(bm.walk_files(out)) == list(bm.walk(out).items())
    assert [rel for rel, _ in bm.walk_files(out)] == ["a.html", "b/c/d.xml", "b/e.html", "z.html"]
    want = bm.stamp_outputs(out, {"a.html": ("page", "s")})

    def whole(_folder):
        raise AssertionError("every stat at once")

    monkeypatch.setattr(bm, "walk", whole)
    assert bm.stamp_outputs(out, {"a.html": ("page", "s")}) == want


def test_a_saved_manifest_is_its_head_line_then_its_body(tmp_path: Path, monkeypatch) -> None:
    """Written in pieces, the file holds the same bytes: the head (with the body's signature)
    on its own line, then the body, then a newline."""
    monkeypatch.delenv("FLOOR_AGE_KEY", raising=False)
    key = _key_at(tmp_path)
    manifest = bm.Manifest(key="k", fast="f", outputs={"index.html": [10, 20, "page", "sig", "d1", 30]})
    path = bm.path_for(tmp_path / "output")
    bm.save(path, manifest, key)
    head, body, end = path.read_bytes().split(b"\n")
    assert end == b""
    assert json.loads(body)["outputs"] == manifest.outputs and b" " not in body
    assert set(json.loads(head)) == {"format", "kit", "mac"}
    assert bm.read(path, key).manifest == manifest


def _big_manifest() -> bm.Manifest:
    """A record with tables of several pieces' rows (the piece made small by the test) and file
    names a reader could have put there: quotes, backslashes, accents, a lone surrogate."""
    names = [f'q/{i}-caf\u00e9 "x"\\y\udc80.html' for i in range(11)]
    return bm.Manifest(
        key="k",
        fast="f",
        roots=["content"],
        inputs={n: [i, -1, "d", i] for i, n in enumerate(names)},
        outputs={n: [i, 2, "page", None if i % 2 else "s", "d", 3] for i, n in enumerate(names[:4])},
        posts={n: [None] * bm.POST_FIELDS for n in names[:1]},
        clean=["a", "b"],
    )


@pytest.mark.parametrize("signed", [True, False])
def test_a_manifest_is_written_a_piece_at_a_time_with_the_same_bytes(
    tmp_path: Path, monkeypatch, signed
) -> None:
    """The record at the end is never encoded whole (at 10,000 posts its body is 8 MB, held as
    text and bytes at once at the build's peak): no single encoding is more than a piece of
    it, yet the file is byte for byte the one made by encoding it whole, signed the same."""
    monkeypatch.delenv("FLOOR_AGE_KEY", raising=False)
    monkeypatch.setattr(bm, "_ROWS_A_PIECE", 3)
    key = _key_at(tmp_path) if signed else None
    manifest = _big_manifest()
    longest = [0]
    real_dumps = json.dumps

    def dumps(value, **kwargs):
        text = real_dumps(value, **kwargs)
        longest[0] = max(longest[0], len(text))
        return text

    monkeypatch.setattr(bm.json, "dumps", dumps)
    path = bm.path_for(tmp_path / "output")
    bm.save(path, manifest, key)
    monkeypatch.setattr(bm.json, "dumps", real_dumps)
    head, body, end = path.read_bytes().split(b"\n")
    whole = json.dumps(
        {
            "format": bm.FORMAT,
            "kit": __version__,
            "key": "k",
            "fast": "f",
            "roots": ["content"],
            "inputs": manifest.inputs,
            "outputs": manifest.outputs,
            "guard": manifest.guard,
            "clean": ["a", "b"],
            "posts": manifest.posts,
            "code": bm.kit_code(),  # the kit that wrote it (a new record: this one)
        },
        separators=(",", ":"),
    ).encode("ascii")
    assert body == whole and end == b""
    assert longest[0] < len(whole) / 3
    expected_head = {"format": bm.FORMAT, "kit": __version__}
    if signed:
        expected_head["mac"] = sealing.bytes_mac(whole, key)
    assert head == json.dumps(expected_head).encode("utf-8")
    assert bm.read(path, key).manifest == manifest


def test_the_streamed_mac_is_the_mac_of_the_pieces_joined() -> None:
    key = b"k" * 32
    stream = sealing.mac_stream(key)
    for piece in (b"{", b'"a":1', b"", b"}"):
        stream.update(piece)
    assert stream.hexdigest() == sealing.bytes_mac(b'{"a":1}', key)
    assert len(sealing.bytes_mac(b"", key)) == 64


def test_the_key_file_and_floor_age_key_holding_the_same_key_sign_alike(tmp_path: Path, monkeypatch) -> None:
    """FLOOR_AGE_KEY set from the key file itself (the weekly job's build tried at home) is the
    same key: a record signed by a build with the file alone must verify in that build, not be
    reported as made with another private key and rebuilt in full."""
    monkeypatch.delenv("FLOOR_AGE_KEY", raising=False)
    file_only = _key_at(tmp_path)
    monkeypatch.setenv("FLOOR_AGE_KEY", (tmp_path / sealing.KEY_FILE).read_text(encoding="utf-8"))
    assert bm.record_key(tmp_path) == file_only
    monkeypatch.setenv("FLOOR_AGE_KEY", sealing.generate()[0])
    assert bm.record_key(tmp_path) != file_only, "a second, different key still changes the ring"
