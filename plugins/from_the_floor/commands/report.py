"""What the CLI prints: the queue table, `check` results and the schedule calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..core import queue as queue_mod
from ..core import schedule as schedule_mod
from ..core import settings as settings_mod
from ..core import tag_slugs, terminal
from ..core.question import IMPORTED, Question
from ..core.site import Site
from ..core.waiting import day_text, when_text
from ..errors import FloorError, FloorErrors


def queue_item(q: Question, today: dt.date) -> dict:
    """The stable JSON shape of one question (documented in the README)."""
    item = {
        "id": q.id,
        "question": q.question,
        "asked": q.asked.isoformat(),
        "status": q.status,
        "tags": q.tags,
        "age_days": (today - q.asked).days,
        "priority": q.priority,
        "source": q.source,
    }
    if q.published:
        item["number"] = q.number
        item["date"] = q.date.isoformat() if q.date else None
        # an old post `floor import` brought over, asked by no reader on record
        item["from_archive"] = q.from_archive
    return item


# Said after the problems `floor queue` lists below the questions that read.
QUEUE_LEAVES_OUT = (
    "the file(s) named here are not in the list above: fix them (`floor check` lists every problem), "
    "then `floor queue` lists the whole queue"
)
# `floor schedule` and `floor stats` show nothing beside a file that does not read: a plan (or a
# forecast) without it could be wrong in every row, since its pin, priority or date may be the one
# that moves the others, and counts that leave a question out would be read as the column's own.
NO_PLAN = (
    "no plan is shown: the file(s) above may hold a pin, a priority or a date that moves every "
    "post in it; fix them (`floor check` lists every problem) and run `floor schedule` again; "
    "`floor queue` lists the questions that read"
)
NO_STATS = (
    "no figures are shown: they count every question, the file(s) above included; fix them "
    "(`floor check` lists every problem) and run `floor stats` again; `floor queue` lists the "
    "questions that read"
)


def stop_for_unread(errors: list[FloorError], closing: str) -> None:
    """Raise the problems, each as its own ``error:`` line, then ``closing``: why nothing else is said."""
    if errors:
        raise FloorErrors([*errors, FloorError(closing)])


def queue_with_errors(listed: list[dict], errors: list[FloorError]) -> dict:
    """`floor queue --json` beside a file that does not read: the questions that do, and each
    problem with `floor check --json`'s keys, so a script sees both (and the exit status 1)."""
    return {"questions": listed, "errors": [e.as_dict() for e in errors]}


def queue_error_lines(errors: list[FloorError]) -> list[str]:
    """The ``error:`` lines `floor queue` prints after the list: one per problem (a problem many
    files share is counted, as `floor check` does), then what to do."""
    return [*problem_lines([e.as_dict() for e in errors], "error: "), f"error: {QUEUE_LEAVES_OUT}"]


TAGS_SHOWN = 60  # characters of a question's tags in `floor queue`'s table


def _shown_tags(tags: list[str]) -> str:
    """A question's tags as the table shows them: escaped before they are measured (so a control
    character a file holds neither reaches the terminal nor shifts the columns) and cut at
    :data:`TAGS_SHOWN`, so one long tag in a hand-edited file does not widen every row."""
    text = terminal.clean(", ".join(tags))
    return text if len(text) <= TAGS_SHOWN else text[: TAGS_SHOWN - 1] + "…"


