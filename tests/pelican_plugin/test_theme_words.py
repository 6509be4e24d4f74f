"""The theme's words: looked up in the catalogue once per environment, and every page reads as
with Jinja's own newstyle gettext (plain words, {% trans %} blocks with values, autoescaping,
reader text in a value escaped, a page naming something gettext)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from from_the_floor.core import i18n
from from_the_floor.pelican_plugin import page_signatures, plugin, theme_words
from jinja2 import DictLoader, Environment, UndefinedError

TEMPLATE = (
    '{{ _("Tags") }}|{{ _("Tags") }}|{{ _("100%% sure") }}|{{ gettext("Archives") }}'
    "|{% trans number=n %}Previous: #{{ number }}{% endtrans %}"
    "|{% trans name=who %}{{ name }} #{{ number }}{% endtrans %}"
    '|{{ _("Share on %(service)s", service=who) }}'
)


class Counting:
    """A catalogue that counts its look-ups (and translates, so a cached word shows)."""

    def __init__(self) -> None:
        self.looked: list[str] = []

    def gettext(self, message):
        self.looked.append(message)
        return f"«{message}»" if isinstance(message, str) else message

    def ngettext(self, singular, plural, n):
        return singular if n == 1 else plural


def _env(install, autoescape: bool) -> tuple[Environment, Counting]:
    env = Environment(
        loader=DictLoader({"page.html": TEMPLATE}), extensions=["jinja2.ext.i18n"], autoescape=autoescape
    )
    env.policies["ext.i18n.trimmed"] = True
    catalogue = Counting()
    install(env, catalogue)
    return env, catalogue


def _jinjas_own(env: Environment, catalogue) -> None:
    env.install_gettext_translations(catalogue, newstyle=True)


@pytest.mark.parametrize("autoescape", [False, True])
def test_every_word_reads_as_with_jinjas_own_gettext(autoescape: bool) -> None:
    page = {"n": 7, "who": "<b>Ann & Co</b>"}  # reader text in a value: escaped when autoescaping
    ours, _ = _env(theme_words.install, autoescape)
    theirs, _ = _env(_jinjas_own, autoescape)
    for _ in range(2):  # the second render from what was kept
        assert ours.get_template("page.html").render(page) == theirs.get_template("page.html").render(page)
    if autoescape:
        assert "&lt;b&gt;Ann &amp; Co&lt;/b&gt;" in ours.get_template("page.html").render(page)


def test_each_word_is_looked_up_once_for_every_page_rendered() -> None:
    env, catalogue = _env(theme_words.install, autoescape=False)
    template = env.get_template("page.html")
    for n in range(3):
        template.render({"n": n, "who": "Ann"})
    words = catalogue.looked
    assert sorted(words) == sorted(set(words))  # each once, for three pages
    assert {"Tags", "Archives", "Previous: #%(number)s"} <= set(words)


def test_an_undefined_word_fails_as_with_jinjas_own() -> None:
    for install in (theme_words.install, _jinjas_own):
        env, _ = _env(install, autoescape=False)
        with pytest.raises(UndefinedError, match="'missing' is undefined"):
            env.from_string("{{ _(missing) }}").render()


def test_a_page_naming_something_gettext_is_rendered_with_it() -> None:
    env, _ = _env(theme_words.install, autoescape=False)
    template = env.from_string('{{ _("Tags") }}')
    assert template.render(gettext=lambda s: s.upper()) == "TAGS"
    assert template.render() == "«Tags»"


def test_the_column_language_is_installed_with_it_and_pages_using_it_stay_signed() -> None:
    env = Environment(loader=DictLoader({"page.html": TEMPLATE}), extensions=["jinja2.ext.i18n"])
    plugin.install_language(SimpleNamespace(env=env, settings={"DEFAULT_LANG": "fr"}))
    assert theme_words.is_installed_here(env.globals["_"]) and env.globals["gettext"].__floor__
    french = i18n.for_settings({"DEFAULT_LANG": "fr"}).translations.gettext("Tags")
    assert french != "Tags" and env.from_string('{{ _("Tags") }}').render() == french
    # handed the context only to find the catalogue: the signer still reads the page's names
    parsed = page_signatures._parsed(env, TEMPLATE)
    assert parsed is not None and not page_signatures._reads_whole_context(env, parsed)


def test_a_catalogue_another_plugin_installed_is_kept() -> None:
    env = Environment(extensions=["jinja2.ext.i18n"])
    _jinjas_own(env, Counting())
    theirs = env.globals["gettext"]
    plugin.install_language(SimpleNamespace(env=env, settings={"DEFAULT_LANG": "fr"}))
    assert env.globals["gettext"] is theirs and not theme_words.is_installed_here(env.globals["_"])


@pytest.mark.parametrize("newstyle", [True, False])
def test_a_catalogue_installed_without_contexts_still_reads_the_kits_words_with_one(newstyle: bool) -> None:
    """A blog plugin's catalogue installed as callables without ``pgettext``: the kit's search
    button (``pgettext("button", "Search")``) reads that catalogue's word for "Search"."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(
        lambda s: {"Search": "Chercher"}.get(s, s), lambda s, p, n: s if n == 1 else p, newstyle=newstyle
    )
    assert env.globals.get("pgettext") is None  # (Jinja sets it to None)
    plugin.install_language(SimpleNamespace(env=env, settings={"DEFAULT_LANG": "fr"}))
    assert env.from_string('{{ pgettext("button", "Search") }}').render() == "Chercher"
