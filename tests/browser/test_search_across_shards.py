"""Search over a sharded index in a real Chromium: a column built with a small shard size has
four Pagefind bundles, and the search page finds words from the first shard and the last,
ranks them together, lists no result twice, and loads Pagefind's WebAssembly once."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import page_factory, serve
from helpers_build import generate_site

pytestmark = pytest.mark.browser

# Post 4 is in the first shard (4 % 4 = 0), post 7 in the last (7 % 4 = 3).
WORDS = {4: "quokkafold", 7: "zanzibarish"}


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.web import search_shards

    site = generate_site.generate(tmp_path_factory.mktemp("sharded"), 7, queued=0)["floor"]
    for number, word in WORDS.items():
        post = next((site / "content" / "floor").glob(f"*-{number:05d}.md"))
        text = post.read_text(encoding="utf-8") + f"\nOnly this answer mentions {word}, and xylofrond.\n"
        post.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_shards, "SHARD_RECORDS", 2)
        patch.setenv("FLOOR_TODAY", "2026-11-08")
        build_mod.build(Site(site), jobs=1)
    output = site / "output"
    assert search_shards.folders_on_disk(output) == [
        "pagefind",
        "pagefind/part-2-of-4",
        "pagefind/part-3-of-4",
        "pagefind/part-4-of-4",
    ]
    return output


def _post_path(output: Path, word: str) -> str:
    pages = [p for p in (output / "floor").rglob("index.html") if word in p.read_text(encoding="utf-8")]
    assert len(pages) == 1, pages
    return "/" + pages[0].parent.relative_to(output).as_posix() + "/"


def _search(page, words: str) -> list[str]:
    page.goto(f"/search/?q={words}")
    page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
    links = page.locator("#search-results a").evaluate_all("a => a.map(x => x.href)")
    return [urlsplit(h).path for h in links]


def test_words_from_the_first_and_the_last_shard_are_found(browser, sharded_site: Path):
    with serve(sharded_site) as url, page_factory(browser, url) as new_page:
        page = new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(urlsplit(r.url).path))
        first, last = _post_path(sharded_site, WORDS[4]), _post_path(sharded_site, WORDS[7])
        assert _search(page, WORDS[4]) == [first]
        assert WORDS[4] in page.locator("#search-results mark").first.inner_text().lower()
        assert _search(page, WORDS[7]) == [last]
        both = _search(page, "xylofrond")
        assert sorted(both) == sorted([first, last]), "one result each, from two shards, none twice"
        assert page.locator("#search-status").inner_text().startswith("2 answers found")
        wasm = [p for p in requested if p.endswith(".pagefind") and "/wasm." in p]
        assert len(set(wasm)) == 1 and wasm[0].startswith("/pagefind/wasm."), wasm
        entries = {p for p in requested if p.endswith("pagefind-entry.json")}
        assert entries == {
            "/pagefind/pagefind-entry.json",
            "/pagefind/part-2-of-4/pagefind-entry.json",
            "/pagefind/part-3-of-4/pagefind-entry.json",
            "/pagefind/part-4-of-4/pagefind-entry.json",
        }


def test_a_deleted_post_is_not_found(browser, sharded_site: Path, tmp_path: Path):
    """Post 7 unpublished (its file gone): the last shard is indexed again without it."""
    import shutil

    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.web import search_shards

    site = tmp_path / "floor"
    shutil.copytree(sharded_site.parent, site, symlinks=True)
    next((site / "content" / "floor").glob("*-00007.md")).unlink()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_shards, "SHARD_RECORDS", 2)
        patch.setenv("FLOOR_TODAY", "2026-11-08")
        build_mod.build(Site(site), jobs=1)
    with serve(site / "output") as url, page_factory(browser, url) as new_page:
        page = new_page()
        assert _search(page, "xylofrond") == [_post_path(site / "output", WORDS[4])]
        page.goto(f"/search/?q={WORDS[7]}")
        status = "document.getElementById('search-status').textContent"
        page.wait_for_function(f"() => /No answers/.test({status})")


def test_a_retired_columns_download_searches_every_shard(browser, sharded_site: Path, tmp_path: Path):
    """The archive zip of a retired sharded column holds every bundle, and its search finds
    words from the first shard and the last, unpacked and served on its own."""
    import shutil
    import zipfile

    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.web import search_shards
    from helpers_floor import ok, run_floor

    site = tmp_path / "floor"
    shutil.copytree(sharded_site.parent, site, symlinks=True)
    ok(run_floor("retire", "--force", site=site, today="2026-11-08"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_shards, "SHARD_RECORDS", 2)
        patch.setenv("FLOOR_TODAY", "2026-11-08")
        build_mod.build(Site(site), jobs=1)
    (download,) = (site / "output").rglob("*.zip")
    with zipfile.ZipFile(download) as archive:
        names = archive.namelist()
        assert any(n.endswith("pagefind/part-4-of-4/pagefind-entry.json") for n in names)
        archive.extractall(tmp_path / "unpacked")
    (root,) = (tmp_path / "unpacked").iterdir()
    with serve(root) as url, page_factory(browser, url) as new_page:
        page = new_page()
        assert _search(page, WORDS[4]) == [_post_path(root, WORDS[4])]
        assert _search(page, WORDS[7]) == [_post_path(root, WORDS[7])]


def _build_copy(source: Path, target: Path, shard_records: int) -> Path:
    import shutil

    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.web import search_shards

    shutil.copytree(source, target, symlinks=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_shards, "SHARD_RECORDS", shard_records)
        patch.setenv("FLOOR_TODAY", "2026-11-08")
        build_mod.build(Site(target), jobs=1)
    return target / "output"


def test_shards_rank_a_word_as_one_bundle_would(browser, tmp_path: Path):
    """A word in both posts of the last shard (3 and 7) and in one of the second's (1): each
    shard alone weighs it very differently (common there, rare here), and Pagefind's merge
    alone would put post 1 first. The search page ranks with the column's word weights, so
    the post using the word most comes first, as in a single bundle. (Posts that use it
    equally may still swap: each shard measures page length against its own pages.)"""
    site = generate_site.generate(tmp_path / "gen", 7, queued=0)["floor"]
    for number, text in {3: "quillwort grows; quillwort again", 7: "a quillwort", 1: "one quillwort"}.items():
        post = next((site / "content" / "floor").glob(f"*-{number:05d}.md"))
        post.write_text(post.read_text(encoding="utf-8") + f"\n{text}.\n", encoding="utf-8")
    orders = []
    for name, size in (("single", 250), ("sharded", 2)):
        output = _build_copy(site, tmp_path / name, size)
        with serve(output) as url, page_factory(browser, url) as new_page:
            orders.append(_search(new_page(), "quillwort"))
    single, sharded = orders
    assert len(single) == 3 and sorted(sharded) == sorted(single)
    assert single[0].endswith("-00003/") and sharded[0] == single[0]
