"""The contact guard's kept verdicts on real builds: `floor build` reads only the sources not
found clean before under the same contacts, and nothing kept ever hides a contact.

The verdicts are the ones `floor check` keeps (``.cache/floor-source-check.json``, signed
with the column's private key). Each case copies one small `floor init` site, built once.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from from_the_floor.core import build_manifest, sealing, source_check
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.pelican_plugin import build as build_mod
from helpers_floor import fails_cleanly, ok, run_floor
from helpers_publish import add_question

PAGE = "content/pages/write-to-us.md"
ADDRESS = "bob.reader@example.org"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `floor init` site with one published post and a page that shows an address no reader
    has given (yet), built once: every source found clean."""
    site = tmp_path_factory.mktemp("verdicts") / "site"
    ok(run_floor("init", site, "--title", "From the Floor", "--author", "The Author"))
    qid = ok(run_floor("ask", "Why answer in public?", "--contact", "ann.reader@example.org", site=site))
    ok(run_floor("answer", qid.strip(), "--quick", "So all can read it.", "--body", "Because.", site=site))
    assert "published #1" in ok(run_floor("publish", site=site))
    page = site / PAGE
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"Title: Write to us\n\nWrite to {ADDRESS} any day.\n", encoding="utf-8")
    ok(run_floor("build", site=site))
    return site


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def _verdicts(site: Path) -> dict:
    """The verdict file: a line with its key and signature, then the verdicts the signature covers."""
    head, body = (site / ".cache" / source_check.VERDICTS_FILE).read_text(encoding="utf-8").split("\n", 1)
    return {**json.loads(head), "files": json.loads(body)}


def _write_verdicts(site: Path, saved: dict) -> None:
    head = json.dumps({"key": saved["key"], "mac": saved["mac"]})
    body = sealing.json_body(saved["files"]).decode("utf-8")
    (site / ".cache" / source_check.VERDICTS_FILE).write_text(f"{head}\n{body}\n", encoding="utf-8")


def test_a_build_keeps_the_verdicts_of_the_sources_it_found_clean(site: Path) -> None:
    saved = _verdicts(site)
    assert PAGE in saved["files"] and "pelicanconf.py" in saved["files"]
    assert "ann.reader" not in json.dumps(saved), "no contact, opened or sealed, in the file"


def test_a_contact_taken_in_after_a_clean_build_is_found_in_an_old_page(site: Path) -> None:
    """The page was found clean; a reader then gives the address it shows. The old verdict
    was made under other contacts, so the page is read again and the build refused."""
    ok(run_floor("ask", "May I write to you?", "--contact", ADDRESS, site=site))
    err = fails_cleanly(run_floor("build", site=site))
    assert f"{PAGE}, line 3" in err and ADDRESS not in err
    assert source_check.LEAK in err


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the recogniser reads (in this process: the builds below run with one job)."""
    read: list[str] = []
    real = source_check._file_leaks

    def reading(path, data, detector, private):
        read.append(Path(path).name)
        return real(path, data, detector, private)

    monkeypatch.setattr(source_check, "_file_leaks", reading)
    return read


def test_an_edit_build_reads_the_edited_file_and_only_it(site: Path, monkeypatch) -> None:
    read = _spy(monkeypatch)
    build_mod.build(Site(site), jobs=1)  # (a build of another day: the same sources)
    assert read == [], "every source was found clean by the last build"
    post = next((site / "content" / "floor").glob("*.md"))
    with post.open("a", encoding="utf-8") as f:
        f.write("\nOne more sentence.\n")
    counts = build_mod.build(Site(site), jobs=1)
    assert read == [post.name] and counts.rendered > 0
    with post.open("a", encoding="utf-8") as f:
        f.write("\nOr write to ann.reader@example.org.\n")
    with pytest.raises(FloorError, match="private contact") as refused:
        build_mod.build(Site(site), jobs=1)
    assert f"content/floor/{post.name}, line" in str(refused.value)
    assert read == [post.name, post.name]


def test_a_forged_or_planted_verdict_file_is_not_trusted(site: Path) -> None:
    """Someone without the private key makes the file say the leaking page is clean: its
    signature is wrong, so every file is read and the build refused."""
    page = site / PAGE
    page.write_text("Title: Write to us\n\nWrite to ann.reader@example.org any day.\n", encoding="utf-8")
    st = page.stat()
    saved = _verdicts(site)
    record = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, build_manifest.digest_file(page)]
    forged = {**saved, "files": {**saved["files"], PAGE: record}}
    _write_verdicts(site, forged)
    assert f"{PAGE}, line 3" in fails_cleanly(run_floor("build", site=site))
    elsewhere = site.parent / "another-column"
    sealing.write_key_file(elsewhere / sealing.KEY_FILE, sealing.generate()[0])
    other = sealing.keys_near([elsewhere]).mac_key("floor-check-verdicts")
    assert other is not None
    mac = sealing.json_mac(forged["files"], other)  # signed, but with another column's key
    _write_verdicts(site, {**forged, "mac": mac})
    assert f"{PAGE}, line 3" in fails_cleanly(run_floor("build", site=site))


def test_without_the_private_key_no_verdict_is_kept_or_read(site: Path, monkeypatch) -> None:
    """CI without FLOOR_AGE_KEY: a verdict file could come from anyone (a restored cache), so
    every source is read, and none is written."""
    monkeypatch.delenv(sealing.ENV_KEY, raising=False)
    (site / sealing.KEY_FILE).unlink()
    add_question(site, "plain", asked="2026-11-01", contact=json.dumps("cy.reader@example.org"))
    (site / ".cache" / source_check.VERDICTS_FILE).unlink()
    read = _spy(monkeypatch)
    build_mod.build(Site(site), jobs=1, full=True)
    assert PAGE.rsplit("/", 1)[1] in read
    assert not (site / ".cache" / source_check.VERDICTS_FILE).exists()