def queue_table(items: list[Question], today: dt.date) -> str:
    if not items:
        return "the queue is empty"
    rows = [("ID", "ASKED", "STATUS", "TAGS", "AGE")]
    order = {"ready": 0, "held": 1, "unanswered": 2, "declined": 3, "published": 4}
    statuses = [q.status for q in items]  # derived each time it is asked: once per question here
    # one flat key (the status's rank, then sort_key's six parts), the order of the pair
    # (rank, sort_key) without a tuple compared inside a tuple: a tenth of a warm `floor queue`'s
    # sorting at 10,000 questions
    sort_key = schedule_mod.sort_key
    ranked = sorted(zip(statuses, items, strict=True), key=lambda p: (order.get(p[0], 9), *sort_key(p[1])))
    # an old post `floor import` brought over (Question.from_archive) is no reader's question: its
    # `asked` is only the old post's date, so it has waited for no one (no age), and it is counted
    # apart from the column's own posts ("5 posts from the old blog"), as `floor stats` counts it
    rows += [
        (q.id, q.asked.isoformat(), OLD_POST, _shown_tags(q.tags), "—")
        if status == "published" and q.from_archive
        else (q.id, q.asked.isoformat(), status, _shown_tags(q.tags), f"{(today - q.asked).days}d")
        for status, q in ranked
    ]
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)  # each cell left-justified to its column's width
    lines = [line.format(*r).rstrip() for r in rows]
    counts: dict[str, int] = {}
    old = 0
    for status, q in zip(statuses, items, strict=True):
        if status == "published" and q.from_archive:
            old += 1
        else:
            counts[status] = counts.get(status, 0) + 1
    said = [f"{n} {status}" for status, n in sorted(counts.items(), key=lambda kv: order.get(kv[0], 9))]
    if old:
        said.append(old_posts(old))
    lines.append("")
    lines.append(", ".join(said))
    return "\n".join(lines)


# `floor queue --all`'s status of an old post `floor import` brought over ("published" is for the
# column's own posts, each a reader's question)
OLD_POST = "old post"


def old_posts(count: int) -> str:
    """How the terminal and the desk count the old posts `floor import` brought over."""
    return f"{count} post{'' if count == 1 else 's'} from the old blog"


def format_problem(p: dict) -> str:
    """One problem as a person reads it (its people's text, dates as "Tue 15 Dec 2026", when
    :meth:`FloorError.as_dict` kept one beside the keys)."""
    said = getattr(p, "said", None)
    where = {"path": p.get("file"), "field": p.get("field"), "line": p.get("line")}
    return FloorError(p["problem"], **where, said=said).message


# More than this many files with one and the same problem are shown as the first few and a count:
# 499 identical lines hide the one different line that matters.
SAME_PROBLEM_SHOWN = 3
SAME_PROBLEM_GROUPED = 5


def problem_lines(problems: list[dict], prefix: str) -> list[str]:
    """One line per problem, in order; a problem many files share is shown once, with a count."""
    by_text: dict[tuple, list[dict]] = {}
    for p in problems:
        by_text.setdefault((p.get("field"), p["problem"]), []).append(p)
    lines: list[str] = []
    shown: set[tuple] = set()
    for p in problems:
        key = (p.get("field"), p["problem"])
        group = by_text[key]
        if len(group) <= SAME_PROBLEM_GROUPED:
            lines.append(prefix + format_problem(p))
        elif key not in shown:
            shown.add(key)
            lines += [prefix + format_problem(g) for g in group[:SAME_PROBLEM_SHOWN]]
            lines.append(
                f"{prefix}... and {len(group) - SAME_PROBLEM_SHOWN} more files with the same problem "
                "(floor check --json lists every one)"
            )
    return lines


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def check_summary(result: dict) -> str:
    """The last line of `floor check`: the verdict, then what was checked."""
    errors, warnings = len(result["errors"]), len(result["warnings"])
    verdict = "ok" if result["ok"] else "not ok"
    counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    # the old posts `floor import` brought over are counted apart, as `floor queue --all` does:
    # "published" is the column's answers to readers
    old = result.get("from_archive", 0)
    published = f"{result['published'] - old} published" + (f", {old_posts(old)}" if old else "")
    return f"{verdict}: {result['queued']} queued, {published}; {counts}"


def check(site: Site, now: dt.datetime, slugify: tag_slugs.Slugify) -> dict:
    """Every problem in the site at once, plus warnings that do not block publishing.

    It writes no question file, so each folder of questions and posts is listed once for all
    its readers (queue_mod.listings_kept): the queue, the plain-contact warnings, the contact
    check."""
    with queue_mod.listings_kept():
        return _check(site, now, slugify)


