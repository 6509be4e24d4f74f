"""The kit's theme analysed once and shipped (pelican_plugin/template_reads.json): a first build
reads it instead of parsing the kit's templates, and signs every page exactly as before."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from from_the_floor.core import build_manifest, memo
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import page_signatures as ps
from helpers_build import ROOT, assert_same, generated_site, tree

TODAY = "2026-11-08"


def _script():
    spec = importlib.util.spec_from_file_location("template_reads", ROOT / "scripts" / "template_reads.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _counted(monkeypatch) -> list[str]:
    """The inputs the build analyses itself (parses with Jinja)."""
    analysed: list[str] = []
    analyse = ps._analyse

    def counting(text: str) -> str:
        analysed.append(text)
        return analyse(text)

    monkeypatch.setattr(ps, "_analyse", counting)
    return analysed


def test_the_shipped_file_is_what_a_build_of_the_kit_works_out(tmp_path: Path) -> None:
    """After a template of the theme is edited (or Jinja upgraded): `make template-reads`."""
    made = _script().harvest(generated_site(tmp_path, 6))
    data = json.loads(ps.SHIPPED.read_text(encoding="utf-8"))
    if data.get("salt") != ps._SALT:  # made under another Jinja than this one: not used at all
        assert ps.shipped() == {}
        return
    assert ps.shipped() == data["reads"]
    stale = sorted(set(data["reads"]) ^ set(made))
    assert not stale, f"{ps.SHIPPED.name} is out of date: run `make template-reads` ({len(stale)} differ)"
    assert data["reads"] == made, f"{ps.SHIPPED.name} is out of date: run `make template-reads`"


def _outputs(site: Path) -> dict[str, tuple]:
    record = build_manifest.read(build_manifest.path_for(site / "output")).manifest
    assert record is not None
    return {rel: (row[0], row[2], row[3], row[4]) for rel, row in record.outputs.items()}


def test_a_first_build_parses_no_template_of_the_kit_and_signs_every_page_alike(
    tmp_path: Path, monkeypatch
) -> None:
    if not ps.shipped():
        pytest.skip("the shipped analysis was made under another Jinja: see the test above")
    analysed = _counted(monkeypatch)
    shipped_site = generated_site(tmp_path / "shipped", 6)
    own_site = tmp_path / "own"
    shutil.copytree(shipped_site, own_site)  # (a second generation seals the contacts afresh)
    ps._analysis.forget()
    build_mod.build(Site(shipped_site), jobs=1, today=TODAY)
    assert analysed == []

    monkeypatch.setattr(ps, "shipped", lambda path=None: {})  # every template parsed here
    ps._analysis.forget()
    build_mod.build(Site(own_site), jobs=1, today=TODAY)
    assert len(analysed) > 10
    assert _outputs(shipped_site) == _outputs(own_site)  # every page's signature the same
    assert_same(tree(shipped_site / "output"), tree(own_site / "output"))
    memo_files = sorted((shipped_site / ".cache" / memo.FOLDER).glob("template-reads.*.json"))
    assert memo_files  # kept in .cache/ as before, the same results
    for path in memo_files:
        assert path.read_bytes() == (own_site / ".cache" / memo.FOLDER / path.name).read_bytes()


def test_a_template_the_kit_did_not_ship_is_analysed_here(monkeypatch) -> None:
    """A site's own copy of a kit template (one name added) is parsed, not matched by its name."""
    if not ps.shipped():
        pytest.skip("the shipped analysis was made under another Jinja")
    analysed = _counted(monkeypatch)
    env = ps.Environment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])  # a build's
    source = (Path(ps.paths.THEME_DIR) / "templates" / "tag.html").read_bytes().decode("utf-8")
    kit = json.dumps([ps._syntax(env), source])
    assert ps._analyse_shipped_first(kit) == ps.shipped()[memo.digest(kit)]
    assert analysed == []
    changed = json.dumps([ps._syntax(env), source + "{{ floor_extra_name }}"])
    found = ps._checked(ps._analyse_shipped_first(changed))
    assert analysed == [changed]
    assert found is not None and "floor_extra_name" in found.undeclared


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"salt": "template-reads 1 0.0", "reads": {}}),
        json.dumps({"salt": ps._SALT, "reads": {"0" * 32: "[[], [], [], []]"}}),  # four lists, not five
        json.dumps({"salt": ps._SALT, "reads": {"0" * 32: json.dumps([[1], [], [], [], []])}}),
        json.dumps({"salt": ps._SALT, "reads": {"not a digest": json.dumps([[], [], [], [], []])}}),
        json.dumps({"salt": ps._SALT, "reads": [json.dumps([[], [], [], [], []])]}),
    ],
)
def test_a_shipped_file_of_another_jinja_or_shape_is_not_used(tmp_path: Path, content: str) -> None:
    path = tmp_path / "template_reads.json"
    path.write_text(content, encoding="utf-8")
    assert ps.shipped(path) == {}
    good = {"0" * 32: json.dumps([["title"], ["base.html"], [], [], []])}
    other = tmp_path / "good.json"
    other.write_text(json.dumps({"salt": ps._SALT, "reads": good}), encoding="utf-8")
    assert ps.shipped(other) == good
