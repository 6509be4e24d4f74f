"""The author's retirement switch: is the column armed to retire by itself when it is done?

The switch is one setting, ``FLOOR_AUTO_RETIRE``, in the site's own
``pelicanconf.py`` (committed, so the weekly job and every checkout agree, and
the author can read and change it like any other setting). It is off unless the
author turns it on: ``floor retire --when-done`` writes ``FLOOR_AUTO_RETIRE =
True`` there, ``floor retire --disarm`` writes ``False``. Adding the plugin to
a blog never arms it.

:func:`switch` is what `floor schedule`, `floor stats` and the desk read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import FloorError
from .atomic import atomic_write_text
from .settings import RETIREMENT_DEFAULTS, read_conf
from .site import Site

SETTING = "FLOOR_AUTO_RETIRE"
# A plain top-level assignment the kit may rewrite: `FLOOR_AUTO_RETIRE = True  # comment`.
_LINE = re.compile(
    rf"^{SETTING}[ \t]*=[ \t]*(?P<value>True|False)(?P<rest>[ \t]*(?:#[^\r\n]*)?)(?=\r?$)", re.MULTILINE
)
_ANY = re.compile(rf"^{SETTING}\b", re.MULTILINE)


@dataclass(frozen=True)
class Switch:
    """The switch as the author set it (``set_in`` is None when the default applies)."""

    armed: bool
    grace_weeks: int
    set_in: str | None

    def as_json(self) -> dict[str, Any]:
        return {"armed": self.armed, "grace_weeks": self.grace_weeks, "set_in": self.set_in}

    def state(self) -> str:
        """'armed (…): what happens …' or 'not armed: …', for a line that names it first."""
        weeks = f"{self.grace_weeks} week{'s' if self.grace_weeks != 1 else ''}"
        if self.armed:
            return (
                f"armed ({SETTING} = True in {self.set_in or 'the settings'}): once every question is "
                f"done, the weekly job retires the column {weeks} after its last post; "
                "`floor retire --disarm` turns it off."
            )
        return (
            "not armed: the column goes on after its last post until you retire it (`floor retire`), "
            "or arm it to retire by itself when every question is done (`floor retire --when-done`)."
        )

    def text(self) -> str:
        """One sentence for people: what happens when the last question is done, and how to change it."""
        return f"Retirement is {self.state()}"


def switch(site: Site) -> Switch:
    """The site's retirement switch (read from its settings; never armed by default)."""
    from .retire import settings_for  # retire reads this module's setting; imported late

    conf = settings_for(site)
    return Switch(
        armed=conf.auto,
        grace_weeks=conf.grace_weeks,
        set_in=site.conf_path.name if _set_in_file(site) else None,
    )


def upgrade_note(site: Site) -> str:
    """What `floor upgrade` tells the author: kits before this one retired every column by
    default; a site that did not set the switch itself is now left alone (not armed)."""
    current = switch(site)
    if current.set_in is None:
        return (
            f"retirement: earlier kits retired a column by themselves once it was done; this one never "
            f"does unless you arm it. {site.conf_path.name} does not set {SETTING}, so this column is "
            "now not armed. `floor retire --when-done` arms it again."
        )
    return f"retirement: {current.state()}"


def _set_in_file(site: Site) -> bool:
    try:
        return bool(_ANY.search(site.conf_path.read_text(encoding="utf-8")))
    except OSError:
        return False


def armed_in(text: str) -> bool | None:
    """What a settings file's text arms: its one plain line's value, False with no line at all (the
    default), None when it is set in a way only Python can read (a computed value, two lines).

    `floor retire --when-done --commit` asks it of the last commit's pelicanconf.py: the folder may
    already say True while the repository, which the weekly job runs on, does not.
    """
    plain = list(_LINE.finditer(text))
    every = list(_ANY.finditer(text))
    if not every:
        return False
    if len(every) == 1 and plain:
        return plain[0].group("value") == "True"
    return None


def set_armed(site: Site, armed: bool) -> bool:
    """Write ``FLOOR_AUTO_RETIRE = armed`` into pelicanconf.py; False when it already said so.

    Only a plain ``FLOOR_AUTO_RETIRE = True/False`` line is rewritten (its
    comment kept); without one, a line is added at the end. Anything else (a
    computed value, two assignments) is the author's own code: refused with
    the line to change by hand. The file is read back through Python before
    the command says it is done, and restored if it does not say ``armed``.
    """
    path = site.conf_path
    try:
        original = path.read_bytes().decode("utf-8")  # bytes: its line endings are kept
    except (OSError, UnicodeDecodeError) as exc:
        raise FloorError(f"cannot be read ({exc})", path=path) from None
    plain = list(_LINE.finditer(original))
    every = list(_ANY.finditer(original))
    value = "True" if armed else "False"
    if len(every) > 1 or (every and not plain):
        raise FloorError(
            f"is set in a way the kit does not rewrite (not one plain `{SETTING} = True/False` line); "
            f"set `{SETTING} = {value}` there by hand",
            path=path,
            field=SETTING,
        )
    if plain:
        match = plain[0]
        if match.group("value") == value:
            return False
        line = f"{SETTING} = {value}{match.group('rest')}"
        text = original[: match.start()] + line + original[match.end() :]
    else:
        newline = "\r\n" if "\r\n" in original else "\n"
        tail = "" if original.endswith(("\n", "\r")) or not original else newline
        text = (
            f"{original}{tail}{newline}# Retirement: the column retires by itself once every question "
            f"is done (`floor retire --when-done` / `--disarm`){newline}{SETTING} = {value}{newline}"
        )
    atomic_write_text(path, text)
    try:
        read_back = read_conf(path).get(SETTING, RETIREMENT_DEFAULTS[SETTING])
    except FloorError:
        read_back = None
    if read_back is not armed:  # the author's code overrides it later: put the file back
        atomic_write_text(path, original)
        raise FloorError(
            f"was written as {value}, but the file still gives {read_back!r} when read (is it set again "
            "further down, or in an imported file?); the file is unchanged",
            path=path,
            field=SETTING,
        )
    return True