def _check(site: Site, now: dt.datetime, slugify: tag_slugs.Slugify) -> dict:
    q = queue_mod.load(site)
    warnings: list[dict] = []
    settings = site.settings
    for item in q.queued:
        if item.pin and not item.declined:
            day = item.pin
            if day.weekday() != settings.weekday or schedule_mod.is_skipped(day, settings):
                after = "it will go out at the first slot after it"
                warnings.append(
                    FloorError(
                        f"{day.isoformat()} is not a publishing day; {after}",
                        path=item.path,
                        field="pin",
                        said=f"{day_text(day)} is not a publishing day; {after}",
                    ).as_dict()
                )
    from . import seal_site

    warnings += [w.as_dict() for w in seal_site.plain_text_warnings(site, [*q.queued, *q.published])]
    warnings += _alike_tags(site, [*q.queued, *q.published], slugify)
    warnings += _misspelt_fields([*q.queued, *q.published])
    warnings += _no_quick_answer(q.published)
    warnings += _reworded_questions(q.published, settings.title)
    from ..core import retire as retire_mod

    retired, retire_errors, retire_warnings = retire_mod.check_report(site, q)
    warnings += retire_warnings
    secrets = [e.as_dict() for e in _secrets(site)]
    old_plugins = settings_mod.old_plugins_error(site.settings.raw, site.conf_path)
    if old_plugins is not None:  # Pelican would stop at "Cannot load plugin": say what to run
        secrets.append(old_plugins.as_dict())
    committed = _committed_posts(site)  # one listing of the last commit serves both warnings
    warnings += _unrecorded_publish(site, q.published, committed)
    warnings += _unrecorded_imports(site, q.published, committed)
    from ..core import withdrawn

    withdraw_errors, withdraw_warnings = withdrawn.check_report(site, q.published)
    warnings += [w.as_dict() for w in withdraw_warnings]
    withdraw_errors_d = [e.as_dict() for e in withdraw_errors]
    if not withdraw_errors:
        warnings += _deleted_posts(site, q.published, committed)
    warnings += _notify_journal(site)
    warnings += _misspelt_settings(site)
    warnings += _language(site)
    warnings += _unnamed_column(site)
    warnings += _stale_about(site)
    warnings += _english_about(site)
    from ..core import source_check

    # the build's own contact check, on the same files (a reader's contact in an answer, a page …)
    leaks = [e.as_dict() for e in source_check.site_problems(site, [*q.queued, *q.published])]
    from ..web import reader_settings

    # what the build would refuse in the reader site's settings, before a weekly job meets it
    refused = [e.as_dict() for e in reader_settings.problems(settings.raw, site.conf_path)]
    result = {
        "ok": not (q.errors or retire_errors or secrets or leaks or withdraw_errors or refused),
        "errors": [e.as_dict() for e in q.errors]
        + retire_errors
        + withdraw_errors_d
        + secrets
        + leaks
        + refused,
        "warnings": warnings,
        "queued": len(q.queued),
        "published": len(q.published),
        # how many of those are old posts `floor import` brought over (Question.from_archive)
        "from_archive": sum(1 for p in q.published if p.from_archive),
    }
    if retired is not None:  # only on a retired site: retired.json plus "new_questions"
        result["retired"] = retired
    return result


def _committed_posts(site: Site) -> set[str] | None:
    """The post files in the last commit, or None outside a repository (git not even started)."""
    if not _in_git(site.root):
        return None
    from ..services import gitops

    return gitops.committed_posts(site)


