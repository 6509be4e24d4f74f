"""`make messages`: the message catalogue brought up to date (docs/translating.md).

Extracts every reader-facing string from the templates and the code (babel.cfg) into
locale/floor.pot, merges it into each language's floor.po (new strings arrive empty, for a
translator to fill in), then compiles each .po to the .mo the kit reads. The English
catalogue is its own translation: its strings are filled in from the source.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "plugins" / "from_the_floor" / "locale"
POT = LOCALE / "floor.pot"


def pybabel(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), *args], check=True, cwd=ROOT)


def fill_english() -> None:
    path = LOCALE / "en" / "LC_MESSAGES" / "floor.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id:
            message.string = message.id  # English: the source text is the translation
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=0, sort_by_file=True)


def main() -> None:
    pot = str(POT.relative_to(ROOT))
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "--project",
        "From the Floor",
        "--no-wrap",
        "--sort-by-file",
        "-c",
        "Translators:",
        "-o",
        pot,
        ".",
    )
    for lang in sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir()):
        pybabel(
            "update",
            "-i",
            pot,
            "-d",
            str(LOCALE.relative_to(ROOT)),
            "-D",
            "floor",
            "-l",
            lang,
            "--no-wrap",
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        )
    fill_english()
    pybabel("compile", "-d", str(LOCALE.relative_to(ROOT)), "-D", "floor", "--statistics")


if __name__ == "__main__":
    main()
