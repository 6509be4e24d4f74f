"""The contact guard at the source: every file a build reads, checked before Pelican writes a page.

No contact is ever handed to Pelican (the plugin never reads the private
fields into a page), so a reader's contact can reach the built site only
through text the site is built from: answers, questions and details, pages,
templates, static files, settings, imported posts. Each such file is read
the way a reader would read what it becomes (contact_recogniser: entities,
Markdown's escapes, invisible characters, bidi, look-alikes, defanged forms,
any phone separator), and a contact found is reported by file and line,
never by what it is. In a question or post file the private fields
(``contact``, ``also_asked_by``, ``declined``, ``notified``, ``intake_id``)
are left out: they are where contacts belong, and never reach a page.

Compressed static files (gzip, zip) are looked into, as the output guard did.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import FloorError
from .guard import Detector, readable_parts

# the front-matter keys whose values never reach a page (question.PRIVATE_FIELDS, ``notify`` a flag)
_PRIVATE = re.compile(r"(?:contact|also_asked_by|declined|notified|intake_id)[ \t]*:")
_FENCE = ("---", "...")
MAX_SHOWN = 20


def public_text(text: str) -> str:
    """A question or post file with its private front-matter fields blanked (lines kept, so line
    numbers still point into the file)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    out = [lines[0]]
    skipping = False
    for n in range(1, len(lines)):
        line = lines[n]
        if line.strip() in _FENCE:
            out += lines[n:]
            break
        if line and not line[0].isspace() and not line.startswith(("#", "- ", "-\t")) and line != "-":
            skipping = _PRIVATE.match(line) is not None
        out.append("" if skipping else line)
    return "\n".join(out)


def leaks_in(
    files: Iterable[Path], detector: Detector, *, question_folders: Iterable[Path] = ()
) -> list[tuple[Path, int]]:
    """(file, line) for each place a source shows a contact; files under ``question_folders``
    are read without their private fields."""
    if not detector.recogniser:
        return []
    private = [str(Path(folder).absolute()) + os.sep for folder in question_folders]
    found: list[tuple[Path, int]] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        is_question = path.suffix == ".md" and str(path.absolute()).startswith(tuple(private))
        for part in readable_parts(data):
            text = part.decode("utf-8", errors="ignore")
            if is_question:
                text = public_text(text)
            lines = detector.lines(text)
            if lines:
                found += [(path, line) for line in lines]
                break
    return found


def check(
    files: Iterable[Path], detector: Detector, *, site_root: Path, question_folders: Iterable[Path] = ()
) -> None:
    """Refuse the build, naming each file and line (never the contact), if a source shows a contact."""
    leaks = leaks_in(sorted(set(files)), detector, question_folders=question_folders)
    if not leaks:
        return
    root = Path(site_root).absolute()

    def shown(path: Path) -> str:
        full = path.absolute()
        return str(full.relative_to(root)) if full.is_relative_to(root) else str(full)

    lines = [f"  {shown(path)}, line {line}" for path, line in leaks[:MAX_SHOWN]]
    more = f"\n  … and {len(leaks) - MAX_SHOWN} more" if len(leaks) > MAX_SHOWN else ""
    raise FloorError(
        "a reader's private contact detail is in the files the site is built from; the build is "
        "refused and output/ keeps the last good build. Take it out of these lines (a reader's "
        "contact belongs only in the `contact` field):\n" + "\n".join(lines) + more,
        path=root,
    )


def files_of(inputs: Iterable[str], site_root: Path) -> list[Path]:
    """The build's input files (build manifest keys: relative to the site, or absolute)."""
    root = Path(site_root)
    return [Path(key) if os.path.isabs(key) else root / key for key in inputs]
