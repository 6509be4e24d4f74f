"""A copy of the kit's theme (the demo's theme/, or one an author made to change the look) is
laid out as the kit's own: no content box added for another theme's layout, and the scripts it
ships served from its own static folder, not a second set under floor-static/."""

from __future__ import annotations

import re
from pathlib import Path

from helpers_floor import copy_demo_site, ok, run_floor

WRAPPER = '<div id="content" class="body">'


def _script_src(page: str, name: str) -> str:
    found = re.search(r'src="/?([^"]*/js/' + re.escape(name) + ')"', page)
    assert found, f"no {name} on the page"
    return found.group(1)


def test_a_copy_of_the_kit_s_theme_renders_as_the_kit_s_own(tmp_path: Path) -> None:
    site = copy_demo_site(tmp_path / "demo")
    ok(run_floor("build", site=site))
    output = site / "output"
    search = (output / "search" / "index.html").read_text(encoding="utf-8")
    assert WRAPPER not in search
    assert WRAPPER not in (output / "ask" / "index.html").read_text(encoding="utf-8")
    assert not (output / "floor-static").exists()
    src = _script_src(search, "search.js")
    assert src == "theme/js/search.js" and (output / src).is_file()


def test_a_copy_without_one_of_the_kit_s_scripts_gets_the_kit_s(tmp_path: Path) -> None:
    """An old copy that lacks a script a newer kit added still gets a working one."""
    site = copy_demo_site(tmp_path / "demo")
    (site / "theme" / "static" / "js" / "comments.js").unlink()
    ok(run_floor("build", site=site))
    output = site / "output"
    search = (output / "search" / "index.html").read_text(encoding="utf-8")
    assert WRAPPER not in search  # still the kit's layout
    src = _script_src(search, "search.js")
    assert src == "floor-static/js/search.js" and (output / src).is_file()
    assert (output / "floor-static" / "js" / "comments.js").is_file()
