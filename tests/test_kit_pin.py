"""A site's own requirements.txt pins the kit: `floor init` writes it, `floor check` and
`floor workflow --write` refuse a site without it, `floor upgrade` moves it."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from from_the_floor import kit_pin
from packaging.requirements import Requirement

INSTALLED = version("from-the-floor")
WEEKLY = Path(".github") / "workflows" / "weekly.yml"


def kit_line(site: Path) -> Requirement:
    """The kit's requirement as pip would read the file (comments and blank lines skipped)."""
    lines = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    bare = [line.split(" #")[0].strip() for line in lines]
    reqs = [Requirement(line) for line in bare if line and not line.startswith("#")]
    return next(r for r in reqs if r.name == "from-the-floor")


def test_init_pins_the_installed_kit_exactly(site: Path) -> None:
    assert str(kit_line(site).specifier) == f"=={INSTALLED}"
    assert "uv pip install --python python -r requirements.txt" in (site / WEEKLY).read_text(encoding="utf-8")


def test_check_accepts_a_new_site(site: Path, run_floor) -> None:
    done = run_floor("check", site=site)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("command", [("check",), ("workflow", "--write")])
def test_a_missing_dependency_file_is_named_with_its_fix(site: Path, run_floor, command) -> None:
    (site / "requirements.txt").unlink()
    before = (site / WEEKLY).read_text(encoding="utf-8")
    (site / WEEKLY).write_text(before + "# the author's note\n", encoding="utf-8")
    done = run_floor(*command, site=site)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{site / 'requirements.txt'}: missing" in done.stderr
    assert "floor --site" in done.stderr and "upgrade" in done.stderr  # the fix
    assert (site / WEEKLY).read_text(encoding="utf-8").endswith("# the author's note\n")  # untouched


@pytest.mark.parametrize("command", [("check",), ("workflow", "--write")])
def test_a_dependency_file_without_the_kit_is_named(site: Path, run_floor, command) -> None:
    (site / "requirements.txt").write_text("pelican==4.12.0\n# from-the-floor, some day\n")
    done = run_floor(*command, site=site)
    assert done.returncode == 1
    assert "requirements.txt: names no from-the-floor" in done.stderr
    assert f"from-the-floor=={INSTALLED}" in done.stderr


def test_check_json_lists_the_dependency_problem(site: Path, run_floor) -> None:
    import json

    (site / "requirements.txt").unlink()
    done = run_floor("check", "--json", site=site)
    assert done.returncode == 1
    errors = json.loads(done.stdout)["errors"]
    assert [Path(e["file"]).name for e in errors] == ["requirements.txt"]


@pytest.mark.parametrize("command", [("check",), ("workflow", "--write")])
def test_another_pinned_version_is_one_warning_line(site: Path, run_floor, command) -> None:
    (site / "requirements.txt").write_text("from-the-floor==0.0.1  # the first release\n")
    done = run_floor(*command, site=site)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and len(done.stderr.splitlines()) == 1
    assert "requirements.txt:1" in warnings[0] and "0.0.1" in warnings[0] and INSTALLED in warnings[0]


def test_upgrade_moves_the_pin_keeps_the_rest_and_refits_the_workflow(site: Path, run_floor) -> None:
    (site / "requirements.txt").write_text(
        "# my column\npelican-sitemap==1.2.0\nfrom-the-floor==0.0.1  # pinned by floor\n", encoding="utf-8"
    )
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"monday"', '"friday"'), encoding="utf-8")
    done = run_floor("upgrade", "--to", "9.1.0", site=site)
    assert done.returncode == 0, done.stderr
    assert "0.0.1 -> 9.1.0" in done.stdout
    assert (site / "requirements.txt").read_text(encoding="utf-8") == (
        "# my column\npelican-sitemap==1.2.0\nfrom-the-floor==9.1.0  # pinned by floor\n"
    )
    assert " * * 5" in (site / WEEKLY).read_text(encoding="utf-8")  # refitted to Fridays
    assert "pip install -r" in done.stdout  # this machine still runs the old kit: what to do next
    back = run_floor("upgrade", site=site)  # default: the installed version
    assert back.returncode == 0, back.stderr
    assert str(kit_line(site).specifier) == f"=={INSTALLED}"


def test_upgrade_writes_a_missing_file_and_rejects_a_bad_version(site: Path, run_floor) -> None:
    (site / "requirements.txt").unlink()
    bad = run_floor("upgrade", "--to", "next week", site=site)
    assert bad.returncode == 1 and "--to: 'next week' is not a version number" in bad.stderr
    assert not (site / "requirements.txt").exists()
    done = run_floor("upgrade", site=site)
    assert done.returncode == 0, done.stderr
    assert str(kit_line(site).specifier) == f"=={INSTALLED}"
    assert run_floor("check", site=site).returncode == 0


def test_upgrade_refuses_the_kits_own_repository(run_floor) -> None:
    repo = Path(__file__).resolve().parent.parent
    done = run_floor("upgrade", "--to", "9.0.0", site=repo)
    assert done.returncode == 2 and "kit's own repository" in done.stderr
    assert not (repo / "requirements.txt").exists()


def test_a_range_is_accepted_when_it_allows_the_installed_kit(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("From_The.Floor>=0.0.1\n")
    pin = kit_pin.find_pin(tmp_path)
    assert pin.version is None and kit_pin.mismatch(pin) is None
    (tmp_path / "requirements.txt").write_text("from-the-floor<0.0.1\n")
    assert "does not allow" in (kit_pin.mismatch(kit_pin.find_pin(tmp_path)) or "")
