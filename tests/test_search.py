"""search: the real Pagefind binary (pagefind-bin) indexes a built folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from from_the_floor import search
from from_the_floor.errors import FloorError

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
