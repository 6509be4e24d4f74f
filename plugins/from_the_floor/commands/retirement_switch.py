"""Arming or disarming retirement and what to say about it: `floor retire --when-done|--disarm`, the desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core import queue as queue_mod
from ..core import retire as retire_mod
from ..core import retire_switch, withdrawn
from ..core import schedule as schedule_mod
from ..core.site import Site
from ..core.waiting import when_text
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
    if armed:
        q = queue_mod.load(site)
        q.raise_errors()
        plan = schedule_mod.make_plan(
            q.queued, site.settings, now, q.published, withdrawn.posted_dates(site.root)
        )
        forecast = retire_mod.forecast_json(site, plan, q.published)["forecast"]
        if forecast:
            moment = dt.datetime.fromisoformat(forecast).astimezone(site.settings.timezone)
            done.lines.append(f"with what is planned today, that is on {when_text(moment)}")
    if changed:
        done.lines.append(f"{site.conf_path.name} records it")
        if commit:
            subject = "Arm retirement when the column is done" if armed else "Disarm retirement"
            made = gitops.commit_paths(site, [site.conf_name], subject)
            done.committed = made
            done.lines.append(f"committed: {made}" if made else "nothing to commit")
        elif gitops.is_repo(site):  # the weekly job runs on what is pushed, not on this folder
            name = site.conf_path.name
            done.lines.append(
                f"the weekly job sees it once {name} is committed and pushed "
                f'(`git commit {name} -m "{"Arm" if armed else "Disarm"} retirement"`, then `git push`)'
            )
    return done
