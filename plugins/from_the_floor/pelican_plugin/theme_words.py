"""The theme's words looked up in the catalogue once a build, not again on every page.

Jinja's i18n extension (newstyle, as Pelican themes install it) looks each
``_("Tags")`` up through three context calls and the catalogue on every page:
about 20 of them a page, the same few dozen words on each of a build's
thousands of pages, a tenth of the time rendering takes. The ``gettext`` and
``_`` installed here keep what the catalogue gave for each word (the catalogue
is fixed for the environment: the column's language, part of the build key)
and do the rest as Jinja's own do, so every page reads exactly as before:
marked safe when autoescaping, then always formatted with its variables
(``{% trans %}`` blocks pass theirs; a word with none is still ``% {}``).
``ngettext`` and the rest stay Jinja's own.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

# On the functions installed here: what page_signatures reads (they are handed the context
# only to find the catalogue and autoescaping, as Jinja's own i18n functions are).
MARK = "__floor_words__"


def install(env: Environment, translations: Any) -> None:
    """Jinja's newstyle gettext for ``translations`` on ``env``, its ``gettext`` and ``_``
    remembering each word's translation."""
    env.install_gettext_translations(translations, newstyle=True)
    lookup = getattr(translations, "ugettext", None) or translations.gettext
    known: dict[str, str] = {}

    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> str:
        if type(__string) is str:
            rv = known.get(__string)
            if rv is None:
                rv = known[__string] = __context.call(lookup, __string)
        else:  # not a word (an undefined value…): as Jinja does, every time
            rv = __context.call(lookup, __string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    @pass_context
    def alias(__context: Context, *args: Any, **kwargs: Any) -> Any:
        found = __context.resolve("gettext")
        if found is gettext:  # this environment's own (a page could name something gettext)
            return gettext(__context, *args, **kwargs)
        return __context.call(found, *args, **kwargs)

    for func in (gettext, alias):
        setattr(func, MARK, True)
    env.globals.update(gettext=gettext, _=alias)


def is_installed_here(func: Any) -> bool:
    """True for the ``gettext`` or ``_`` :func:`install` put in an environment."""
    return getattr(func, MARK, False) is True
