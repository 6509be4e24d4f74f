"""Arming or disarming retirement and what to say about it: `floor retire --when-done|--disarm`, the desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core import queue as queue_mod
from ..core import retire as retire_mod
from ..core import retire_switch, withdrawn
from ..core import schedule as schedule_mod
from ..core.site import Site
from ..core.waiting import day_text, when_text
from ..services import gitops


@dataclass
class Flipped:
    site: Site  # read again when the settings file changed
    changed: bool
    lines: list[str] = field(default_factory=list)
    committed: str | None = None


def flip(site: Site, armed: bool, now: dt.datetime, *, commit: bool = False) -> Flipped:
    """Set the switch, then say what it means now (and commit the settings file with ``commit``)."""
    if commit:
        gitops.ensure_repo(site)
    changed = retire_switch.set_armed(site, armed)
    if changed:
        site = Site(site.root, site.conf_name)  # settings read afresh
    word = "armed" if armed else "disarmed"
    done = Flipped(site, changed, [f"retirement {word}" + ("" if changed else " already; nothing changed")])
    done.lines.append(retire_switch.switch(site).text())
    retired = retire_mod.state(site)
    if retired is not None:  # the switch says what happens at the end; this column is past it
        done.lines.append(
            f"the column has already retired (on {day_text(retired.retired.date())}): the switch "
            "matters again only once `floor unretire` has brought it back"
        )
    elif armed and (when := forecast_line(site, now)):
        done.lines.append(when)
    # A run that set the switch without committing it (no --commit, or stopped before the commit)
    # left the folder ahead of the repository the weekly job runs on: the same command finishes it.
    left_over = not changed and gitops.is_repo(site) and _committed_armed(site) is not armed
    if left_over:
        subject = "Arm retirement when the column is done" if armed else "Disarm retirement"
        if commit:
            made = gitops.commit_paths(site, [site.conf_name], subject)
            done.committed = made
            if made:
                done.lines.append(f"committed what an earlier run left uncommitted: {made}")
        else:
            done.lines.append(_not_yet_committed(site, armed))
    if changed:
        done.lines.append(f"{site.conf_path.name} records it")
        if commit:
            subject = "Arm retirement when the column is done" if armed else "Disarm retirement"
            made = gitops.commit_paths(site, [site.conf_name], subject)
            done.committed = made
            done.lines.append(f"committed: {made}" if made else "nothing to commit")
        elif gitops.is_repo(site):  # the weekly job runs on what is pushed, not on this folder
            done.lines.append(_not_yet_committed(site, armed))
    return done


def forecast_line(site: Site, now: dt.datetime) -> str | None:
    """When an armed switch would retire the column, with what is planned at ``now``; None when
    that is not known (questions still wait for an answer). Raises FloorError for a broken queue."""
    q = queue_mod.load(site)
    q.raise_errors()
    plan = schedule_mod.make_plan(
        q.queued, site.settings, now, q.published, withdrawn.posted_dates(site.root)
    )
    forecast = retire_mod.forecast_json(site, plan, q.published)["forecast"]
    if not forecast:
        return None
    moment = dt.datetime.fromisoformat(forecast).astimezone(site.settings.timezone)
    if moment <= now:  # past the grace period already: the next weekly run retires it
        return (
            f"with what is planned today, that was due on {when_text(moment)}: the next weekly run "
            "retires the column (`floor retire --disarm --commit` first if you do not want that)"
        )
    return f"with what is planned today, that is on {when_text(moment)}"


def _committed_armed(site: Site) -> bool | None:
    """The switch as the last commit has it (False before any commit: the default)."""
    return retire_switch.armed_in(gitops.head_text(site, f"./{site.conf_name}"))


def _not_yet_committed(site: Site, armed: bool) -> str:
    name = site.conf_path.name
    return (
        f"the weekly job sees it once {name} is committed and pushed "
        f'(`git commit {name} -m "{"Arm" if armed else "Disarm"} retirement"`, then `git push`, '
        f"or `floor retire {'--when-done' if armed else '--disarm'} --commit`)"
    )
