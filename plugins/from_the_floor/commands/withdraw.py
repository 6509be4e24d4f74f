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
from ..errors import FloorError
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


def _named(entry: withdrawn.Withdrawn) -> str:
    """How the messages name the post: its number, and its id while the record keeps one."""
    return f"post #{entry.number} ({entry.slug})" if entry.slug else f"post #{entry.number}"


def screen_note(site: Site, note: str | None) -> None:
    """Refuse a note holding what intake takes out of a reader's words: an address spelled out
    (``zeb at example dot org``) or a phone number, in any form; the note is public. (The core
    check reads addresses hidden by look-alikes and invisible characters, and the reader's name.)"""
    if not note or not note.strip():
        return
    from ..core.settings import phone_region
    from ..intake import contact_mask

    if contact_mask.mask(" ".join(note.split()), region=phone_region(site.settings.raw))[1]:
        raise FloorError("holds an email address or a phone number; the note is public", field="--note")


def withdraw(
    site: Site,
    post_id: str,
    *,
    today: dt.date,
    note: str | None = None,
    commit: bool = False,
    forget_address: bool = False,
) -> Done:
    """Withdraw ``post_id`` (idempotent); with ``commit``, commit the record and the removals;
    with ``forget_address``, keep nothing of its address (no notice: it answers "not found")."""
    if commit:
        gitops.ensure_repo(site)  # refuse before changing anything, not after
    screen_note(site, note)
    result = withdrawn.withdraw(
        site,
        post_id,
        today=today,
        note=note,
        address=lambda post, published: post_url("", dict(site.settings.raw), post, published),
        forget_address=forget_address,
    )
    entry = result.entry
    if entry is None:
        return _nothing_named(site, post_id, result, commit)
    done = Done()
    if result.forgot_now:
        done.lines.append(
            f"{_named(entry)} was withdrawn on {day_text(entry.withdrawn)}; its address is now "
            f"forgotten too: {withdrawn.STATE_FILE} no longer keeps it, and the next build takes the "
            "notice down"
        )
    elif result.already and not result.removed:
        done.lines.append(f"{_named(entry)} was withdrawn on {day_text(entry.withdrawn)}; nothing changed")
    elif result.already:
        done.lines.append(f"{_named(entry)} was withdrawn; finished what an earlier run left")
    else:
        done.lines.append(f"withdrew {_named(entry)}; {withdrawn.STATE_FILE} records it")
    done.lines += [f"removed {rel}" for rel in result.removed] + _left_behind(result)
    if result.cache_cleared:
        done.lines.append(
            "emptied the build's cache folder and the last build's spare copy of the site, which still "
            "held the post (the next build makes them again)"
        )
    if forget_address and not result.already:
        done.lines.append(
            "its address is not kept: the next build leaves no notice there (it answers 'not found') and "
            "takes the post out of every list, feed, the sitemap and the search; no other post's number "
            "or address changes"
        )
    elif not result.already:
        done.lines.append(
            f"the next build leaves a short notice at {entry.path} (not indexed) and takes the post out of "
            "every list, feed, the sitemap and the search; no other post's number or address changes"
        )
    if not result.already:
        done.lines.append(f"note: {HISTORY}")
    if commit:
        done.committed = gitops.commit_paths(site, result.touched, subject(entry))
        done.lines.append(f"committed: {done.committed}" if done.committed else "nothing to commit")
        if done.committed and result.already and not result.removed and not result.forgot_now:
            done.lines[0] = (
                f"{_named(entry)} was withdrawn on {day_text(entry.withdrawn)}; "
                "an earlier run left it uncommitted"
            )
    return done


def _left_behind(result: withdrawn.Result) -> list[str]:
    """A post file that was a link: the kit removed the link, never the file it led to."""
    return [
        f"warning: that file was a link to {target}, which was not deleted (the kit deletes only the "
        "site's own files) and may still hold the reader's words: delete it yourself if it does"
        for target in result.left_behind
    ]


FORGOTTEN_SUBJECT = "Finish a withdrawal whose address was forgotten"


def _numbers(entries: list[withdrawn.Withdrawn]) -> str:
    shown = [f"#{w.number}" for w in entries]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _nothing_named(site: Site, post_id: str, result: withdrawn.Result, commit: bool) -> Done:
    """`--forget-address` run again (or on an id nothing has): nothing on the site has the id, so
    there is nothing to do; the record cannot tell whether it was a forgotten post, and says which
    posts those are by number. Succeeds, so a script or the weekly job re-running it goes on."""
    many = len(result.forgotten) > 1
    done = Done()
    if result.removed:
        done.lines.append(
            f"no post has the id {post_id!r} now; finished what an earlier run left under that id"
        )
    else:
        done.lines.append(f"no post, notice or question has the id {post_id!r}: nothing to do")
    done.lines += [f"removed {rel}" for rel in result.removed] + _left_behind(result)
    if result.cache_cleared:
        done.lines.append("emptied the build's cache folder and the last build's spare copy of the site")
    done.lines.append(
        f"{withdrawn.STATE_FILE} keeps no address for post{'s' if many else ''} "
        f"{_numbers(result.forgotten)} (withdrawn with --forget-address), so it cannot say whether "
        f"{post_id!r} was {'one of them' if many else 'that post'}; if it was, that withdrawal is done. "
        "A post still up is listed by `floor queue --all`"
    )
    if commit:
        done.committed = gitops.commit_paths(site, result.touched, FORGOTTEN_SUBJECT)
        done.lines.append(f"committed: {done.committed}" if done.committed else "nothing to commit")
    return done