def _deleted_posts(site: Site, posts: list[Question], committed: set[str] | None) -> list[dict]:
    """A warning for each post file the last commit holds that is gone from the folder without
    `floor withdraw`: the next build drops its page (a 404 for every link to it), and when it is
    the latest post, the next publish gives its number to another post."""
    if not committed:
        return []
    from ..core import withdrawn

    here = {p.path.relative_to(site.root).as_posix() for p in posts if p.path.is_relative_to(site.root)}
    try:
        entries = withdrawn.read(site.root)
    except FloorError:
        entries = []  # (a damaged record: the errors above name it)
    gone_ok = withdrawn.slugs(entries)
    gone_numbers = withdrawn.numbers(entries)
    found = []
    for rel in sorted(committed):
        name = rel.rsplit("/", 1)[-1]
        if not name.endswith(".md") or name.startswith(".") or rel in here or name[:-3] in gone_ok:
            continue
        if (site.root / rel).exists():
            continue  # (a file that does not read: the errors above name it)
        if gone_numbers and _committed_number(site, rel) in gone_numbers:
            # withdrawn, not yet committed: a record that forgot the address (no slug to match the
            # file's name), or one whose address a post's `slug:` set apart from its file's name
            continue
        found.append(
            FloorError(
                "a published post the last commit holds is deleted: its page disappears at the next "
                "build (a 404 for every link to it); "
                f"`git restore --source=HEAD --staged --worktree {rel}`, then `floor withdraw {name[:-3]}` "
                "leaves a notice at its address instead (docs/withdrawing.md)",
                path=site.root / rel,
            ).as_dict()
        )
    return found


def _committed_number(site: Site, rel: str) -> int | None:
    """The post number of ``rel`` as the last commit holds it (None when it does not read)."""
    from ..core import question as question_mod
    from ..services import gitops

    try:
        text = gitops.head_text(site, rel)
        return question_mod.parse_text(text, site.root / rel, published=True).number if text else None
    except (FloorError, ValueError):
        return None


def _unrecorded_imports(site: Site, posts: list[Question], committed: set[str] | None) -> list[dict]:
    """A warning when content/floor/ holds imported posts git has not recorded (never pushed)."""
    if committed is None:
        return []
    from ..services import gitops

    ids = gitops.unrecorded_imports(site, posts, committed)
    if not ids:
        return []
    named = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    return [
        FloorError(
            f"holds {len(ids)} imported post(s) git has not recorded ({named}); the weekly job builds "
            "only what is pushed: `floor push` commits and sends them",
            path=site.posts_dir,
        ).as_dict()
    ]


def _notify_journal(site: Site) -> list[dict]:
    """A warning when a stopped `floor notify` left its journal: those readers were told, the posts do
    not say so yet, and deleting the file by hand would have them told again."""
    from ..core import told

    path = told.path_for(site)
    if not path.exists():
        return []
    try:
        notes = told.read(site)
    except FloorError as exc:  # notify itself stops on this line: say it now, not on Sunday night
        return [exc.as_dict()]
    posts = sorted({t.post for t in notes})
    named = ", ".join(posts[:3]) + (f" and {len(posts) - 3} more" if len(posts) > 3 else "")
    about = f" ({named})" if posts else ""
    return [
        FloorError(
            f"a `floor notify` run was stopped before it wrote down {len(notes)} note(s) it had sent{about}; "
            "`floor notify --commit` writes them into the posts and commits them before it tells anyone "
            "else (the weekly job does so on its next run); do not delete this file, or those readers "
            "are told again",
            path=path,
        ).as_dict()
    ]


def _unrecorded_publish(site: Site, posts: list[Question], committed: set[str] | None) -> list[dict]:
    """A warning when content/floor/ holds posts publishing wrote that git has not recorded."""
    if committed is None:
        return []
    from ..services import gitops

    pending = gitops.unrecorded_publish(site, posts, committed)
    if not pending:
        return []
    titles = "; ".join(p.title for p in pending)
    return [
        FloorError(
            f"holds a publish git has not recorded ({titles}); `floor publish --commit` commits it "
            "(the weekly job does so on its next run)",
            path=site.posts_dir,
        ).as_dict()
    ]


