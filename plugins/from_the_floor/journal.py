"""A redo journal that makes a multi-file publish all-or-nothing.

Publishing writes posts into content/floor/ and removes their files from
questions/. The whole change is first written, atomically, as one journal
file; then it is applied; then the journal is deleted. A run killed before
the journal lands leaves the site as before; killed after, any floor
command finishes the work (every step is idempotent), so the site ends
fully after.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import atomic_write_text, fsync_dir
from .errors import FloorError
from .site import Site

NAME = ".floor-journal.json"


@dataclass
class Change:
    """Files to write (path → text) and files to remove, relative to the site root."""

    write: dict[str, str] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    summary: str = ""


def path_for(site: Site) -> Path:
    return site.root / NAME


def commit(site: Site, change: Change, *, hook=None) -> None:
    """Record the change durably, apply it, then forget it.

    ``hook(step)`` is called between steps so tests can kill a publish anywhere.
    """
    step = hook or (lambda _step: None)
    step("start")
    payload = {"write": change.write, "remove": change.remove, "summary": change.summary}
    atomic_write_text(path_for(site), json.dumps(payload, ensure_ascii=False, indent=1))
    step("journal")
    apply(site, payload, hook=step)


def apply(site: Site, payload: dict, *, hook=None) -> None:
    step = hook or (lambda _step: None)
    for rel, text in payload["write"].items():
        target = site.root / rel
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            atomic_write_text(target, text)
        step(f"write:{rel}")
    for rel in payload["remove"]:
        target = site.root / rel
        try:
            target.unlink()
            fsync_dir(target.parent)
        except FileNotFoundError:
            pass
        step(f"remove:{rel}")
    os.unlink(path_for(site))
    fsync_dir(site.root)
    step("done")


def recover(site: Site) -> bool:
    """Finish a change an earlier run was killed in the middle of."""
    path = path_for(site)
    if not path.exists():
        return False
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        payload["write"], payload["remove"]
    except (ValueError, KeyError, TypeError) as exc:
        raise FloorError(
            f"unreadable publish journal ({exc}); inspect it, then delete it", path=path
        ) from None
    apply(site, payload)
    return True
