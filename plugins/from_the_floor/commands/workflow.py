"""The weekly GitHub Actions workflow, with cron lines fitted to the site's schedule.

Cron runs in UTC and knows nothing of daylight saving, so the job is set a
little after the *latest* UTC moment the local publishing time falls on in
any week of the year; a second run the same day retries in case GitHub
drops the first (scheduled runs are best-effort).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..core.schedule import slot_on
from ..core.settings import WEEKDAYS, FloorSettings
from ..paths import SKELETON_DIR

MINUTES_AFTER = 17  # off the top of the hour, when GitHub's queue is busiest
RETRY_AFTER = dt.timedelta(hours=6, minutes=30)
_CRON_DAYS = ("1", "2", "3", "4", "5", "6", "0")  # cron counts Sunday as 0


def _cron(moment: dt.datetime) -> str:
    return f"{moment.minute} {moment.hour} * * {_CRON_DAYS[moment.weekday()]}"


def cron_times(settings: FloorSettings, year: int = 2027) -> tuple[dt.datetime, dt.datetime]:
    """(first run, retry) as UTC datetimes in one reference week, safe all year."""
    first = dt.date(year, 1, 1)
    first += dt.timedelta(days=(settings.weekday - first.weekday()) % 7)
    offsets = {
        slot_on(first + dt.timedelta(weeks=w), settings).utcoffset() or dt.timedelta(0) for w in range(53)
    }
    local = dt.datetime.combine(first, settings.publish_time)
    latest_utc = local - min(offsets)
    run = latest_utc + dt.timedelta(minutes=MINUTES_AFTER)
    return run, run + RETRY_AFTER


# How each job installs the kit: a site from the version its requirements.txt pins; this
# repository (the kit itself) from its own checkout, so the demo runs the code it ships.
INSTALLS = {
    "site": {
        "install": "uv pip install --python python -r requirements.txt",
        "dependency_file": "requirements.txt",
        "install_note": "The kit, at the version requirements.txt pins (`floor upgrade` moves it).",
    },
    "checkout": {
        "install": "uv pip install --python python .",
        "dependency_file": "pyproject.toml",
        "install_note": "This repository is the kit: its demo installs this checkout, not a release.",
    },
}


def describe_slot(settings: FloorSettings) -> str:
    """The publishing slot in words: "Mondays 09:00 Europe/London"."""
    return (
        f"{WEEKDAYS[settings.weekday].capitalize()}s "
        f"{settings.publish_time.strftime('%H:%M')} {settings.timezone.key}"
    )


def render(settings: FloorSettings, *, source: str = "site") -> str:
    """The workflow text for these settings; ``source`` is "site" (a `floor init` site)
    or "checkout" (this repository, whose demo workflow is this, rendered)."""
    run, retry = cron_times(settings)
    when = describe_slot(settings)
    text = (SKELETON_DIR / "weekly.yml.tmpl").read_text(encoding="utf-8")
    values = {
        "when": when,
        "run_utc": run.strftime("%a %H:%M"),
        "cron": _cron(run),
        "retry_cron": _cron(retry),
        **INSTALLS[source],
    }
    for key, value in values.items():  # ${{ }} is GitHub's syntax, so no string.Template
        text = text.replace("{{floor:" + key + "}}", value)
    return text


def source_for(root: Path) -> str:
    """ "checkout" in the kit's own repository, else "site"."""
    from .kit_pin import is_kit_checkout

    return "checkout" if is_kit_checkout(root) else "site"


def _parts(text: str) -> tuple[list[str], dict[str, list[str]]] | None:
    """The cron entries and, per job, the steps of a workflow file (None if it is not a workflow).

    A step is known by its name, else by the action it uses (without the version), else by its
    first ``run`` line: the parts an author adds or changes by hand.
    """
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` key as True
    schedule = triggers.get("schedule") if isinstance(triggers, dict) else None
    crons = [str(e["cron"]) for e in schedule or [] if isinstance(e, dict) and "cron" in e]
    jobs: dict[str, list[str]] = {}
    for job, body in (data.get("jobs") or {}).items():
        steps = body.get("steps") if isinstance(body, dict) else None
        jobs[str(job)] = [_step_label(s) for s in steps or [] if isinstance(s, dict)]
    return crons, jobs


def _step_label(step: dict) -> str:
    if step.get("name"):
        return f'step "{step["name"]}"'
    if step.get("uses"):
        return f"step uses: {str(step['uses']).split('@')[0]}"
    first = str(step.get("run", "")).strip().splitlines()
    return f"step run: {first[0] if first else '(empty)'}"


def dropped(old: str, new: str) -> list[str]:
    """What the author's workflow file has that the refitted one does not, in words.

    `floor workflow --write` and `floor upgrade` write the whole file afresh; an author who
    changed the cron or added a step must hear which of their lines are gone, not find out
    when the job stops doing it.
    """
    before, after = _parts(old), _parts(new)
    if before is None or after is None:
        return [] if old == new else ["the whole file (it is not a workflow the kit can read)"]
    gone = [f'cron "{c}"' for c in before[0] if c not in after[0]]
    for job, steps in before[1].items():
        if job not in after[1]:
            gone.append(f'job "{job}"')
            continue
        gone += [f'{label} (job "{job}")' for label in steps if label not in after[1][job]]
    return gone