def _misspelt_fields(questions: list[Question]) -> list[dict]:
    """A warning for each field whose name is a near miss of one the kit reads (`quick_anwser`):
    other fields are kept for Pelican and themes, so a typo would otherwise be ignored in
    silence and the question stay "unanswered" with no word of why."""
    import difflib

    from ..core.question import KNOWN_FIELDS

    found = []
    for q in questions:
        if not q.extra:  # (nearly every question: nothing to look at)
            continue
        missing = sorted(KNOWN_FIELDS - q.extra.keys() - _present_fields(q))
        for name in q.extra:
            near = difflib.get_close_matches(str(name), missing, n=1, cutoff=0.8)
            if near:
                found.append(
                    FloorError(
                        f"is not a field the kit reads, so its value is ignored; did you mean {near[0]!r}?",
                        path=q.path,
                        field=str(name),
                    ).as_dict()
                )
    return found


def _misspelt_settings(site: Site) -> list[dict]:
    """A warning for each FLOOR_ setting in pelicanconf.py that is a near miss of one the kit reads
    (`FLOOR_CATCHUP`): Pelican keeps every setting for the templates, so the typo changed nothing
    and no one said so. A FLOOR_ name not close to any is left alone (a theme of one's own may read it)."""
    import difflib

    from ..core import settings as settings_mod

    meant = sorted(n for n in [*settings_mod.REGISTRY, *settings_mod.READ_ELSEWHERE] if n[:6] == "FLOOR_")
    found = []
    for name in site.settings.raw:
        if not name.startswith("FLOOR_") or name in meant or name in settings_mod.NOT_SETTINGS:
            continue
        near = difflib.get_close_matches(name, meant, n=1, cutoff=0.85)
        if near:
            found.append(
                FloorError(
                    f"is not a setting the kit reads, so it changes nothing; did you mean {near[0]}?",
                    path=site.conf_path,
                    field=name,
                ).as_dict()
            )
    return found


def _no_quick_answer(posts: list[Question]) -> list[dict]:
    """A published post without its quick answer: `floor import` brings such posts over (an old
    post had no one-line answer to take) and says so once; this keeps saying it until it is
    written, since the post shows only its longer answer and lists show no summary."""
    return [
        FloorError(
            "is empty, so the post shows only its longer answer; write its one-line answer here",
            path=post.path,
            field="quick_answer",
        ).as_dict()
        for post in posts
        if not (post.quick_answer or "").strip()
    ]


def _reworded_questions(posts: list[Question], pattern: str) -> list[dict]:
    """A published question whose ``question:`` was edited after publishing: ``title:`` was
    written from it then and is not rewritten, so the page's heading says one thing and the tab,
    the feeds and shared links another. A note, not an error: the title may differ on purpose.

    Only where FLOOR_TITLE holds ``{question}`` (else the title never held it) and not for old
    posts `floor import` brought over (their titles are the old blog's); a post of several
    questions is named when its title holds none of them."""
    if "{question}" not in pattern:
        return []
    by_post: dict[int, list[Question]] = {}
    for post in posts:
        if post.number is not None and post.title and post.source != IMPORTED:
            by_post.setdefault(post.number, []).append(post)
    notes = []
    for number in sorted(by_post):
        group = sorted(by_post[number], key=lambda p: str(p.path))
        title = " ".join(group[0].title.split()).casefold()  # type: ignore[union-attr]
        if any(" ".join(p.question.split()).casefold() in title for p in group):
            continue
        notes.append(
            FloorError(
                "no longer holds the text of question: (edited since it was published). Readers see "
                "question: as the post's heading and in Archives, and title: in the browser tab, "
                "the feeds and shared links; set title: to match if the question was reworded",
                path=group[0].path,
                field="title",
            ).as_dict()
        )
    return notes


def _present_fields(q: Question) -> set[str]:
    """The known fields this question has a value for (a near miss of one of those is left alone);
    each known field is the Question attribute of the same name."""
    from ..core.question import KNOWN_FIELDS

    return {name for name in KNOWN_FIELDS if getattr(q, name)}


