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


def _signer_and_template():
    from jinja2 import DictLoader

    env = Environment(loader=DictLoader({"post.html": "{{ SITENAME }} {{ TAGLINE }} {{ MENU }} {{ title }}"}))
    return ps.Signer({"SITEURL": ""}), env.get_template("post.html")


def _own(shared: dict, **values):
    """A page's context as engine.Page holds it: its own values (localsiteurl among them) first."""
    from collections import ChainMap

    return ChainMap({"localsiteurl": "", **values}, shared)


class _Looked(dict):
    """A shared context that counts how often a value is looked for in it."""

    looked = 0

    def __contains__(self, key) -> bool:
        type(self).looked += 1
        return super().__contains__(key)


def test_what_every_page_reads_of_the_shared_context_is_digested_once_and_follows_it() -> None:
    """Every post's page reads the same names of the shared context: their values are looked up
    and digested once for all of them (not once a page), and a page whose shared context holds
    other values, or that holds a value of its own in front of it, signs otherwise."""
    signer, template = _signer_and_template()
    shared = _Looked(SITENAME="A column", TAGLINE="Readers ask", MENU=[("About", "/about/")])
    pages = [
        signer.page(f"floor/{n}/index.html", template, _own(shared, title=f"Post {n}"))
        for n in range(20)
    ]
    assert len(set(pages)) == 20 and None not in pages
    assert _Looked.looked <= 3, "the shared values are looked up once, not for each page"
    again = signer.page("floor/3/index.html", template, _own(shared, title="Post 3"))
    assert again == pages[3]
    other = _Looked(shared, MENU=[("About", "/about/"), ("Ask", "/ask/")])
    changed = signer.page("floor/3/index.html", template, _own(other, title="Post 3"))
    assert changed is not None and changed != pages[3]
    own = signer.page("floor/3/index.html", template, _own(shared, title="Post 3", MENU=[]))
    assert own not in (None, pages[3], changed), "a page's own value in front of the shared one counts"


def test_a_list_of_links_and_a_tuple_of_the_same_items_are_digested_apart() -> None:
    """A post's own digest holds each list of links by one digest, found again for the next post
    holding an equal list; a tuple of the same items is another value (its type is in the digest),
    whichever of the two came first."""
    signer = ps.Signer({"SITEURL": ""})
    items = ["a", 1, None]
    as_list = signer._linked_part("floor_jump", items)
    as_tuple = signer._linked_part("floor_jump", tuple(items))
    assert as_tuple != as_list
    assert as_tuple == ps.Signer({"SITEURL": ""})._linked_part("floor_jump", tuple(items))
    assert signer._linked_part("floor_jump", list(items)) == as_list
