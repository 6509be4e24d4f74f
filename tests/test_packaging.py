"""The kit as a release ships it: `python -m build` makes an sdist and a wheel that hold
everything a site needs, `twine check` accepts them, and an installed wheel finds its theme,
skeleton and docs without this checkout."""

from __future__ import annotations

import email
import json
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from from_the_floor import __version__
from helpers_kit import setuptools_floor, wheel_venv

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


# The namespace plugin's two lines live beside the kit's code but ship as their own package
NAMESPACE = REPO / "plugins" / "from_the_floor" / "pelican_namespace"


def files_under(folder: Path) -> list[str]:
    """Every file a site can need from ``folder``, relative, minus caches (and the namespace
    plugin's folder, which the wheel holds as pelican/plugins/from_the_floor/)."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix != ".pyc"
        and (folder == NAMESPACE or not p.is_relative_to(NAMESPACE))
    )


@pytest.fixture(scope="module")
def wheel(kit_dist: Path) -> zipfile.ZipFile:
    (path,) = kit_dist.glob("*.whl")
    return zipfile.ZipFile(path)


def test_the_build_makes_one_sdist_and_one_wheel_of_this_version(kit_dist: Path) -> None:
    names = sorted(p.name for p in kit_dist.iterdir() if not p.name.startswith("."))
    assert names == [f"from_the_floor-{__version__}-py3-none-any.whl", f"from_the_floor-{__version__}.tar.gz"]


def test_twine_accepts_what_a_release_uploads(kit_dist: Path) -> None:
    files = [str(p) for p in kit_dist.iterdir() if not p.name.startswith(".")]
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_the_build_system_can_build_the_pep_639_licence() -> None:
    (requirement,) = PYPROJECT["build-system"]["requires"]
    floor = re.fullmatch(r"setuptools>=(\d+)(\.\d+)*", requirement)
    assert floor and int(floor.group(1)) >= 77, requirement  # 77 reads `license = "MIT"`
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["dynamic"] == ["version"]  # one place: from_the_floor.__version__
    assert "version" not in PYPROJECT["project"]


def test_the_oldest_setuptools_the_bound_allows_built_it(wheel: zipfile.ZipFile) -> None:
    """The session's wheel was built under `setuptools<floor+1` (helpers_kit): the bound is real."""
    generator = email.message_from_bytes(wheel.read(f"from_the_floor-{__version__}.dist-info/WHEEL"))
    assert re.fullmatch(rf"setuptools \({setuptools_floor()}\.[\d.]+\)", generator["Generator"])


def test_the_wheel_metadata(wheel: zipfile.ZipFile) -> None:
    meta = email.message_from_bytes(wheel.read(f"from_the_floor-{__version__}.dist-info/METADATA"))
    assert meta["Name"] == "from-the-floor" and meta["Version"] == __version__
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == PYPROJECT["project"]["requires-python"]
    assert sorted(meta.get_all("Classifier")) == sorted(PYPROJECT["project"]["classifiers"])
    assert "Framework :: Pelican :: Plugins" in meta.get_all("Classifier")  # how plugins are found
    urls = {u.split(",")[0] for u in meta.get_all("Project-URL")}
    assert urls == set(PYPROJECT["project"]["urls"])
    required = {
        re.split(r"[<>=;\[ ]", r, maxsplit=1)[0] for r in meta.get_all("Requires-Dist") if "extra ==" not in r
    }
    assert required == {
        re.split(r"[<>=;\[ ]", d, maxsplit=1)[0] for d in PYPROJECT["project"]["dependencies"]
    }
    assert f"from_the_floor-{__version__}.dist-info/licenses/LICENSE" in wheel.namelist()
    entry = wheel.read(f"from_the_floor-{__version__}.dist-info/entry_points.txt").decode()
    assert "floor = from_the_floor.cli:run" in entry


