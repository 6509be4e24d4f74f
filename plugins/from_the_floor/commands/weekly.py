"""The weekly job, as one click-free sequence: publish → commit → auto-retire → commit.

``floor publish --commit`` (and the scheduled workflow that runs it) is this
function plus printing. Keeping the order in one place means the posts are
committed before the retirement that follows them, and a retirement is only
committed when this run made it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import publish as publish_mod
from ..core import retire as retire_mod
from ..core.site import Site
from ..errors import FloorError
from ..services import gitops


@dataclass
class WeeklyRun:
    """What one run did: the publish result, and what git recorded after it."""

    result: publish_mod.PublishResult
    committed: str | None = None  # the posts' commit subject
    would_commit: str | None = None  # dry run: the subject a real run would commit
    retirement: retire_mod.Retirement | None = None  # the retirement this run made, if any
    retirement_committed: str | None = None
    error: FloorError | None = None  # a commit that failed after the files were written


def run(site: Site, now: dt.datetime, *, dry_run: bool = False, commit: bool = False) -> WeeklyRun:
    """Publish what is due at ``now``; with ``commit``, record the posts and then any retirement in git.

    A failed commit does not hide what was published: the error is kept in
    ``error`` for the caller to report after the rest.
    """
    if commit:
        gitops.ensure_repo(site)  # refuse before writing, not after
    done = WeeklyRun(publish_mod.publish(site, now, dry_run=dry_run))
    result = done.result
    if result.retired_on is not None or result.interrupted:
        return done
    try:
        if result.posts and commit:
            if dry_run:
                done.would_commit = gitops.message_for([p.title for p in result.posts])[0]
            else:
                done.committed = gitops.commit_publish(site, result)
        if result.auto_retired:
            done.retirement = retire_mod.state(site)
            if commit and done.retirement is not None:
                subject = retire_mod.retire_subject(done.retirement)
                done.retirement_committed = gitops.commit_state(site, subject)
    except FloorError as exc:
        done.error = exc
    return done
