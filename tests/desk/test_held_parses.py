"""The desk holds the queue's parse cache between pages, and still shows every change made elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from from_the_floor.core import parse_cache
from helpers_desk import desk


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Each read of the cache file, and each question remade from a cache entry."""
    seen: dict[str, list] = {"reads": [], "remade": []}
    real_read, real_rebuild = parse_cache.ParseCache._read, parse_cache.rebuild

    def read(self, path: Path) -> None:
        seen["reads"].append(path)
        real_read(self, path)

    def rebuild(fields: dict, path: Path):
        seen["remade"].append(path.name)
        return real_rebuild(fields, path)

    monkeypatch.setattr(parse_cache.ParseCache, "_read", read)
    monkeypatch.setattr(parse_cache, "rebuild", rebuild)
    # the files were just written: without this they stay "racy" for two seconds and are never kept
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    return seen


def test_pages_read_the_cache_file_once_and_remake_only_what_changed(
    site: Path, make_question, counted: dict[str, list]
) -> None:
    """At 10,000 questions every page read the cache file and remade every question from it
    (1-2 s a page, before anything was shown). The desk now does that once per run: a page
    takes each file's stat, and reads only files that changed."""
    for n in range(12):
        make_question(site, f"q{n:02d}", f"Question number {n:02d}?")
    with desk(site) as client:
        client.sign_in()
        assert "12 waiting" in client.get("/").text
        client.get("/schedule")
        remade = len(counted["remade"])
        for path in ("/", "/?page=1", "/q/q03", "/stats", "/publish", "/"):
            assert client.get(path).status == 200
        assert len(counted["reads"]) == 1, counted["reads"]  # the cache file, read once for the run
        assert len(counted["remade"]) == remade  # no question remade: each page copies the held one

        # a terminal changes one file, removes one and adds one: the next page shows all three
        (site / "questions" / "q05.md").write_text(
            (site / "questions" / "q05.md").read_text(encoding="utf-8").replace("number 05", "five, edited"),
            encoding="utf-8",
        )
        (site / "questions" / "q07.md").unlink()
        make_question(site, "q99", "A question added in a terminal?")
        page = client.get("/").text
        assert "Question five, edited?" in page and "Question number 05?" not in page
        assert "Question number 07?" not in page and "A question added in a terminal?" in page
        assert "12 waiting" in page
        assert client.get("/q/q07").status == 409  # gone from the queue, not served from memory
        assert "Question five, edited?" in client.get("/q/q05").text
    kept = json.loads((site / ".cache" / parse_cache.FILE).read_text(encoding="utf-8"))
    names = {row[0] for row in kept["entries"]}
    assert "questions/q07.md" not in names  # the removed file's entry is not written back
    assert {"questions/q05.md", "questions/q99.md"} <= names
    assert len(counted["reads"]) == 1


def test_a_question_page_s_look_alikes_are_indexed_once_until_a_file_changes(
    site: Path, make_question, counted: dict[str, list], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Questions that look alike" scored the page's question against every other one (0.7 s
    a page at 10,000). The desk now indexes them once and keeps the index while no file changes;
    a question edited in a terminal is found (or no longer found) on the next page."""
    from from_the_floor.intake import merge

    made: list[int] = []
    real = merge.suggestion_index

    def counting(others):
        made.append(len(others))
        return real(others)

    monkeypatch.setattr(merge, "suggestion_index", counting)
    make_question(site, "stalk", "Do you ever stalk your customers?")
    make_question(site, "stalking", "Do you stalk customers online?")
    make_question(site, "tone", "How do you choose the tone of an answer?")
    with desk(site) as client:
        client.sign_in()
        first = client.get("/q/stalking").text
        assert "Merge into it: “Do you ever stalk your customers?”" in first
        assert "Merge into it" not in client.get("/q/tone").text
        client.get("/q/stalk")
        assert made == [3]  # one index for the three pages

        tone = site / "questions" / "tone.md"
        tone.write_text(
            tone.read_text(encoding="utf-8").replace(
                "How do you choose the tone of an answer?", "Do you stalk customers?"
            ),
            encoding="utf-8",
        )
        again = client.get("/q/stalking").text
        assert "Merge into it: “Do you stalk customers?”" in again
        assert made == [3, 3]