def _unnamed_column(site: Site) -> list[dict]:
    """A blog (a theme that is not the column's) without FLOOR_NAME: the column takes the blog's
    own name, so the blog's menu gets a category named after the whole blog."""
    from ..core import site_scope

    raw = site.settings.raw
    if raw.get("FLOOR_NAME") or not raw.get("SITENAME"):
        return []
    theme = Path(str(raw.get("THEME") or "notmyidea"))
    if site_scope.column_theme(theme if theme.is_absolute() else site.root / theme):
        return []  # the column's own theme (or a copy): a site that is the column
    return [
        FloorError(
            f"is not set, so the column takes the blog's own name: its posts are filed in a "
            f"category called {raw['SITENAME']!r} beside the blog's own, with a feed of that name; "
            'name the column, e.g. FLOOR_NAME = "Ask Me Anything"',
            path=site.conf_path,
            field="FLOOR_NAME",
        ).as_dict()
    ]


# What `floor init` wrote into content/pages/about.md before the About template said it from the
# site's state: each is true in one state only, and the author's file is never rewritten for them.
_KIT_ABOUT_LINES = {
    "open": 'Ask yours through the "Ask a question" link.',
    "none": "Questions are not being taken yet.",
}


def _stale_about(site: Site) -> list[dict]:
    """The sentence an earlier `floor init` wrote about asking, once the column's state has made it
    false: an invitation on a retired column (its Ask link gone) or one that takes no questions,
    or "not being taken" once readers can ask."""
    from ..core import retire

    about = site.content_dir / "pages" / "about.md"
    try:
        lines = about.read_text(encoding="utf-8").splitlines()
        retired = retire.read_state(site.root) is not None
    except (OSError, UnicodeDecodeError, FloorError):
        return []  # no such page, or a problem `floor check` reports on its own
    channel = str(site.settings.raw.get("FLOOR_ASK_CHANNEL") or "none")
    if retired:
        stale, why = "open", "the column is retired and its Ask link is gone"
    elif channel == "none":
        stale, why = "open", "readers cannot ask (FLOOR_ASK_CHANNEL = 'none')"
    else:
        stale, why = "none", f"readers can ask now (FLOOR_ASK_CHANNEL = {channel!r})"
    sentence = _KIT_ABOUT_LINES[stale]
    return [
        FloorError(
            f"says {sentence!r} (a sentence `floor init` wrote) but {why}; delete the sentence: "
            "the About page says by itself whether and how readers can ask",
            path=about,
            line=number,
        ).as_dict()
        for number, text in enumerate(lines, start=1)
        if sentence in text
    ]


def _language(site: Site) -> list[dict]:
    """A DEFAULT_LANG the kit has no catalogue for: the pages say lang="de" but read in English."""
    from ..core import i18n

    if i18n.asks_source(site.settings.raw):
        return []
    asked = str(site.settings.raw.get("DEFAULT_LANG") or i18n.SOURCE_LANGUAGE)
    from .init_site import check_lang

    try:
        check_lang(asked)
    except ValueError as wrong:  # "jp": every page says lang="jp", which no browser understands
        return [
            FloorError(
                f'the pages say lang="{i18n.language_tag(asked)}", which browsers and screen readers do '
                f"not understand: {wrong}",
                path=site.conf_path,
                field="DEFAULT_LANG",
            ).as_dict()
        ]
    lang = i18n.language(asked)
    if lang.has_catalogue or lang.code.split("_")[0] == i18n.SOURCE_LANGUAGE:
        return []
    shipped = ", ".join(i18n.shipped())
    return [
        FloorError(
            f'the kit has no catalogue for {asked!r}, so the words it writes on every page ("Quick '
            f'answer", the Ask page, dates …) stay in English; it ships {shipped}. '
            "docs/translating.md says how to add a language",
            path=site.conf_path,
            field="DEFAULT_LANG",
        ).as_dict()
    ]


