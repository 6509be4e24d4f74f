"""A reader's tags reach Pelican one by one, whatever punctuation they hold."""

from __future__ import annotations

import html
import re
from pathlib import Path

from helpers_floor import ok


def test_a_tag_with_a_semicolon_or_a_comma_stays_one_tag(site: Path, run_floor) -> None:
    """The kit handed Pelican its tags as one ", "-joined string, which Pelican splits at ";"
    when there is one: a reader's tag "alert(1);" regrouped every other tag of the post into
    one giant tag (its feed's name then passed the 255-byte limit and the build failed)."""
    tags = ["first one", "alert(1);</script>", "c, d", "last"]
    qid = ok(
        run_floor(
            "ask", "Are my tags kept apart?", *[a for t in tags for a in ("--tag", t)],
            "--asked", "2026-11-01", cwd=site,
        )
    ).strip()
    ok(run_floor("answer", qid, "--quick", "Yes.", "--body", "Each one.", cwd=site))
    ok(run_floor("publish", cwd=site))
    ok(run_floor("build", cwd=site))
    page = (site / "output" / "floor" / qid / "index.html").read_text(encoding="utf-8")
    shown = [html.unescape(t) for t in re.findall(r'<a rel="tag" href="/tag/[^"]*/">([^<]*)</a>', page)]
    assert shown == tags
    assert sorted(p.name for p in (site / "output" / "tag").iterdir()) == sorted(
        ["first-one", "alert1", "c-d", "last"]
    )
