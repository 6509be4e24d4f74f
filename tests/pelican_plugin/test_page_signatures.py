"""Signing pages: what is kept between builds is what a fresh parse finds, or it is not used."""

from __future__ import annotations

import json
from pathlib import Path

from from_the_floor import paths
from from_the_floor.core import memo
from from_the_floor.pelican_plugin import page_signatures as ps
from jinja2 import Environment


def _theme_env() -> Environment:
    """The theme's templates as a build sees them: i18n, the kit's own filters."""
    env = Environment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    env.filters.update(floor_date=str, floor_number=str)
    return env


def _fresh(env: Environment, source: str) -> ps._Parsed:
    parsed = ps._checked(ps._names(env.parse(source)))
    assert parsed is not None
    return parsed


def test_the_kept_analysis_of_every_kit_template_equals_a_parse_in_the_build_env() -> None:
    """The memo parses in an environment of its own, which knows none of the site's filters."""
    env = _theme_env()
    templates = sorted((Path(paths.THEME_DIR) / "templates").glob("*.html"))
    assert len(templates) > 10
    for template in templates:
        source = template.read_text(encoding="utf-8")
        kept = ps._checked(ps._analyse(json.dumps([ps._syntax(env), source])))
        assert kept == _fresh(env, source), template.name
        assert ps._parsed(env, source) == kept


def test_a_kept_analysis_of_another_shape_is_not_used(monkeypatch) -> None:
    env = _theme_env()
    source = "{% extends 'base.html' %}{{ article.title|floor_date }}{{ shown }}"
    key = json.dumps([ps._syntax(env), source])
    digest = memo.hashlib.blake2b(key.encode(), digest_size=16).digest()
    monkeypatch.setitem(ps._analysis.entries, digest, json.dumps([["shown"], "base.html", [], [], []]))
    found = ps._parsed(env, source)
    assert found == _fresh(env, source)
    assert found.undeclared == {"article", "shown"} and found.refs == ("base.html",)
