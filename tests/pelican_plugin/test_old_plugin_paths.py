"""A pelicanconf.py written before the layered package still builds, the same site byte for byte.

Sites made by earlier `floor init` list the three old module paths; this
release keeps them as aliases that warn and point at the one new entry.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from helpers_publish import add_question, floor, new_site, ok

OLD_PLUGINS = """PLUGINS = [
    "from_the_floor.plugin",
    "from_the_floor.reader_site",
    "from_the_floor.retirement",  # keep last: it ends the feeds the others write
]"""
NEW_ENTRY = re.compile(r'^PLUGINS = \["pelican\.plugins\.from_the_floor"\].*$', re.MULTILINE)
TODAY = "2026-11-30"


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_old_three_entries_build_the_same_site_with_a_warning(tmp_path: Path) -> None:
    site = new_site(tmp_path / "column")
    add_question(site, "first", asked="2026-10-01", tags="[tools]")
    add_question(site, "second", asked="2026-10-02")
    assert "published #1" in ok(floor(site, "publish", today=TODAY))
    conf = (site / "pelicanconf.py").read_text(encoding="utf-8")
    assert NEW_ENTRY.search(conf), "floor init writes the single entry"

    new_build = ok(floor(site, "build", today=TODAY))
    assert "deprecated" not in new_build
    with_new = digest(site / "output")
    shutil.rmtree(site / "output")
    shutil.rmtree(site / ".cache", ignore_errors=True)

    (site / "pelicanconf.py").write_text(NEW_ENTRY.sub(OLD_PLUGINS, conf), encoding="utf-8")
    done = floor(site, "build", today=TODAY)
    ok(done)
    said = " ".join((done.stdout + done.stderr).split())  # the log wraps long lines
    for old in ("from_the_floor.plugin", "from_the_floor.reader_site", "from_the_floor.retirement"):
        assert f"PLUGINS entry '{old}'" in said
    assert said.count("deprecated") == 3 and '["pelican.plugins.from_the_floor"]' in said
    assert digest(site / "output") == with_new
    assert any(name.startswith("floor/") for name in with_new), "a post was built"