def _english_about(site: Site) -> list[dict]:
    """The About page as `floor init` wrote it in English, on a column in another language: its
    title is the About link in every page's navigation ("About this column" on a French site).
    Only the untouched two lines count; a page the author wrote is theirs, in any language."""
    from ..core import i18n

    if i18n.asks_source(site.settings.raw):
        return []
    from ..web import about_page

    lang = i18n.for_settings(site.settings.raw)
    if lang.is_source:
        return []
    about = site.content_dir / "pages" / "about.md"
    try:
        text = about.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    # the page as written with the site's AUTHOR, or without a name (a column made before the
    # page named its author, or whose AUTHOR changed since)
    author = str(site.settings.raw.get("AUTHOR") or "")
    source = i18n.language(i18n.SOURCE_LANGUAGE)
    written = {about_page.starter_page(source, name).strip() for name in (author, "")}
    if text.replace("\r\n", "\n").strip() not in written:
        return []
    asked = str(site.settings.raw.get("DEFAULT_LANG"))
    title = lang.gettext("About this column")
    line = about_page.starter_line(lang, author)
    return [
        FloorError(
            f"is still the English page `floor init` wrote, but DEFAULT_LANG is {asked!r}: its "
            "title is the About link on every page; rewrite it in the column's language, e.g. "
            f"'Title: {title}' and the line {line!r}",
            path=about,
        ).as_dict()
    ]


def _in_git(folder: Path) -> bool:
    """A .git anywhere above: the site is in a repository (checked without running git)."""
    where = folder.resolve()
    return any((parent / ".git").exists() for parent in (where, *where.parents))


def _alike_tags(site: Site, questions: list[Question], slugify: tag_slugs.Slugify) -> list[dict]:
    """A warning for each set of different tags that share one tag page (see tag_slugs), the
    blog's own posts' tags included in a blog that added the plugin (core/blog_tags.py)."""
    names = [t for q in questions for t in q.tags]
    if not names:
        return []
    from ..core import blog_tags, parse_cache

    ours = set(names)
    blog = [t for t in dict.fromkeys(blog_tags.own_tags(site)) if t not in ours]
    found = []
    memo = parse_cache.cache_file(site.root, site.settings.raw).with_name(tag_slugs.MEMO_FILE)
    slugs = tag_slugs.slugs([*names, *blog], site.settings.raw, slugify, memo)
    for name, slug in slugs.items():
        if name in ours and tag_slugs.shortened(slug, name):
            holder = next(q for q in questions if name in q.tags)
            found.append(
                FloorError(
                    f"a tag of {len(name)} characters is too long for a file name: its page is "
                    f"tag/{slug}/ (cut to fit); a shorter tag gets a readable address",
                    path=holder.path,
                    field="tags",
                ).as_dict()
            )
    groups: dict[str, list[str]] = {}
    for name, slug in slugs.items():
        groups.setdefault(slug, []).append(name)
    for slug, group in ((s, g) for s, g in groups.items() if len(g) > 1):
        column = [name for name in group if name in ours]
        if not column:
            continue  # the blog's own tags among themselves: not the column's to judge
        holder = next(q for q in questions if (column[1:] or column)[0] in q.tags)
        theirs = [name for name in group if name not in ours]
        shared = ", ".join(map(repr, column))
        if theirs:
            shared += f" and the blog's own {', '.join(map(repr, theirs))}"
        found.append(
            FloorError(
                f"the tags {shared} share one page and feed (tag/{slug}/), "
                "merged as one tag; rename one if they mean different things",
                path=holder.path,
                field="tags",
            ).as_dict()
        )
    return found


def _secrets(site: Site) -> list[FloorError]:
    """Secret-looking settings in pelicanconf.py and (the production build's) publishconf.py."""
    found = settings_mod.secret_settings(site.settings.raw, site.conf_path)
    publishconf = site.root / "publishconf.py"
    if publishconf.exists():
        try:
            extra = settings_mod.read_conf(publishconf)
        except FloorError as exc:
            return [*found, exc]
        known = {e.field for e in found}
        found += [e for e in settings_mod.secret_settings(extra, publishconf) if e.field not in known]
    return found


