"""`floor merge`: a near-duplicate joins the question it repeats; `floor split` takes it out again."""

from __future__ import annotations

from pathlib import Path

import pytest
from from_the_floor.core import queue as queue_mod
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.intake import merge, split


def test_merge_then_split_gives_the_reader_back(site: Path, make_question) -> None:
    make_question(site, "stalk", "Do you ever stalk your customers?")
    make_question(site, "stalking", "Do you stalk customers online?", asker="Kim", credit="true")
    s = Site(site)
    loaded = queue_mod.load(s)
    target = next(q for q in loaded.queued if q.id == "stalk")
    source = next(q for q in loaded.queued if q.id == "stalking")
    found = merge.suggestions(source, loaded.queued)
    assert [f.question.id for f in found] == ["stalk"] and found[0].score >= merge.SUGGEST_FROM
    updated = merge.merge(s, "stalking", "stalk")
    assert merge.merged_line("stalking", updated) == "merged stalking into stalk: 2 readers asked it"
    assert not (site / "questions" / "stalking.md").exists()
    entry = updated.also_asked_by[0]
    assert (entry.question, entry.asker, entry.credit) == ("Do you stalk customers online?", "Kim", True)
    assert target.path.read_text(encoding="utf-8").count("also_asked_by:") == 1
    new_id, reader = split.split(s, "stalk", 1)
    assert reader.asker == "Kim" and (site / "questions" / f"{new_id}.md").exists()


def test_an_answered_question_is_not_merged(site: Path, make_question) -> None:
    make_question(site, "a", "Do you ever stalk your customers?")
    make_question(site, "b", "Do you stalk your customers?", quick="No.", body="Never.")
    with pytest.raises(FloorError, match="has an answer"):
        merge.merge(Site(site), "b", "a")
    with pytest.raises(FloorError, match="into itself"):
        merge.merge(Site(site), "a", "a")
    with pytest.raises(FloorError):
        merge.merge(Site(site), "a", "missing")
    assert (site / "questions" / "b.md").exists()


def test_cli_merge(site: Path, make_question, run_floor) -> None:
    make_question(site, "a", "Do you ever stalk your customers?")
    make_question(site, "b", "Do you stalk your customers?")
    done = run_floor("merge", "b", "--into", "a", site=site)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "merged b into a: 2 readers asked it"
