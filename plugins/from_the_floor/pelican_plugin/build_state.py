"""What one build knows about itself, carried in its own settings, and the kit's own signal.

The parts of the plugin (posts, reader's site, retirement) and the `floor`
commands that start a build share two facts: the moment the build takes as
"now" (``--today``) and whether the contact guard has passed its output. Both
travel in the build's settings dict, which every receiver already gets, under
keys no site sets; nothing is read from os.environ but what an author typed
there (``FLOOR_TODAY`` for a plain ``pelican`` run), and nothing is kept in a
module-level table. :data:`question_read` is the kit's own signal: sent for each
question file as it is read (in the reading processes of a cold build too), so
work another part needs per question is done in parallel. :data:`output_wanted`
is sent before a part reads what the last build left in the output folder
(the staging folder, which `floor build` may still be filling in a worker
while Pelican's generators read the posts): the build waits for it there.
:data:`reading_done` says when the reading processes are done, and
:data:`verdict_needed` asks the build for the contact guard's verdict before
text leaves it; :data:`output_written` hands the build the stamps of files a part wrote
after the pages.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from blinker import signal

from ..core import clock

TODAY = "FLOOR_BUILD_TODAY"  # --today of the `floor` command that runs this build
GUARDED = "FLOOR_BUILD_GUARDED"  # the contact guard has passed this build's output
# every input was checked for contacts and only the kit's own transformations run (source_check.py)
SOURCES_CHECKED = "FLOOR_BUILD_SOURCES_CHECKED"
# nothing of the last build's output is kept: `floor build --full`, or another kit or settings
FRESH = "FLOOR_BUILD_FRESH"
# the posts this build's Pelican read, by absolute path: each imported one (its old addresses
# with it), None for the others; finalize's look for old addresses reads none of them again
READ_POSTS = "FLOOR_BUILD_READ_POSTS"
KEYS = frozenset({TODAY, GUARDED, SOURCES_CHECKED, FRESH, READ_POSTS})
# the metadata key on each post the kit's reader makes: an imported post's [original_url,
# intake_id] (either may be ""), False for any other post; missing on a post an earlier kit read
OLD_ADDRESSES = "floor_old_addresses"

question_read = signal("from-the-floor.question-read")
# sent with the build's settings; `floor build` waits for its staging folder in its receiver
output_wanted = signal("from-the-floor.output-wanted")
# sent once the posts a build reads in several processes are read (engine.prefetch_articles),
# or at once when it reads them in one: the cores are no longer all busy with reading
reading_done = signal("from-the-floor.reading-done")
# sent with a build's settings just before something its sources hold leaves the build (the
# search index is started): the build takes the contact guard's verdict on the sources then
verdict_needed = signal("from-the-floor.verdict-needed")
# sent with a build's settings and ``stamps`` ({absolute path: build_manifest.written_stamp})
# by a part that wrote files into the output folder after the pages (the search bundles), so
# the build's record at the end takes their digests from there rather than reading them again
output_written = signal("from-the-floor.output-written")


def want_output(settings: dict) -> dict[str, list]:
    """Wait until the build's output folder holds what the last build left (a no-op unless
    `floor build` is still filling its staging folder in a worker).

    Returns what `floor build` found when it checked that folder against the last build's
    record: [size, mtime_ns, digest] by each file's path inside the folder, for the files whose
    digest holds while their size and mtime are those (see incremental.Plan.checked); empty
    when nothing was checked. A part that needs those files' digests reads them from here
    rather than hashing the files a second time."""
    found: dict[str, list] = {}
    for _receiver, checked in output_wanted.send(settings):
        if isinstance(checked, dict):
            found.update(checked)
    return found


def today(settings: dict) -> str | None:
    """The build's ``--today``; for a plain `pelican` run, the author's own FLOOR_TODAY."""
    value = settings.get(TODAY)
    return str(value) if value else os.environ.get("FLOOR_TODAY") or None


def now(settings: dict, tz: ZoneInfo) -> dt.datetime:
    return clock.now(tz, today(settings))


def mark_guarded(settings: dict, passed: bool = True) -> None:
    settings[GUARDED] = passed


def guarded(settings: dict) -> bool:
    return bool(settings.get(GUARDED))


def mark_sources_checked(settings: dict) -> None:
    settings[SOURCES_CHECKED] = True


def mark_fresh(settings: dict, fresh: bool = True) -> None:
    settings[FRESH] = fresh


def fresh(settings: dict) -> bool:
    """Whether this build must make everything anew (the search shards too), keeping nothing."""
    return bool(settings.get(FRESH))


def sources_checked(settings: dict) -> bool:
    """Whether the build's inputs passed the guard and nothing but the kit transforms them: an
    output check could then find nothing the source check did not (docs/privacy.md)."""
    return bool(settings.get(SOURCES_CHECKED))


def note_read_posts(settings: dict, posts: dict | None) -> None:
    """Keep (or, with None, drop) what :data:`READ_POSTS` names for the rest of this build."""
    if posts is None:
        settings.pop(READ_POSTS, None)
    else:
        settings[READ_POSTS] = posts


def read_posts(settings: dict) -> dict | None:
    """This build's :data:`READ_POSTS`; None before the articles are read (or without them)."""
    found = settings.get(READ_POSTS)
    return found if isinstance(found, dict) else None
