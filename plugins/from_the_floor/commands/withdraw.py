"""`floor withdraw`: take a published answer down (core/withdrawn.py), and commit it with git.

Click-free, so the job and its messages are tested without the command line.
The commit takes the record and the removed files only, by name: nothing else
the author has changed is swept in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core import withdrawn
from ..core.site import Site
from ..core.waiting import day_text
from ..services import gitops
from ..web.links import post_url

HISTORY = (
    "the file is still in the repository's history (earlier commits, and any clone or fork made "
    "before); to erase it there too, see docs/withdrawing.md"
)


@dataclass
class Done:
    """What `floor withdraw` says, line by line, and the commit it made (if asked)."""

    lines: list[str] = field(default_factory=list)
    committed: str | None = None


def subject(entry: withdrawn.Withdrawn) -> str:
    """The commit's subject: the number only, never the reader's question."""
    return f"Withdraw post #{entry.number}"


def withdraw(
    site: Site, post_id: str, *, today: dt.date, note: str | None = None, commit: bool = False
) -> Done:
    """Withdraw ``post_id`` (idempotent); with ``commit``, commit the record and the removals."""
    if commit:
        gitops.ensure_repo(site)  # refuse before changing anything, not after
    result = withdrawn.withdraw(
        site,
        post_id,
        today=today,
        note=note,
        address=lambda post, published: post_url("", dict(site.settings.raw), post, published),
    )
    entry = result.entry
    done = Done()
    if result.already and not result.removed:
        done.lines.append(
            f"post #{entry.number} ({entry.slug}) was withdrawn on {day_text(entry.withdrawn)}; "
            "nothing changed"
        )
    elif result.already:
        done.lines.append(
            f"post #{entry.number} ({entry.slug}) was withdrawn; finished what an earlier run left"
        )
    else:
        done.lines.append(f"withdrew post #{entry.number} ({entry.slug}); {withdrawn.STATE_FILE} records it")
    done.lines += [f"removed {rel}" for rel in result.removed]
    if result.cache_cleared:
        done.lines.append(
            "emptied the build's cache folder and the last build's spare copy of the site, which still "
            "held the post (the next build makes them again)"
        )
    if not result.already:
        done.lines.append(
            f"the next build leaves a short notice at {entry.path} (not indexed) and takes the post out of "
            "every list, feed, the sitemap and the search; no other post's number or address changes"
        )
        done.lines.append(f"note: {HISTORY}")
    if commit:
        done.committed = gitops.commit_paths(site, result.touched, subject(entry))
        done.lines.append(f"committed: {done.committed}" if done.committed else "nothing to commit")
        if done.committed and result.already and not result.removed:  # not "nothing changed", then
            done.lines[0] = (
                f"post #{entry.number} ({entry.slug}) was withdrawn on {day_text(entry.withdrawn)}; "
                "an earlier run left it uncommitted"
            )
    return done
