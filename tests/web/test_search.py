"""search: the real Pagefind binary (pagefind-bin) indexes a built folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from from_the_floor.errors import FloorError
from from_the_floor.web import search

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head>
<body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>"""


def site(root: Path) -> Path:
    (root / "floor" / "a").mkdir(parents=True)
    (root / "index.html").write_text(PAGE.format(title="Home", text="Welcome"), encoding="utf-8")
    (root / "floor" / "a" / "index.html").write_text(
        PAGE.format(title="Stalking", text="Do you ever stalk your customers?"), encoding="utf-8"
    )
    return root


def test_index_writes_a_bundle_and_replaces_a_stale_one(tmp_path: Path):
    out = site(tmp_path / "output")
    stale = out / "pagefind" / "fragment" / "old.pf_fragment"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    (out / "pagefind" / "pagefind.js").write_text("old", encoding="utf-8")
    search.index(out)
    assert (out / "pagefind" / "pagefind.js").read_text(encoding="utf-8") != "old"
    assert not stale.exists(), "a deleted page must not stay findable"
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert "en" in entry["languages"]
    assert entry["languages"]["en"]["page_count"] == 2


def test_no_site_no_index(tmp_path: Path):
    with pytest.raises(FloorError):
        search.index(tmp_path)


# --- RecordIndex: the service, fed records during the build ---------------------------------

RECORDS = [
    search.Record("/floor/a/", "Do you stalk customers?", "Do you stalk customers?\n\nNever, but I listen."),
    search.Record("/floor/b/", "Why weekly?", "Why weekly?\n\nBecause answers need a night's sleep."),
]


def _bundle_bytes(bundle: Path) -> dict[str, bytes]:
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in files}


def test_records_become_a_bundle_only_when_written(tmp_path: Path):
    out, staging = tmp_path / "output", tmp_path / ".output-pagefind.tmp"
    out.mkdir()
    index = search.RecordIndex(out, "en", staging)
    index.add(RECORDS)
    assert not (out / "pagefind").exists(), "nothing lands in the site before write()"
    assert index.write() == 2
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 2
    assert not staging.exists()


def test_the_bundle_is_written_and_whole_before_write_is_called(tmp_path: Path):
    """Pagefind writes the bundle while the build signs and renders: write() only moves it in."""
    out, staging = tmp_path / "output", tmp_path / "staging"
    out.mkdir()
    index = search.RecordIndex(out, "en", staging)
    index.add(RECORDS)
    index._feeder.join()  # what the build does meanwhile does not matter
    bundle = _bundle_bytes(staging / "0")
    assert "pagefind.js" in bundle and json.loads(bundle["pagefind-entry.json"])["languages"]["en"]
    assert index._outcome == 2, "the feeder saw the bundle written"
    assert index.write() == 2
    assert _bundle_bytes(out / "pagefind") == bundle


def test_the_same_records_give_the_same_bytes(tmp_path: Path):
    bundles = []
    for name in ("one", "two"):
        out = tmp_path / name / "output"
        out.mkdir(parents=True)
        index = search.RecordIndex(out, "en", tmp_path / name / "staging")
        index.add(RECORDS)
        index.write()
        bundles.append(_bundle_bytes(out / "pagefind"))
    assert bundles[0] == bundles[1]


def test_closing_without_writing_leaves_no_bundle(tmp_path: Path):
    out, staging = tmp_path / "output", tmp_path / "staging"
    out.mkdir()
    index = search.RecordIndex(out, "en", staging)
    index.add(RECORDS)
    index.close()
    assert not (out / "pagefind").exists() and not staging.exists()


def test_a_stale_bundle_is_replaced(tmp_path: Path):
    out = tmp_path / "output"
    stale = out / "pagefind" / "fragment" / "old.pf_fragment"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    (out / "pagefind" / "pagefind.js").write_text("old", encoding="utf-8")
    index = search.RecordIndex(out, "en", tmp_path / "staging")
    index.add(RECORDS[:1])
    index.write()
    assert not stale.exists()
    assert (out / "pagefind" / "pagefind.js").read_text(encoding="utf-8") != "old"


