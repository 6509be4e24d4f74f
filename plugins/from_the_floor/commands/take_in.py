"""Files handed over to be taken in, as `floor intake eml|mbox|csv` and `floor import` take them.

The desk's drop zone and the commands share these: the kind of a file is
told by its name, then the channel's own reader and the inbox file the
questions, and the report is the lines the commands print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..core.site import Site
from ..errors import FloorError
from ..intake import inbox, intake_csv, intake_email
from ..intake.intake import phone_region

# mail and tables go through intake; a blog's export (WordPress/Blogger XML, a feed, Ghost's JSON,
# a Substack or Medium zip) through `floor import`, which tells the format from the content
KINDS = {
    ".eml": "eml",
    ".mbox": "mbox",
    ".csv": "csv",
    **dict.fromkeys((".xml", ".atom", ".rss", ".json", ".zip"), "import"),
}


def kind_of(name: str) -> str:
    """'eml', 'mbox', 'csv' or 'import' (a blog export or feed), from the file's name."""
    suffix = Path(name).suffix.lower()
    if suffix not in KINDS:
        raise FloorError(
            "not a file the desk can take in: drop .eml or .mbox mail, a .csv table, "
            "or a blog's export (.xml, .json, .zip) or feed (.rss, .atom)",
            path=name,
        )
    return KINDS[suffix]


def intake(
    site: Site,
    kind: str,
    files: list[Path],
    now: dt.datetime,
    *,
    notify: bool = False,
    source: str = "notes",
    dates: str = "auto",
    columns: dict[str, str] | None = None,
    said: Callable[[str, bool], None] | None = None,
) -> tuple[list[inbox.Outcome], list[str]]:
    """Read mail or a CSV table and file each question (the inbox merges duplicates, skips repeats).

    ``said`` (line, is_a_problem) hears the notes and each message's lines as
    it is filed, so a run stopped half-way has already told the author what it
    filed; the summary is left to the caller.
    """
    tz = site.settings.timezone
    notes: list[str] = []
    if kind == "eml":
        messages = intake_email.read_eml(files, tz=tz, today=now.date(), notify=notify)
    elif kind == "mbox":
        messages = []
        for file in files:
            messages += intake_email.read_mbox(file, tz=tz, today=now.date(), notify=notify)
    elif kind == "csv":
        messages = []
        for file in files:
            found, file_notes = intake_csv.read(
                file,
                source=source,
                today=now.date(),
                notify=notify,
                dates=dates,
                columns=columns,
                phone_region=phone_region(site),
            )
            messages += found
            notes += file_notes
    else:
        raise FloorError(f"{kind!r} is not a kind of intake (eml, mbox or csv)")
    if said is None:
        return inbox.process(site, messages, now), notes
    for note in notes:
        said(f"note: {note}", False)
    outcomes = inbox.process(site, messages, now, filed=telling(site, said))
    if unsent := _unsent_note(site, messages, outcomes):
        said(unsent, False)
    return outcomes, notes


def _unsent_note(site: Site, messages: list[inbox.Message], outcomes: list[inbox.Outcome]) -> str | None:
    """The once-per-run note that readers filed now asked to hear back by email while no mail
    server is set up (services/mailer.unsent_note); repeats and rejected messages do not count."""
    from ..services import mailer

    wanting = {
        m.label
        for m in messages
        if m.new is not None and m.new.notify and mailer.reaches_by_email(m.new.contact)
    }
    if not wanting:
        return None
    filed = sum(1 for o in outcomes if o.action in ("added", "merged") and o.label in wanting)
    return mailer.unsent_note(site.settings.raw, filed)


def telling(site: Site, said: Callable[[str, bool], None]) -> Callable[[list[inbox.Outcome]], None]:
    """An inbox ``filed`` callback that hands the outcomes' lines to ``said`` as they happen."""

    def filed(outcomes: list[inbox.Outcome]) -> None:
        for line, problem in inbox.describe_all(outcomes, site):
            said(line, problem)

    return filed


def outcome_lines(
    site: Site, outcomes: list[inbox.Outcome], notes: list[str] | tuple = ()
) -> list[tuple[str, bool]]:
    """What `floor intake` prints, as (line, is_a_problem): notes, one entry per message, the summary."""
    lines = [(f"note: {note}", False) for note in notes]
    lines += inbox.describe_all(outcomes, site)
    lines.append((inbox.summary(outcomes), False))
    return lines
