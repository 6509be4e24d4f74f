"""The author's retirement switch: never armed by default, set only as the author says."""

from __future__ import annotations

from pathlib import Path

import pytest
from from_the_floor.core import retire, retire_switch
from from_the_floor.core.settings import REGISTRY
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError


def _site(tmp_path: Path, conf: str) -> Site:
    (tmp_path / "pelicanconf.py").write_text(conf, encoding="utf-8")
    return Site(tmp_path)


def test_nothing_is_armed_by_default() -> None:
    assert REGISTRY["FLOOR_AUTO_RETIRE"] is False
    assert retire.retire_settings({}).auto is False


def test_a_blog_without_the_setting_is_not_armed(tmp_path: Path) -> None:
    site = _site(tmp_path, 'SITENAME = "My Blog"\nPLUGINS = ["pelican.plugins.from_the_floor"]\n')
    state = retire_switch.switch(site)
    assert state.as_json() == {"armed": False, "grace_weeks": 2, "set_in": None}
    assert "not armed" in state.text() and "floor retire --when-done" in state.text()


def test_arming_rewrites_the_plain_line_and_keeps_its_comment(tmp_path: Path) -> None:
    conf = 'SITENAME = "x"\nFLOOR_AUTO_RETIRE = False  # my note\nFLOOR_RETIRE_GRACE_WEEKS = 3\n'
    site = _site(tmp_path, conf)
    assert retire_switch.set_armed(site, True) is True
    text = site.conf_path.read_text(encoding="utf-8")
    assert text == conf.replace("= False  # my note", "= True  # my note")
    assert retire_switch.switch(Site(tmp_path)).as_json() == {
        "armed": True,
        "grace_weeks": 3,
        "set_in": "pelicanconf.py",
    }
    assert retire_switch.set_armed(Site(tmp_path), True) is False  # already: nothing written
    assert retire_switch.set_armed(Site(tmp_path), False) is True
    assert site.conf_path.read_text(encoding="utf-8") == conf


def test_arming_a_file_without_the_setting_adds_one_line_at_the_end(tmp_path: Path) -> None:
    site = _site(tmp_path, 'SITENAME = "My Blog"\r\nTIMEZONE = "UTC"')
    retire_switch.set_armed(site, True)
    text = site.conf_path.read_bytes().decode("utf-8")
    assert text.startswith('SITENAME = "My Blog"\r\nTIMEZONE = "UTC"\r\n\r\n# Retirement:')
    assert text.endswith("FLOOR_AUTO_RETIRE = True\r\n")
    assert retire_switch.switch(Site(tmp_path)).armed
    retire_switch.set_armed(Site(tmp_path), False)  # a CRLF line rewritten in place keeps its CR
    assert site.conf_path.read_bytes().decode("utf-8") == text.replace("= True\r\n", "= False\r\n")


@pytest.mark.parametrize(
    "conf",
    [
        "import os\nFLOOR_AUTO_RETIRE = os.environ.get('X') == '1'\n",
        "FLOOR_AUTO_RETIRE = False\nFLOOR_AUTO_RETIRE = False\n",
    ],
)
def test_the_authors_own_code_is_not_rewritten(tmp_path: Path, conf: str) -> None:
    site = _site(tmp_path, conf)
    with pytest.raises(FloorError) as caught:
        retire_switch.set_armed(site, True)
    assert caught.value.field == "FLOOR_AUTO_RETIRE" and "by hand" in caught.value.problem
    assert site.conf_path.read_text(encoding="utf-8") == conf


def test_a_file_that_overrides_the_line_is_put_back(tmp_path: Path) -> None:
    conf = "FLOOR_AUTO_RETIRE = False\nglobals()['FLOOR_AUTO_RETIRE'] = False\n"
    site = _site(tmp_path, conf)
    with pytest.raises(FloorError) as caught:
        retire_switch.set_armed(site, True)
    assert "the file is unchanged" in caught.value.problem
    assert site.conf_path.read_text(encoding="utf-8") == conf


def test_upgrade_says_what_a_site_that_relied_on_the_old_default_now_gets(tmp_path: Path) -> None:
    relied = retire_switch.upgrade_note(_site(tmp_path, 'SITENAME = "x"\n'))
    assert "now not armed" in relied and "floor retire --when-done" in relied
    kept = retire_switch.upgrade_note(_site(tmp_path, "FLOOR_AUTO_RETIRE = True\n"))
    assert kept.startswith("retirement: armed (FLOOR_AUTO_RETIRE = True in pelicanconf.py)")