def schedule_text(
    plan: schedule_mod.Plan,
    now: dt.datetime,
    weeks: int | None,
    by_id: dict[str, Question],
    *,
    shown: int | None = None,
    began: dt.datetime | None = None,
) -> str:
    """`floor schedule`'s plan: each post's date and questions, then the pace and the last post.
    ``weeks``: only the posts going out within that many weeks; ``shown``: only the first so many
    posts (the desk's Schedule page, which says how many more there are itself). ``began``: when
    the column began (:func:`column_began`): a slot before it did not pass "without a post"."""
    entries = plan.entries
    if weeks is not None:
        until = now + dt.timedelta(weeks=weeks)
        entries = tuple(e for e in entries if e.date <= until)
    if shown is not None:
        entries = entries[:shown]
    lines: list[str] = []
    if not entries:
        lines.append("nothing is scheduled: no question is ready")
    for entry in entries:
        due = "  (due now)" if entry.date <= now else ""
        if not entry.on_slot and entry.slot is not None and began is not None and entry.slot < began:
            due = "  (due now: the column's first post, dated when it goes out)"
        elif not entry.on_slot and entry.slot is not None:
            due = (
                f"  (due now: the slot of {when_text(entry.slot)} passed without a post, "
                "so it is dated when it goes out)"
            )
        lines.append(f"{when_text(entry.date)}{due}")
        for qid in entry.questions:
            lines.append(f"    {qid}: {by_id[qid].question}")
    lines.append("")
    timing = timing_text(plan, now)
    if timing:
        lines.append(timing)
    if plan.last_post:
        lines.append(
            f"At this pace, with what is answered today, the last post goes out "
            f"{when_text(plan.last_post)} "
            f"({len(plan.entries)} post{'s' if len(plan.entries) != 1 else ''} to go)."
        )
    else:
        lines.append("Nothing answered is waiting, so no post is planned.")
    if plan.unanswered:
        lines.append(
            f"{plan.unanswered} question{'s are' if plan.unanswered != 1 else ' is'} still unanswered; "
            + (
                "their dates cannot be known until they are answered."
                if plan.unanswered != 1
                else "its date cannot be known until it is answered."
            )
        )
    if plan.held:
        lines.append(f"{plan.held} answered question{'s are' if plan.held != 1 else ' is'} on hold.")
    return "\n".join(lines)


def column_began(site: Site, published: Sequence[Question], now: dt.datetime) -> dt.datetime | None:
    """When the column began, for the schedule's words: its repository's first commit (what
    `floor init` makes); without git, a column with no post yet began no later than ``now``
    (its first post is the next one, whatever the slot); else None. A new column's most recent
    slot often lies before it (made on a Tuesday, a Monday column)."""
    from ..services import gitops

    times = gitops.commit_times(site.root)
    if times is not None:
        return dt.datetime.fromtimestamp(times[0], dt.UTC)
    return None if published else now


def timing_text(plan: schedule_mod.Plan, now: dt.datetime) -> str | None:
    """What `floor publish` run now does, and the rule behind it (docs/schedule.md, "Dates")."""
    if not plan.entries:
        return None
    rule = (
        "A post is dated at its slot when it goes out on the slot's day (a late weekly job keeps the "
        "date); one whose slot passed on an earlier day is dated when it goes out, never before."
    )
    due = plan.due(now)
    if not due:
        nxt = when_text(plan.entries[0].date)
        return f"Between slots `floor publish` waits: the next post goes out {nxt}. {rule}"
    last = "now" if not due[-1].on_slot else "at its slot"
    if len(due) == 1:
        return f"`floor publish` run now publishes it, dated {last}. {rule}"
    return (
        f"`floor publish` run now publishes {len(due)} posts, each dated at its own slot "
        f'(FLOOR_CATCH_UP = "all"), the last {last}. {rule}'
    )
