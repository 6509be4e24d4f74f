"""The first build after the kit changed (an upgrade or a downgrade) trusts nothing of the last
build's record, and says why: a record in an older kit's format is not read at all, and one made
by other kit code at the same version number (every release so far is 0.1.0) is not trusted."""

from __future__ import annotations

import json
from pathlib import Path

from from_the_floor.core import build_manifest

TODAY = "2026-12-07"


def _built(run_floor, site: Path) -> str:
    done = run_floor("build", site=site, today=TODAY)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def _record(site: Path, run_floor, make_question) -> Path:
    make_question(site, "first", quick="Yes.", body="Because.")
    assert run_floor("publish", site=site, today=TODAY).returncode == 0
    _built(run_floor, site)
    return site / ".output.manifest.json"


def test_a_record_in_an_older_kits_format_is_not_read_and_the_build_says_why(
    site: Path, run_floor, make_question
) -> None:
    record = _record(site, run_floor, make_question)
    # as a kit of early December wrote it: one line of JSON, no head line naming the format
    record.write_text(json.dumps({"clean": [], "key": "k", "outputs": {}}) + "\n", encoding="utf-8")
    said = _built(run_floor, site)
    assert "rendered all" in said and "written by another kit" in said, said
    assert "rendered all" not in _built(run_floor, site)  # its own record: trusted again


def test_a_record_made_by_other_kit_code_at_the_same_version_says_why(
    site: Path, run_floor, make_question
) -> None:
    record = _record(site, run_floor, make_question)
    key = build_manifest.record_key(site)
    manifest = build_manifest.load(record, key)
    assert manifest is not None and manifest.code == build_manifest.kit_code()
    # as an earlier kit's record: its code, so its keys (both cover the kit's code), differ
    manifest.code, manifest.key, manifest.fast = "an-earlier-kit", "its-build-key", "its-fast-key"
    build_manifest.save(record, manifest, key)
    said = _built(run_floor, site)
    assert "rendered all" in said and "made by another kit" in said, said


def test_changed_settings_are_named_as_the_reason_instead(site: Path, run_floor, make_question) -> None:
    _record(site, run_floor, make_question)
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nDEFAULT_PAGINATION = 11\n", encoding="utf-8")
    said = _built(run_floor, site)
    assert "rendered all" in said and "the settings" in said and "another kit" not in said, said
