"""Which pages depend on what changes every week: only the Stats and About pages read the
weekly facts (floor_stats), and one new post leaves the pages of older posts byte for byte.

The first test reads the theme the way a dependency-tracked build does (the names each
template and the templates it extends, includes and imports leave undeclared); the second
builds a real `floor init` site twice, a week and one post apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import jinja2
import jinja2.meta
from from_the_floor.paths import theme_dir
from from_the_floor.pelican_plugin import plugin
from from_the_floor.web import navigation
from helpers_floor import ok, question_text, write_question

WEEKLY = "floor_stats"


def reads(env: jinja2.Environment, name: str, seen: set[str] | None = None) -> set[str]:
    """The context names ``name`` reads, through every template it pulls in."""
    seen = seen if seen is not None else set()
    if name in seen:
        return set()
    seen.add(name)
    source = env.loader.get_source(env, name)[0]
    tree = env.parse(source)
    names = set(jinja2.meta.find_undeclared_variables(tree))
    for other in jinja2.meta.find_referenced_templates(tree):
        if other:
            names |= reads(env, other, seen)
    return names


def test_only_the_pages_showing_the_weekly_facts_read_them():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(theme_dir()) / "templates"),
        extensions=["jinja2.ext.i18n"],  # the theme's words are {% trans %} blocks, as the build reads them
    )
    plugin.install_language(SimpleNamespace(env=env, settings={"DEFAULT_LANG": "en"}))  # and its filters
    templates = [n for n in env.list_templates() if n.endswith(".html") and not n.startswith("_")]
    readers = {name for name in templates if WEEKLY in reads(env, name)}
    assert readers == {"stats.html", "about.html"}
    assert {"article.html", "index.html", "page.html", "tag.html"} <= set(templates)
    assert "floor_site" in reads(env, "article.html"), "the walk follows extends and imports"


def _with_parents(node: jinja2.nodes.Node, parent: jinja2.nodes.Node | None = None):
    yield node, parent
    for child in node.iter_child_nodes():
        yield from _with_parents(child, node)


def test_the_kit_shows_only_the_day_of_the_builds_moment():
    """page_signatures signs the build's moment in floor_stats (its ``now``, and the figures'
    ``as_of``) by its day for the kit's own templates: they may read it only as ``.date()``, and
    read the weekly facts, under any name they give them, only through one of their fields."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(theme_dir()) / "templates"), extensions=["jinja2.ext.i18n"]
    )
    problems = []
    days_read = 0
    for name in env.list_templates():
        if not name.endswith((".html", ".xml")):
            continue
        pairs = list(_with_parents(env.parse(env.loader.get_source(env, name)[0])))
        parents = {id(node): parent for node, parent in pairs}
        aliases = {WEEKLY} | {
            node.target.name
            for node, _ in pairs
            if isinstance(node, jinja2.nodes.Assign)
            and isinstance(node.node, jinja2.nodes.Name)
            and node.node.name == WEEKLY
            and isinstance(node.target, jinja2.nodes.Name)
        }
        for node, parent in pairs:
            if isinstance(node, jinja2.nodes.Name) and node.ctx == "load" and node.name in aliases:
                named = isinstance(parent, jinja2.nodes.Assign) and parent.node is node  # an alias
                if not isinstance(parent, jinja2.nodes.Getattr) and not named:
                    problems.append(f"{name}:{node.lineno}: {node.name} read whole")
            moment = (isinstance(node, jinja2.nodes.Getattr) and node.attr in ("now", "as_of")) or (
                isinstance(node, jinja2.nodes.Getitem)
                and isinstance(node.arg, jinja2.nodes.Const)
                and node.arg.value in ("now", "as_of")
            )
            if not moment:
                continue
            call = parents.get(id(parent))
            if (
                isinstance(parent, jinja2.nodes.Getattr)
                and parent.attr == "date"
                and isinstance(call, jinja2.nodes.Call)
                and call.node is parent
                and not call.args
            ):
                days_read += 1
            else:
                problems.append(f"{name}:{node.lineno}: the build's moment read beyond its day")
    assert not problems, problems
    assert days_read, "the walk finds the forecast's day"


def configure(site: Path, **settings: object) -> None:
    conf = site / "pelicanconf.py"
    lines = "".join(f"\n{name} = {value!r}" for name, value in settings.items())
    conf.write_text(conf.read_text(encoding="utf-8") + lines + "\n", encoding="utf-8")


def published(site: Path, number: int, day: dt.date) -> str:
    """Post #number, as `floor publish` leaves it, every post on one shared tag."""
    qid = f"question-{number:02d}"
    text = question_text(
        f"Question number {number}?",
        asked=(day - dt.timedelta(days=5)).isoformat(),
        quick=f"Quick answer {number}.",
        body=f"The longer answer to question {number}.",
        tags="[craft]",
        title=f'"From the Floor #{number}: Question number {number}?"',
        date=f"{day.isoformat()}T09:00:00+00:00",
        number=str(number),
        slug=qid,
    )
    write_question(site, qid, text, folder="content/floor")
    return qid


def test_next_weeks_post_leaves_the_older_post_pages_alone(site: Path, run_floor):
    size, posts = 5, 8  # blocks of two parts: #1–2, #3–4, #5–6, #7–8, then #9 starts a new one
    configure(site, FLOOR_SERIES_JUMP=size)
    first = dt.date(2026, 9, 14)  # a Monday; the skeleton publishes on Mondays at 09:00 UTC
    ids = [published(site, n, first + dt.timedelta(weeks=n - 1)) for n in range(1, posts + 1)]
    last_week = (first + dt.timedelta(weeks=posts - 1)).isoformat()
    next_week = (first + dt.timedelta(weeks=posts)).isoformat()
    write_question(
        site,
        "the-new-one",
        question_text("A new one?", asked=last_week, quick="Yes.", body="Longer.", tags="[craft]"),
    )
    # and one for the week after, so the About page still forecasts a planned last post after
    # #9: only such a forecast says the day it was made ("every question so far has been
    # answered" does not move with the day, and keeps its bytes)
    write_question(
        site,
        "the-one-after",
        question_text("One after?", asked=last_week, quick="Yes.", body="Longer.", tags="[other]"),
    )
    out = site / "output"
    ok(run_floor("build", site=site, today=last_week))
    before = {qid: (out / "floor" / qid / "index.html").read_bytes() for qid in ids}
    about, stats = (out / "about" / "index.html").read_bytes(), (out / "stats" / "index.html").read_bytes()
    assert "published #9" in ok(run_floor("publish", site=site, today=next_week))
    ok(run_floor("build", site=site, today=next_week))
    assert (out / "floor" / "the-new-one" / "index.html").is_file()

    changed = {qid for qid in ids if (out / "floor" / qid / "index.html").read_bytes() != before[qid]}
    window = navigation.series_window
    expected = {ids[i] for i in range(posts) if window(posts, i, size) != window(posts + 1, i, size)}
    expected.add(ids[-1])  # its "Next" link now points at the new post
    assert changed == expected
    assert len(changed) < posts // 2, "most older pages are left alone"
    assert (out / "about" / "index.html").read_bytes() != about, "the forecast's date moved on"
    assert (out / "stats" / "index.html").read_bytes() != stats
    page = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert f'Forecast as of <time datetime="{next_week}">' in page
    assert "as #10" in page  # the last planned post is still the one after the new one
