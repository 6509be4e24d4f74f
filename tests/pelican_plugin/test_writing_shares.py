"""How the pages to render are shared between the build's process and its writing process.

The pages alone of their template (the stats page with its chart, the archives) render in the
writing process first; the other pages are taken a few at a time from one shared counter
(forked.Tickets) by whichever process is free, so both end together; and a handful of pages
(an edit's) is rendered in the build's own process, where a fork would cost what it saves.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from from_the_floor.core import forked
from from_the_floor.pelican_plugin import engine


def _feeds(folder: Path, count: int, rendered_here: list[str]) -> list[engine.Feed]:
    def render(n: int, pid: int = os.getpid()) -> str:
        if os.getpid() == pid:
            rendered_here.append(f"f{n}.xml")
        return f"<feed>{n}</feed>"

    return [
        engine.Feed(name=f"f{n}.xml", path=str(folder / f"f{n}.xml"), render=lambda n=n: render(n))
        for n in range(count)
    ]


class _WaitingTemplate:
    """A template of one page that renders once every feed of ``folder`` is written (at most
    a minute): while it waits, its process can render nothing else."""

    def __init__(self, folder: Path, count: int) -> None:
        self.folder, self.count = folder, count

    def render(self, values) -> str:
        for _ in range(600):
            if all((self.folder / f"f{n}.xml").exists() for n in range(self.count)):
                return "<p>stats</p>"
            time.sleep(0.1)
        raise RuntimeError("the feeds were never all written")


@pytest.mark.skipif(not forked.can_fork(), reason="the rendering processes are forked")
def test_the_process_that_is_free_takes_the_next_pages(tmp_path: Path) -> None:
    """The writing process is held by the page alone of its template, so the build's own
    process takes every other page: fixed shares would leave half of them to the busy one."""
    count = 2 * engine.MIN_PAGES_PER_PROCESS
    here: list[str] = []
    feeds = _feeds(tmp_path, count, here)
    alone = engine.Page(
        name="stats/index.html",
        path=str(tmp_path / "stats.html"),
        template=_WaitingTemplate(tmp_path, count),
        localcontext={"localsiteurl": ""},
        context={},
    )
    written = engine.write_pages([alone, *feeds], processes=2, stamped=True)
    assert sorted(here) == sorted(job.name for job in feeds), "every feed taken by the free process"
    assert (tmp_path / "stats.html").read_text(encoding="utf-8") == "<p>stats</p>"
    assert sorted(written) == sorted(job.path for job in [alone, *feeds])


def test_a_handful_of_pages_is_rendered_without_forking(tmp_path: Path, monkeypatch) -> None:
    """An edit renders a few pages of many: they are written here, no process is forked."""
    here: list[str] = []
    feeds = _feeds(tmp_path, 2 * engine.MIN_PAGES_PER_PROCESS, here)
    for feed in feeds[3:]:
        feed.keep = True
    monkeypatch.setattr(forked, "spawn", lambda *a, **k: pytest.fail("a writing process was forked"))
    written = engine.write_pages(feeds, processes=2, stamped=True)
    assert sorted(written) == sorted(job.path for job in feeds[:3])
    assert here == ["f0.xml", "f1.xml", "f2.xml"]
    assert not (tmp_path / "f3.xml").exists()
