"""The build-time guard: no reader's contact detail may appear under output/."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from .errors import FloorError
from .queue import question_files

_CONTACT_LINE = re.compile(r"^contact:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE)
MIN_LENGTH = 4  # shorter strings would match innocent text


def contacts_in(folders: Iterable[Path]) -> set[str]:
    """Every contact string in the question and post files, read leniently.

    A malformed file still has its contact protected, so this reads the raw
    ``contact:`` lines instead of relying on a clean parse.
    """
    found: set[str] = set()
    for folder in folders:
        for path in question_files(folder):
            text = path.read_bytes().decode("utf-8", errors="replace")
            for match in _CONTACT_LINE.finditer(text):
                value = match.group(1).strip()
                if len(value) >= MIN_LENGTH:
                    found.add(value)
    return found


def _variants(contact: str) -> set[str]:
    return {
        contact.lower(),
        html.escape(contact, quote=True).lower(),
        quote(contact, safe="").lower(),
        contact.replace("@", "&#64;").lower(),
        contact.replace("@", "\\u0040").lower(),
    }


def scan(output: Path, contacts: set[str]) -> list[tuple[Path, str]]:
    """(file, contact) for each output file that contains a contact in any common encoding."""
    if not contacts or not output.is_dir():
        return []
    needles = {v: c for c in contacts for v in _variants(c)}
    leaks: list[tuple[Path, str]] = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="ignore").lower()
        for needle, contact in needles.items():
            if needle in text:
                leaks.append((path, contact))
                break
    return leaks


def check_output(output: Path, folders: Iterable[Path]) -> None:
    """Fail loudly, naming files, if any contact leaked into the built site."""
    leaks = scan(output, contacts_in(folders))
    if leaks:
        lines = [f"  {path}" for path, _ in leaks[:20]]
        more = f"\n  … and {len(leaks) - 20} more" if len(leaks) > 20 else ""
        raise FloorError(
            "a reader's private contact detail appears in the built site; "
            "the build is refused. Remove it from these files' sources:\n" + "\n".join(lines) + more,
            path=output,
        )