@pytest.mark.parametrize(
    ("source", "inside"),
    [
        (REPO / "plugins" / "from_the_floor", "from_the_floor"),  # the kit, its skeleton included
        (REPO / "theme", "from_the_floor/theme"),
        (REPO / "docs", "from_the_floor/docs"),
        (NAMESPACE, "pelican/plugins/from_the_floor"),  # PLUGINS = ["pelican.plugins.from_the_floor"]
    ],
)
def test_the_wheel_holds_every_file_a_site_needs(wheel: zipfile.ZipFile, source: Path, inside: str) -> None:
    shipped = set(wheel.namelist())
    expected = files_under(source)
    assert expected
    missing = [f for f in expected if f"{inside}/{f}" not in shipped]
    assert missing == []


def test_the_sdist_rebuilds_the_same_package(kit_dist: Path, wheel: zipfile.ZipFile) -> None:
    (path,) = kit_dist.glob("*.tar.gz")
    top = f"from_the_floor-{__version__}"
    with tarfile.open(path) as sdist:
        names = set(sdist.getnames())
    for needed in ("pyproject.toml", "LICENSE", "README.md"):
        assert f"{top}/{needed}" in names
    for source, inside in (("plugins/from_the_floor", "from_the_floor"), ("theme", "from_the_floor/theme")):
        for rel in files_under(REPO / source):
            assert f"{top}/{source}/{rel}" in names
            assert f"{inside}/{rel}" in wheel.namelist()  # and `python -m build` made the wheel from it


def test_every_docs_page_the_kit_names_ships_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    """A message or a site file that says docs/x.md must name a page the installed kit has."""
    named: set[str] = set()
    for folder in (REPO / "plugins" / "from_the_floor", REPO / "theme"):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".py", ".tmpl", ".yml", ".html"):
                named |= set(re.findall(r"docs/([a-z-]+\.md)", path.read_text(encoding="utf-8")))
    assert named
    assert sorted(n for n in named if f"from_the_floor/docs/{n}" not in wheel.namelist()) == []


def test_an_installed_wheel_finds_its_theme_skeleton_and_docs(kit_wheelhouse: Path, tmp_path: Path) -> None:
    """Installed from the wheel, away from this checkout: no path may point back into it."""
    venv = wheel_venv(kit_wheelhouse, tmp_path).parent
    probe = (
        "import json; from from_the_floor import paths; from from_the_floor.commands import kit_pin; "
        "from from_the_floor.core import i18n; "
        "print(json.dumps([paths.THEME_DIR, str(paths.SKELETON_DIR), paths.doc('schedule.md'), "
        "kit_pin.installed_version(), i18n.language('fr').gettext('Quick answer')]))"
    )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    theme, skeleton, schedule_doc, version, french = json.loads(done.stdout)
    assert french == "Réponse rapide"  # the compiled catalogue ships in the wheel
    for place in (theme, skeleton, schedule_doc):
        assert Path(place).exists() and Path(place).is_relative_to(venv), place
    assert (Path(theme) / "templates" / "base.html").is_file()
    assert (Path(skeleton) / "weekly.yml.tmpl").is_file()
    assert version == __version__


def test_every_link_of_the_readme_works_where_the_package_index_shows_it(wheel: zipfile.ZipFile) -> None:
    """The package index shows the README with no repository around it: a relative link such as
    docs/schedule.md leads nowhere there, so every link is absolute (or an anchor in the README)."""
    meta = email.message_from_bytes(wheel.read(f"from_the_floor-{__version__}.dist-info/METADATA"))
    readme = meta.get_payload()
    assert "## Start your own column" in readme
    targets = re.findall(r"\]\(([^)\s]+)\)", readme) + re.findall(r'(?:href|src)="([^"]+)"', readme)
    assert targets
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#", "mailto:"))]
    assert relative == []
    home = PYPROJECT["project"]["urls"]["Source"]
    for target in targets:
        if target.startswith(home + "/blob/main/"):
            assert (REPO / target.removeprefix(home + "/blob/main/").split("#")[0]).is_file(), target
        if target.startswith("https://raw.githubusercontent.com/"):
            assert (REPO / target.split("/main/", 1)[1]).is_file(), target


def _make_plan(target: str) -> str:
    done = subprocess.run(
        ["make", "-n", "-B", target, "VENV=/nonexistent-venv"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_serve_installs_only_what_serving_needs() -> None:
    serve = _make_plan("serve")
    assert "pip install --quiet -e ." in serve and "[test]" not in serve
    assert "pip install --quiet -e '.[test]'" in _make_plan("test")