def test_a_service_that_dies_is_a_clear_error(tmp_path: Path):
    out = tmp_path / "output"
    out.mkdir()
    index = search.RecordIndex(out, "en", tmp_path / "staging", timeout=10)
    index._proc.kill()
    index.add(RECORDS)
    with pytest.raises(FloorError, match="Pagefind failed"):
        index.write()
    assert not (out / "pagefind").exists()


def test_a_bundle_folder_that_is_a_link_is_replaced_not_followed(tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pagefind.js").write_text("keep me", encoding="utf-8")
    out = tmp_path / "output"
    out.mkdir()
    (out / "pagefind").symlink_to(elsewhere, target_is_directory=True)
    index = search.RecordIndex(out, "en", tmp_path / "staging")
    index.add(RECORDS)
    index.write()
    assert (elsewhere / "pagefind.js").read_text(encoding="utf-8") == "keep me"
    assert not (out / "pagefind").is_symlink() and (out / "pagefind" / "pagefind-entry.json").is_file()


def test_a_bundle_is_whole_when_each_file_shows_it(tmp_path: Path):
    """read_bundle: Pagefind's gzip files must end their stream, its entry file must parse, and
    its fixed scripts must have the digest a whole copy has; anything else is not vouched for."""
    out = tmp_path / "output"
    out.mkdir()
    index = search.RecordIndex(out, "en", tmp_path / "staging")
    index.add(RECORDS)
    index.write()
    bundle = out / "pagefind"
    assert search.read_bundle(bundle) == ({}, False), "Pagefind's scripts are whole only beside a known copy"
    files, whole = search.read_bundle(bundle, check=False)
    fixed = {rel: read[0] for rel, read in files.items() if "/" not in rel and rel.endswith((".js", ".css"))}
    files, whole = search.read_bundle(bundle, fixed)
    assert whole and files["pagefind.js"][0] == fixed["pagefind.js"]
    assert files == index.read_files()["pagefind"], "what the index read as it finished"

    fragment = next((bundle / "fragment").iterdir())
    data = fragment.read_bytes()
    for cut, name in ((data[:-4], fragment.name), (b"", "pagefind-entry.json"), (b"//", "pagefind.js")):
        broken = tmp_path / "broken"
        shutil.rmtree(broken, ignore_errors=True)
        shutil.copytree(bundle, broken)
        target = next(broken.rglob(name))
        target.write_bytes(cut)
        assert search.read_bundle(broken, fixed)[1] is False, name


def test_bundles_added_in_two_calls_are_written_as_in_one(tmp_path: Path):
    """Pagefind starts on the bundles known first; one found later joins the same service before
    any is written, and each bundle's bytes are the ones a single call gives."""
    one = tmp_path / "one" / "output"
    one.mkdir(parents=True)
    index = search.RecordIndex(one, "en", tmp_path / "one" / "staging")
    index.add_bundles({"pagefind": RECORDS[:1], "pagefind/part-2-of-2": RECORDS[1:]})
    assert index.write() == 2
    two = tmp_path / "two" / "output"
    two.mkdir(parents=True)
    index = search.RecordIndex(two, "en", tmp_path / "two" / "staging")
    index.add_bundles({"pagefind/part-2-of-2": RECORDS[1:]}, more=True)
    index.add_bundles({"pagefind": RECORDS[:1]}, more=True)
    index.done_adding()
    assert index.write() == 2
    assert _bundle_bytes(two / "pagefind") == _bundle_bytes(one / "pagefind")


def test_a_build_that_stops_while_more_bundles_may_come_leaves_nothing(tmp_path: Path):
    out, staging = tmp_path / "output", tmp_path / "staging"
    out.mkdir()
    index = search.RecordIndex(out, "en", staging)
    index.add_bundles({"pagefind": RECORDS}, more=True)
    index.close()  # (the build failed before it said there were no more)
    index._feeder.join(10)
    assert not index._feeder.is_alive(), "the feeder does not wait for bundles that never come"
    assert not (out / "pagefind").exists() and not staging.exists()
