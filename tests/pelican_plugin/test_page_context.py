"""A page's context handed to Jinja: the same names, order and values as ``dict()`` of the
page's ChainMap (its own values in front of the shared context), made without looking each
name up through the maps."""

from __future__ import annotations

from collections import ChainMap

from from_the_floor.pelican_plugin import engine
from jinja2 import Environment


def _page(own: dict, shared: dict) -> engine.Page:
    template = Environment().from_string("{% for k, v in ctx() %}{{ k }}={{ v }};{% endfor %}")
    return engine.Page("p.html", "/nowhere/p.html", template, ChainMap(own, shared), shared)


def test_the_flattened_context_is_dict_of_the_chain() -> None:
    shared = {"SITEURL": "", "SITENAME": "Site", "b": 2, "localsiteurl": "", "a": 1}
    chain = ChainMap({"a": "own", "new": 3}, {"b": "middle", "c": 4}, shared)
    flat = engine.flattened(chain)
    assert flat == dict(chain) and list(flat) == list(dict(chain))
    assert flat is not shared and shared["a"] == 1  # the shared context is not written to


def test_a_context_of_another_kind_is_left_to_jinja() -> None:
    class Counted(dict):
        pass

    odd = ChainMap({"a": 1}, Counted(b=2))
    assert engine.flattened(odd) is odd
    plain = {"a": 1}
    assert engine.flattened(plain) is plain


def test_rendering_a_page_looks_no_name_up_through_the_chain(monkeypatch) -> None:
    shared = {f"SETTING_{n}": n for n in range(200)} | {"localsiteurl": ""}
    own = {"localsiteurl": "", "SETTING_3": "own", "article": "post"}
    looked: list[str] = []
    original = ChainMap.__getitem__

    def counted(self, key):
        if self.maps[-1] is shared:  # (Jinja keeps its globals in a ChainMap too)
            looked.append(key)
        return original(self, key)

    page = _page(own, shared)
    page.template.globals["ctx"] = lambda: sorted(engine.flattened(page.localcontext).items())
    expected = page.template.render(dict(page.localcontext))
    monkeypatch.setattr(ChainMap, "__getitem__", counted)
    assert page.render() == expected
    assert looked == ["localsiteurl"]  # Page.render's own look, not one a name
