"""Reader text made safe for a terminal line (and a CI log).

A question, a name or a tag can hold control characters: an escape sequence
that recolours or rewrites the author's terminal, a carriage return that hides
what came before it on the line, a bidi override that shows text backwards.
Each such character is shown as a visible escape (``\\x1b``, ``\\u202e``)
instead; line breaks and tabs of the kit's own multi-line output are kept.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

# C0 and C1 controls but tab and newline; DEL; the invisible format characters that can
# hide or reorder text (zero-width space and marks, bidi embeddings, overrides and
# isolates, word joiners, BOM, interlinear annotations, tag characters); the Unicode
# line and paragraph separators. Unicode's Cf list, less the soft hyphen, the zero-width
# joiner emoji sequences need and the zero-width non-joiner Persian, Kurdish and Hindi
# write inside words (core/unprintable.py): they join or part the letters beside them and
# nothing else. The direction marks stay escaped here, though a page keeps them: on a
# terminal line the reader's words sit inside the kit's own, whose quotes and brackets a
# mark could move. Written out: deriving it from unicodedata at import would cost a third
# of a second on every `floor` command.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


# what _UNSAFE leaves alone in ASCII text: tab, newline and the printable characters
_SAFE_ASCII = bytes([9, 10, *range(0x20, 0x7F)])


def _all_safe(text: str) -> bool:
    """True when ``text`` is plain ASCII with nothing :data:`_UNSAFE` matches, found by a byte
    table in one pass (the pattern's own scan costs about 10 ms a megabyte: `floor queue
    --json` at 10,000 questions prints 3 MB); any other text goes through the pattern."""
    return text.isascii() and not text.encode("ascii").translate(None, _SAFE_ASCII)


def clean(text: str) -> str:
    """``text`` with every control or format character shown as an escape."""
    return text if _all_safe(text) else _UNSAFE.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def clean_json(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with the same characters as JSON escapes: the same data."""
    return text if _all_safe(text) else _UNSAFE.sub(_json_escape, text)


def shows_progress() -> bool:
    """Whether the author watches a terminal: not in CI, not in a pipe or a log file."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """A progress bar (rich, which Pelican brings) on a terminal for a long job (a blog of
    thousands of posts, a big mailbox); nothing in CI or a pipe, where it would only fill the log."""
    if total < 20 or not shows_progress():
        yield from items
        return
    from rich.progress import track

    yield from track(items, total=total, description=description, console=None, transient=True)


class _Working:
    """The status line of the command that runs: a spinner, the step and the seconds so far."""

    def __init__(self) -> None:
        self.status = None
        self.started = 0.0
        self.step = ""

    def show(self, step: str) -> None:
        self.step = step
        if self.status is not None:
            # naming the spinner redraws the line at once: a short step is still seen
            self.status.update(f"{step} ({time.monotonic() - self.started:.0f} s so far)", spinner="dots")


_working = _Working()


@contextlib.contextmanager
def working(first_step: str) -> Iterator[None]:
    """While a long command runs (a build of a thousand posts takes seconds), one line on the
    author's terminal says which step it is on; nothing in CI or a pipe. :func:`step` moves it on."""
    if not shows_progress() or _working.status is not None:
        yield
        return
    from rich.console import Console

    _working.started = time.monotonic()
    _working.status = Console(stderr=True).status(first_step)
    _working.status.start()
    _working.show(first_step)
    try:
        yield
    finally:
        _working.status.stop()
        _working.status = None


def step(text: str) -> None:
    """The next step of the running command, shown on its status line (if it has one)."""
    _working.show(text)
