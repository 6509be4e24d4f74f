"""The build's look for imported posts (web/old_addresses.imported_posts) at finalize, after the
build let its parses go: the posts it found not imported are not read again, and the answer is
the one a look outside a build gives (every file read), whatever the store kept."""

from __future__ import annotations

import os
import time
from pathlib import Path

from from_the_floor.core import question as question_mod
from from_the_floor.core import queue as queue_mod
from from_the_floor.web import old_addresses
from helpers_floor import counting_parses

HOUR_NS = 3600 * 10**9


def _post(folder: Path, n: int, *, imported: bool, racy: bool = False) -> Path:
    """Post ``n``; ``racy``: saved (as its stamp says) within the parse store's racy window, so the
    store never keeps its parse; otherwise an hour old."""
    origin = (
        f'source: import\noriginal_url: "https://old.example/2009/{n}/"\n' if imported else "source: talk\n"
    )
    path = folder / f"q-{n}.md"
    path.write_text(
        f'---\nquestion: "Question {n}?"\nasked: 2024-01-0{n}\nasker: Alex\ncredit: true\n{origin}'
        f'title: "Q {n}"\ndate: 2024-02-0{n}T09:00:00+01:00\nnumber: {n}\nslug: q-{n}\n---\nAn answer.\n',
        encoding="utf-8",
    )
    stamp = time.time_ns() + (HOUR_NS if racy else -HOUR_NS)  # (a stamp to come is racy too)
    os.utime(path, ns=(stamp, stamp))
    return path


def _slugs(posts: list) -> list[str]:
    return [p.slug for p in posts]


def test_finalize_reads_only_the_posts_the_build_did_not_find_plain(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "floor"
    folder.mkdir()
    _post(folder, 1, imported=False)
    _post(folder, 2, imported=False)
    kept_import = _post(folder, 3, imported=True)
    _post(folder, 4, imported=True, racy=True)  # never kept: must still be found
    _post(folder, 5, imported=False, racy=True)
    outside = _slugs(old_addresses.imported_posts(folder))
    assert outside == ["q-3", "q-4"]

    with question_mod.reusing_parses() as store:
        assert len(queue_mod.load_folder(folder, published=True)) == 5
        assert {Path(full).name for full, _ in store} == {"q-1.md", "q-2.md", "q-3.md"}
        question_mod.forget_parses()  # as the build does before writing its pages
        parsed = counting_parses(monkeypatch)
        assert _slugs(old_addresses.imported_posts(folder)) == outside
        # the imported post and the two the store never kept are read; the plain ones are not
        assert sorted(p.name for p in parsed) == ["q-3.md", "q-4.md", "q-5.md"]

        kept_import.unlink()  # a post deleted: its old address goes
        (folder / "q-1.md").unlink()
        assert _slugs(old_addresses.imported_posts(folder)) == ["q-4"]


def test_without_forgetting_every_post_is_looked_at_as_before(tmp_path: Path, monkeypatch) -> None:
    """The live preview keeps its store between regenerations (a post may have changed since a
    parse it holds): nothing is skipped by name there, each post's stat is checked."""
    folder = tmp_path / "floor"
    folder.mkdir()
    plain = _post(folder, 1, imported=False)
    store: dict = {}
    with question_mod.reusing_parses(store):
        queue_mod.load_folder(folder, published=True)
    plain.write_text(
        plain.read_text(encoding="utf-8").replace(
            "source: talk\n", ('source: import\noriginal_url: "https://old.example/2009/1/"\n')
        ),
        encoding="utf-8",
    )
    with question_mod.reusing_parses(store):
        assert question_mod.forgotten_plain_posts() == set()
        assert _slugs(old_addresses.imported_posts(folder)) == ["q-1"]


def test_an_imported_post_whose_only_old_address_is_its_short_link_is_found_outside_a_build_too(
    tmp_path: Path,
) -> None:
    """An export item with no link keeps only its guid (WordPress's ?p=123 short link) as its
    intake_id: a build's look found it, `floor redirects` (outside a build) skipped it, since its
    file has no original_url line, and the old blog's rules lacked that address."""
    folder = tmp_path / "floor"
    folder.mkdir()
    _post(folder, 1, imported=False)
    _post(folder, 2, imported=True)
    short = _post(folder, 3, imported=False)
    short.write_text(
        short.read_text(encoding="utf-8").replace(
            "source: talk\n", "source: 'import'\nintake_id: https://old.example/?p=7\n"
        ),
        encoding="utf-8",
    )
    outside = old_addresses.imported_posts(folder)
    assert _slugs(outside) == ["q-2", "q-3"]
    assert old_addresses.new_paths({"ARTICLE_URL": "floor/{slug}/"}, outside)["https://old.example/?p=7"] == (
        "/floor/q-3/"
    )
    with question_mod.reusing_parses():
        queue_mod.load_folder(folder, published=True)
        question_mod.forget_parses()
        assert _slugs(old_addresses.imported_posts(folder)) == _slugs(outside)
