"""`floor retire --to` takes only an absolute http(s) URL, and every file that carries it escapes it.

The new home lands in HTML (a meta refresh, a link, the banner), _redirects,
_headers' Link header, Apache's .htaccess and an nginx snippet; a quote, a
space, a `;` or a `$` would mean something in one of them.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from from_the_floor.core.retire import STATE_FILE
from helpers_floor import fails_cleanly, ok, question_text, run_floor, write_question

TODAY = "2026-12-01"
HOME = "https://new.example.org/a&b/"  # '&' is legal in a URL and must be &amp; in HTML only


@pytest.fixture
def column(site: Path) -> Path:
    text = question_text(
        "Will it move?",
        quick="Yes.",
        body="Because.",
        title='"From the Floor #1: Will it move?"',
        date="2026-11-02T09:00:00+00:00",
        number="1",
        slug="will-it-move",
    )
    write_question(site, "will-it-move", text, folder="content/floor")
    return site


@pytest.mark.parametrize(
    "to",
    [
        "javascript:alert(1)",
        "//evil.example/",
        "/relative/path",
        "new.example.org",
        "ftp://new.example.org/",
        "https://new.example.org/a b",
        'https://new.example.org/"onmouseover="x',
        "https://new.example.org/'x",
        "https://new.example.org/<script>",
        "https://new.example.org/x;return 302 https://evil.example",
        "https://new.example.org/$host",
        "https://new.example.org/{x}",
        "https://user:pass@new.example.org/",
        "https://new.example.org\\@evil.example/",
        "https://new.example.org/\x1b[2J",
    ],
)
def test_a_bad_new_home_is_refused_and_nothing_is_retired(column: Path, to: str) -> None:
    err = fails_cleanly(run_floor("retire", "--mode", "redirect", "--to", to, site=column, today=TODAY))
    assert "--to" in err
    assert not (column / STATE_FILE).exists()


def test_a_bad_new_home_in_the_settings_is_named_by_check(column: Path) -> None:
    conf = column / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + '\nFLOOR_RETIRE_TO = "https://x.example/\\"y"\n', "utf-8"
    )
    err = fails_cleanly(run_floor("check", site=column, today=TODAY))
    assert "FLOOR_RETIRE_TO" in err


def test_every_file_carries_the_new_home_escaped_for_itself(column: Path) -> None:
    ok(run_floor("retire", "--mode", "redirect", "--to", HOME, site=column, today=TODAY))
    ok(run_floor("build", site=column, today=TODAY))
    out = column / "output"
    target = HOME + "floor/will-it-move/"
    page = (out / "floor" / "will-it-move" / "index.html").read_text(encoding="utf-8")
    escaped = html.escape(target, quote=True)
    assert f'content="0; url={escaped}"' in page and f'href="{escaped}"' in page
    assert target not in page  # the raw '&' never appears in the HTML
    redirects = (out / "_redirects").read_text(encoding="utf-8")
    assert f"/floor/will-it-move/ {target} 301" in redirects
    headers = (out / "_headers").read_text(encoding="utf-8")
    assert f'<{HOME}>; rel="successor-version"' in headers
    assert f'"{target}"' in (out / ".htaccess").read_text(encoding="utf-8")
    nginx = next(out.glob("*nginx*")).read_text(encoding="utf-8")
    assert f"return 301 {target};" in nginx
    state = json.loads((column / STATE_FILE).read_text(encoding="utf-8"))
    assert state["to"] == HOME
