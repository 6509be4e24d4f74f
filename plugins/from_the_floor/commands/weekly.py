"""The weekly job, as one click-free sequence: publish → commit → auto-retire → commit.

``floor publish --commit`` (and the scheduled workflow that runs it) is this
function plus printing. Keeping the order in one place means the posts are
committed before the retirement that follows them, and a retirement is only
committed when this run made it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core import journal
from ..core import publish as publish_mod
from ..core import queue as queue_mod
from ..core import retire as retire_mod
from ..core.site import Site
from ..core.waiting import day_text, when_text
from ..errors import FloorError
from .questions import question_words

DRY_RUN = "dry run: nothing was changed"  # the CLI's last line of a dry run (the desk shows none)


@dataclass
class WeeklyRun:
    """What one run did: the publish result, and what git recorded after it."""

    result: publish_mod.PublishResult
    committed: str | None = None  # the posts' commit subject
    would_commit: str | None = None  # dry run: the subject a real run would commit
    retirement: retire_mod.Retirement | None = None  # the retirement this run made, if any
    retirement_committed: str | None = None
    error: FloorError | None = None  # a commit that failed after the files were written
    # a publish an earlier run made but never committed (killed in between), committed by this run
    earlier_committed: list[str] = field(default_factory=list)
    would_commit_earlier: list[str] = field(default_factory=list)  # dry run: such publishes found
    would_commit_retirement: str | None = None  # dry run: an earlier run's retired.json, uncommitted


def run(
    site: Site,
    now: dt.datetime,
    *,
    dry_run: bool = False,
    commit: bool = False,
    queue: queue_mod.Queue | None = None,
) -> WeeklyRun:
    """Publish what is due at ``now``; with ``commit``, record the posts and then any retirement in git.

    A failed commit does not hide what was published: the error is kept in
    ``error`` for the caller to report after the rest. With ``commit`` the
    whole run holds the site lock, so a second run started at the same time
    (a retried job, the author by hand) waits instead of committing the
    first run's posts under it. ``queue``: a dry run's queue, already read (publish.publish).
    """
    if commit and not dry_run:
        with journal.locked(site):
            return _run(site, now, dry_run=dry_run, commit=commit, queue=queue)
    return _run(site, now, dry_run=dry_run, commit=commit, queue=queue)


def _run(
    site: Site, now: dt.datetime, *, dry_run: bool, commit: bool, queue: queue_mod.Queue | None
) -> WeeklyRun:
    if commit:  # git (subprocess) is loaded only for a run that records in git
        from ..services import gitops

        gitops.ensure_repo(site)  # refuse before writing, not after
    earlier: list[str] = []
    if commit and not dry_run:  # a run killed after moving its posts, before committing them
        earlier = [made] if (made := gitops.commit_unrecorded_publish(site)) else []
    done = WeeklyRun(publish_mod.publish(site, now, dry_run=dry_run, queue=queue), earlier_committed=earlier)
    result = done.result
    if commit and dry_run:
        done.would_commit_earlier = [p.title for p in gitops.unrecorded_publish(site)]
    if result.retired_on is not None and commit:
        _earlier_retirement(site, done, dry_run=dry_run)
    if result.retired_on is not None or result.interrupted:
        return done
    try:
        if result.posts and commit:
            if dry_run:
                done.would_commit = gitops.message_for([p.title for p in result.posts])[0]
            else:
                done.committed = gitops.commit_publish(site, result)
        # this run finished a killed run's journal: those posts are committed too
        if commit and not dry_run and result.recovered and (made := gitops.commit_unrecorded_publish(site)):
            done.earlier_committed.append(made)
        if result.auto_retired:
            done.retirement = retire_mod.state(site)
            if commit and done.retirement is not None:
                subject = retire_mod.retire_subject(done.retirement)
                done.retirement_committed = gitops.commit_state(site, subject)
    except FloorError as exc:
        done.error = exc
    return done


def _earlier_retirement(site: Site, done: WeeklyRun, *, dry_run: bool) -> None:
    """A column retired by an earlier run that did not commit retired.json (the author's own
    `floor publish`): the real run commits it, or the repository, and so the weekly job's build,
    would go on as a live column; the dry run names the commit it would make."""
    from ..services import gitops

    if dry_run and not gitops.state_uncommitted(site):
        return
    retirement = retire_mod.state(site)
    if retirement is None:
        return
    subject = retire_mod.retire_subject(retirement)
    if dry_run:
        done.would_commit_retirement = subject
        return
    try:
        done.retirement_committed = gitops.commit_state(site, subject)
    except FloorError as exc:
        done.error = exc


@dataclass
class Report:
    """What `floor publish` says about a run: lines for standard output, then for errors.

    ``error`` is raised by the CLI after the lines are printed (the desk shows it);
    the lines before it are what was done up to that point.
    """

    lines: list[str]
    warnings: list[str]
    error: FloorError | None = None


SHOW_WAITING = 20  # questions named when nothing is due; `floor queue` lists the rest


def _earlier(out: Report, done: WeeklyRun) -> None:
    for subject in done.earlier_committed:
        out.lines.append(f"committed an earlier publish that was never committed: {subject}")
    if done.would_commit_earlier:
        earlier = "; ".join(done.would_commit_earlier)
        out.lines.append(f"would commit an earlier publish that was never committed: {earlier}")


def report(
    done: WeeklyRun,
    *,
    dry_run: bool,
    commit: bool,
    schedule_doc: str,
    in_actions: bool = False,
    by_words: bool = False,
) -> Report:
    """The messages of a run, in order, shared by `floor publish` and the desk's "Publish now".

    ``in_actions``: the run is GitHub Actions' (GITHUB_ACTIONS=true), the only place where
    advice about the scheduled workflow belongs; an author publishing by hand is not told.
    """
    out = Report([], [])
    result = done.result
    if result.retired_on is not None:
        out.lines.append(
            f"the column retired on {day_text(result.retired_on)}: nothing is published "
            "(new questions wait in questions/; `floor unretire` resumes the column)"
        )
        _earlier(out, done)  # a retired column's run still commits the posts an earlier run left
        if done.retirement_committed:
            out.lines.append(f"committed what an earlier run left uncommitted: {done.retirement_committed}")
        if done.would_commit_retirement:
            out.lines.append(
                f"would commit what an earlier run left uncommitted: {done.would_commit_retirement}"
            )
        return out
    if result.interrupted:
        out.lines.append(
            "an interrupted publish is waiting to be finished; the next floor command "
            f"(not a dry run) finishes it first\n{DRY_RUN}"
        )
        return out
    if result.recovered:
        out.lines.append("finished an interrupted publish first")
    _earlier(out, done)
    verb = "would publish" if dry_run else "published"
    for post in result.posts:
        out.lines.append(f"{verb} #{post.number} ({when_text(post.date)}): {', '.join(post.ids)}")
    if result.nothing_due:
        out.lines.append("nothing due" + (":" if result.waiting else ""))
        for item in result.waiting[:SHOW_WAITING]:
            # the desk names a question by its words (its author knows it so); the CLI by its id
            name = question_words(item.question) if by_words and item.question else item.id
            out.lines.append(f"  {name} {item.reason}")
        if len(result.waiting) > SHOW_WAITING:
            more = len(result.waiting) - SHOW_WAITING
            out.lines.append(f"  … and {more} more (`floor queue` lists them all)")
        if result.latest is not None:  # a re-run after a Ctrl-C that came just too late says what went out
            last = result.latest
            out.lines.append(f"last post: #{last.number} ({when_text(last.date)}): {', '.join(last.ids)}")
    if result.posts and commit:
        if dry_run:
            out.lines.append(f"would commit: {done.would_commit}")
        else:
            if done.committed is None and done.error is not None:
                out.error = done.error  # the posts are published; git could not record them
                return out
            out.lines.append(f"committed: {done.committed}")
    if result.next_post is not None:
        # as the lines above say a waiting question's slot ("goes out Mon 21 Dec 2026 09:00 UTC")
        out.lines.append(f"next post: {when_text(result.next_post)}")
    else:
        out.lines.append(
            "no answered question is waiting: nothing more will be published until one is answered"
            + (f" ({result.unanswered} unanswered)" if result.unanswered else "")
            + (
                ". A scheduled GitHub workflow stops after 60 days without a commit; see " + schedule_doc
                if in_actions
                else ""
            )
            + "."
        )
    if result.auto_retire is not None and not result.auto_retired:
        out.lines.append(f"not retiring: {result.auto_retire}")
    if result.auto_retired:
        retirement = done.retirement
        if retirement is None and done.error is not None:
            out.error = done.error
            return out
        if retirement is not None:
            out.lines.append(
                f"retired the column on {day_text(retirement.retired.date())} "
                f"({retirement.mode}): {result.auto_retire}"
            )
        if commit and retirement is not None:
            if done.error is not None:
                out.error = done.error
                return out
            if done.retirement_committed:
                out.lines.append(f"committed: {done.retirement_committed}")
    if result.would_retire:
        out.warnings.append(f"warning: {result.would_retire}")
    if dry_run:
        out.lines.append(DRY_RUN)
    return out


# GitHub switches a scheduled workflow off after 60 days without a commit, silently, while each
# run before it stays green. From WARN_AFTER days the weekly job fails (a failed run mails the
# author) so two or three weekly runs say it in time, rather than a line in every log.
SWITCH_OFF_DAYS = 60
WARN_AFTER_DAYS = 45


def switch_off_warning(site: Site, now: dt.datetime) -> str | None:
    """The weekly job's one-line warning when the repository's last commit is WARN_AFTER_DAYS or
    more before ``now`` (days counted in the site's zone): what to do, and by which date. None
    before then, or without git. Only for GitHub Actions' run that committed nothing."""
    from ..services import gitops

    times = gitops.commit_times(site)
    if times is None:
        return None
    tz = site.settings.timezone
    last = dt.datetime.fromtimestamp(times[1], dt.UTC).astimezone(tz).date()
    days = (now.astimezone(tz).date() - last).days
    if days < WARN_AFTER_DAYS:
        return None
    off = last + dt.timedelta(days=SWITCH_OFF_DAYS)
    when = f"on {day_text(off)}" if days < SWITCH_OFF_DAYS else f"since {day_text(off)}"
    return (
        f"no commit since {day_text(last)} ({days} days): GitHub switches this scheduled workflow "
        f"off after {SWITCH_OFF_DAYS} days without a commit ({when}). Answer a question "
        "(`floor answer ID`) and push it, or push any commit, before then; if it is already off, "
        "enable it again on the Actions tab (docs/schedule.md)"
    )
