"""Generate the bench sites: one column, three ways to build it.

``generate(out, posts)`` writes, under ``out``:

- ``floor/``   a From the Floor site (the ``floor init`` skeleton) whose
  content/floor/ holds ``posts`` published question files, plus ``queued``
  answered questions waiting in questions/ for the weekly job;
- ``pelican/`` the same posts as ordinary Pelican Markdown articles
  (``Title:/Date:/Tags:`` headers, Pelican's default theme);
- ``hugo/``    the same posts as a Hugo site with a small theme written here.

Everything comes from one seeded ``random.Random`` and fixed word lists, and
nothing depends on the clock, the locale or hash order: the same arguments give
byte-identical trees (tests/pelican_plugin/test_fast_paths.py checks it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/London"
SITENAME = "From the Floor (bench)"
AUTHOR = "Robin Bench"
# The last generated post goes out on this Monday; the weekly job's "today" is a week later.
LAST_POST_DAY = dt.date(2026, 11, 2)
PUBLISH_TIME = dt.time(9, 0)

OPENERS = [
    "How do you",
    "Why do you",
    "When should I",
    "Is it ever right to",
    "What is the best way to",
    "Do you ever",
    "How often should you",
    "What happens when you",
    "Should a beginner",
    "Can you really",
]
VERBS = [
    "answer",
    "ignore",
    "choose",
    "edit",
    "rewrite",
    "schedule",
    "share",
    "measure",
    "plan",
    "question",
    "delegate",
    "publish",
    "archive",
    "explain",
    "defend",
]
OBJECTS = [
    "hard questions from readers",
    "a weekly column",
    "criticism in the comments",
    "your first draft",
    "a backlog of unanswered mail",
    "the people who disagree with you",
    "a topic you know little about",
    "an anonymous question",
    "a question that is really a complaint",
    "the numbers behind a post",
    "a long thread on social media",
    "advice you gave years ago",
    "a reader who asks twice",
    "the quiet weeks",
    "a guest answer",
]
TAGS = [
    "advice",
    "archives",
    "beginners",
    "career",
    "comments",
    "community",
    "craft",
    "criticism",
    "deadlines",
    "drafting",
    "editing",
    "email",
    "ethics",
    "feedback",
    "habits",
    "interviews",
    "listening",
    "money",
    "motivation",
    "newsletters",
    "notes",
    "planning",
    "privacy",
    "publishing",
    "readers",
    "research",
    "running the column",
    "social media",
    "style",
    "tools",
    "voice",
    "workflow",
    "writing",
    "yes and no",
]
NAMES = ["Sam", "Priya", "Jo", "Alex", "Kim", "Ola", "Mateo", "Noor", "Wen", "Femi", "Ines", "Tomas"]
SOURCES = ["email", "talk", "comment", "form", "issue", "notes"]
WORDS = [
    "the",
    "a",
    "reader",
    "question",
    "answer",
    "week",
    "column",
    "time",
    "people",
    "write",
    "read",
    "letter",
    "draft",
    "idea",
    "note",
    "habit",
    "plan",
    "honest",
    "simple",
    "careful",
    "slow",
    "quick",
    "small",
    "large",
    "quiet",
    "loud",
    "useful",
    "kind",
    "clear",
    "because",
    "when",
    "while",
    "although",
    "after",
    "before",
    "usually",
    "often",
    "rarely",
    "always",
    "never",
    "perhaps",
    "think",
    "know",
    "feel",
    "try",
    "keep",
    "start",
    "stop",
    "find",
    "lose",
    "learn",
    "teach",
    "ask",
    "tell",
    "share",
    "build",
    "morning",
    "evening",
    "desk",
    "notebook",
    "inbox",
    "list",
    "calendar",
    "coffee",
    "walk",
    "train",
    "kitchen",
    "garden",
    "friend",
    "editor",
    "stranger",
    "neighbour",
    "colleague",
    "audience",
    "community",
    "crowd",
    "room",
    "floor",
]
LINK_TARGETS = [
    "https://example.org/notes/listening",
    "https://example.org/essays/on-drafts",
    "https://example.com/guide/columns",
    "https://example.net/archive/2019/letters",
]
CODE_SNIPPETS = [
    ("python", "for question in queue:\n    if question.ready:\n        publish(question)\n"),
    ("shell", "floor schedule --weeks 4\nfloor publish --dry-run\n"),
    ("yaml", "question: How long should an answer be?\ntags: [craft, editing]\n"),
]


@dataclass
class Post:
    """One generated Q&A, in the form all three sites are written from."""

    id: str
    number: int
    date: dt.datetime
    question: str
    asked: dt.date
    asker: str | None
    credit: bool
    contact: str | None
    source: str
    tags: list[str]
    quick_answer: str
    details: str | None
    body: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"From the Floor #{self.number}: {self.question}"


# --- text ------------------------------------------------------------------------


def _sentence(rng: random.Random, words: int | None = None, *, markup: bool = True) -> str:
    n = words or rng.randint(6, 18)
    chosen = [rng.choice(WORDS) for _ in range(n)]
    if markup and n > 6:
        kind = rng.random()
        i = rng.randrange(1, n - 2)
        if kind < 0.12:
            chosen[i] = f"*{chosen[i]}*"
        elif kind < 0.20:
            chosen[i] = f"**{chosen[i]} {chosen[i + 1]}**"
            del chosen[i + 1]
        elif kind < 0.27:
            chosen[i] = f"[{chosen[i]}]({rng.choice(LINK_TARGETS)})"
        elif kind < 0.31:
            chosen[i] = f"`{chosen[i]}`"
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "!", "?"])


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))


def _block(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.55:
        return _paragraph(rng)
    if kind < 0.67:
        return "\n".join(f"- {_sentence(rng, rng.randint(4, 10))}" for _ in range(rng.randint(2, 5)))
    if kind < 0.77:
        return "\n".join(f"{i}. {_sentence(rng, rng.randint(4, 12))}" for i in range(1, rng.randint(3, 6)))
    if kind < 0.85:
        return "> " + _paragraph(rng)
    if kind < 0.92:
        return "### " + _sentence(rng, rng.randint(2, 5), markup=False).rstrip(".!?")
    if kind < 0.97:
        rows = ["| Week | What went out | Replies |", "| --- | --- | --- |"]
        rows += [
            f"| {w} | {_sentence(rng, 3, markup=False).rstrip('.!?')} | {rng.randint(0, 40)} |"
            for w in range(1, rng.randint(3, 6))
        ]
        return "\n".join(rows)
    lang, code = rng.choice(CODE_SNIPPETS)
    return f"```{lang}\n{code}```"


def _body(rng: random.Random) -> str:
    blocks = [_paragraph(rng)] + [_block(rng) for _ in range(rng.randint(2, 8))]
    return "\n\n".join(blocks)


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


# The kit refuses dates before 1970; a question is asked up to 60 days before its answer goes out.
EARLIEST_DAY = dt.date(1970, 3, 1)


def _cadence(count: int) -> dt.timedelta:
    """A week between posts, as a real column; a day when weekly posts would start before 1970.

    At 5,000 or 10,000 posts a weekly column would reach back a century; one a day keeps every
    date one the kit accepts, and the 1,000-post site stays the weekly one earlier figures used.
    """
    weekly = dt.timedelta(weeks=1)
    return weekly if LAST_POST_DAY - weekly * (count - 1) >= EARLIEST_DAY else dt.timedelta(days=1)


def make_posts(count: int, *, seed: int = 0, start_number: int = 1) -> list[Post]:
    """``count`` posts, one a week (one a day for big sites), the last on LAST_POST_DAY (start_number 1)."""
    rng = random.Random(f"floor-bench-{seed}-{start_number}")
    tz = ZoneInfo(TIMEZONE)
    step = _cadence(count)
    first_day = LAST_POST_DAY - step * (count - 1)
    posts = []
    for i in range(count):
        number = start_number + i
        day = first_day + step * i
        question = f"{rng.choice(OPENERS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}?"
        asker = rng.choice(NAMES) if rng.random() < 0.8 else None
        tags = sorted(rng.sample(TAGS, rng.randint(1, 4)))
        posts.append(
            Post(
                id=f"{_slug(question)}-{number:05d}",
                number=number,
                date=dt.datetime.combine(day, PUBLISH_TIME, tzinfo=tz),
                question=question,
                asked=day - dt.timedelta(days=rng.randint(3, 60)),
                asker=asker,
                credit=asker is not None and rng.random() < 0.5,
                contact=f"{asker.lower()}.{number}@example.org" if asker and rng.random() < 0.6 else None,
                source=rng.choice(SOURCES),
                tags=tags,
                quick_answer=_sentence(rng, rng.randint(5, 14)),
                details=_paragraph(rng) if rng.random() < 0.3 else None,
                body=_body(rng),
            )
        )
    return posts


# --- the three sites -------------------------------------------------------------


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def floor_file(post: Post, *, published: bool = True, seal: Callable[[str], str] | None = None) -> str:
    """A question file as `floor ask/answer/publish` would leave it (``seal``: how the contact is
    stored; a `floor init` site seals it to the column's key, as intake does)."""
    lines = ["---", f"question: {_yaml_text(post.question)}", f"asked: {post.asked.isoformat()}"]
    if post.asker:
        lines.append(f"asker: {post.asker}")
        lines.append(f"credit: {'true' if post.credit else 'false'}")
    if post.contact:
        lines.append(f"contact: {seal(post.contact) if seal is not None else post.contact}")
    lines.append(f"source: {post.source}")
    lines.append("tags: [" + ", ".join(post.tags) + "]")
    lines.append(f"quick_answer: {_yaml_text(post.quick_answer)}")
    if post.details:
        lines.append(f"details: {_yaml_text(post.details)}")
    if published:
        lines += [
            f"title: {_yaml_text(post.title)}",
            f"date: {post.date.isoformat()}",
            f"number: {post.number}",
            f"slug: {post.id}",
        ]
    lines.append("---")
    return "\n".join(lines) + "\n" + post.body + "\n"


def _article_body(post: Post) -> str:
    """The same Q&A as an ordinary article: question, who asked, both answers."""
    asker = post.asker if post.credit and post.asker else "a reader"
    parts = [f"> {post.question}"]
    if post.details:
        parts.append(f"> {post.details}")
    parts.append(f"Asked by {asker} on {post.asked.strftime('%-d %B %Y')}")
    parts.append(f"**Quick answer:** {post.quick_answer}")
    parts.append(post.body)
    return "\n\n".join(parts) + "\n"


def pelican_file(post: Post) -> str:
    headers = [
        f"Title: {post.title}",
        f"Date: {post.date.isoformat()}",
        f"Tags: {', '.join(post.tags)}",
        f"Slug: {post.id}",
        "Category: From the Floor",
    ]
    return "\n".join(headers) + "\n\n" + _article_body(post)


def hugo_file(post: Post) -> str:
    lines = [
        "---",
        f"title: {_yaml_text(post.title)}",
        f"date: {post.date.isoformat()}",
        f"slug: {post.id}",
        "tags: [" + ", ".join(_yaml_text(t) for t in post.tags) + "]",
        "---",
    ]
    return "\n".join(lines) + "\n" + _article_body(post)


ABOUT = "Title: About\n\nA column that answers readers' questions, one a week.\n"

PELICAN_CONF = f'''"""Plain Pelican: the same posts as ordinary articles, Pelican's default theme."""

AUTHOR = {AUTHOR!r}
SITENAME = {SITENAME!r}
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = {TIMEZONE!r}
DEFAULT_LANG = "en"
# No plugins: Pelican would otherwise load every namespace plugin installed beside it
# (pelican-seo, for one, refuses to run without a SITEURL).
PLUGINS = []

# The same pages and feeds as the From the Floor site, so both write the same set.
ARTICLE_URL = "floor/{{slug}}/"
ARTICLE_SAVE_AS = "floor/{{slug}}/index.html"
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
TAG_URL = "tag/{{slug}}/"
TAG_SAVE_AS = "tag/{{slug}}/index.html"
DIRECT_TEMPLATES = ["index", "tags", "archives"]
CATEGORY_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = "archives/index.html"
TAGS_SAVE_AS = "tags/index.html"
DEFAULT_PAGINATION = 10
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "md5"
CACHE_PATH = ".cache"
'''

HUGO_CONF = f"""baseURL = "http://localhost/"
title = {json.dumps(SITENAME)}
languageCode = "en"
timeZone = {json.dumps(TIMEZONE)}
disableKinds = ["section"]

[params]
author = {json.dumps(AUTHOR)}

[pagination]
pagerSize = 10

[permalinks.page]
floor = "/floor/:slug/"

[taxonomies]
tag = "tags"

[outputs]
home = ["html", "rss"]
page = ["html"]
taxonomy = ["html"]
term = ["html"]

[markup.goldmark.renderer]
unsafe = false
"""

# A minimal theme for the Hugo site: the same pages as the floor site, nothing more.
HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
{{ with .OutputFormats.Get "rss" }}
<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><p><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></p>
<nav><ul><li><a href="{{ "/archives/" | relURL }}">Archives</a></li>
<li><a href="{{ "/tags/" | relURL }}">Tags</a></li>
{{ range where .Site.Pages "Type" "page" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ .Site.Title }} by {{ .Site.Params.author }}.</p></footer>
</body>
</html>
""",
    "_partials/summary.html": """<article>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">
{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Summary }}
</article>
""",
    "_partials/pager.html": """{{ with .Paginator }}{{ if gt .TotalPages 1 }}<nav><ul>
{{ with .Prev }}<li><a rel="prev" href="{{ .URL }}">Newer</a></li>{{ end }}
<li>Page {{ .PageNumber }} of {{ .TotalPages }}</li>
{{ with .Next }}<li><a rel="next" href="{{ .URL }}">Older</a></li>{{ end }}
</ul></nav>{{ end }}{{ end }}
""",
    "home.html": """{{ define "main" }}
{{ $pages := where .Site.RegularPages "Section" "floor" }}
{{ range (.Paginate $pages).Pages }}{{ partial "summary.html" . }}{{ end }}
{{ partial "pager.html" . }}
{{ end }}
""",
    "single.html": """{{ define "title" }}{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">
{{ .Date.Format "2 January 2006" }}</time>
{{ with .GetTerms "tags" }} · {{ range . }}
<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ end }}</p>
{{ .Content }}
<nav><ul>
{{ with .PrevInSection }}<li><a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
{{ with .NextInSection }}<li><a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></nav>
</article>{{ end }}
""",
    "page/archives.html": """{{ define "main" }}<h1>Archives</h1><dl>
{{ range where .Site.RegularPages "Section" "floor" }}<dt>{{ .Date.Format "2 Jan 2006" }}</dt>
<dd><a href="{{ .RelPermalink }}">{{ .Title }}</a></dd>
{{ end }}</dl>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>Tags</h1><ul>
{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range (.Paginate .Pages).Pages }}{{ partial "summary.html" . }}{{ end }}
{{ partial "pager.html" . }}
{{ end }}
""",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


# Settings variants of the floor site, for the bench's breakdown (`floor build --settings …`)
FLOOR_VARIANTS = {
    "bench_nosearch.py": "FLOOR_SEARCH = False  # no Pagefind index\n",
    "bench_posts_only.py": (
        "FLOOR_SEARCH = False\n"
        # the posts alone: no reader-site pages, feeds or retirement
        'PLUGINS = ["from_the_floor.pelican_plugin.plugin"]\n'
    ),
}


# A fixed key pair for generated sites (every reader in them is made up), so that two
# generations are byte-identical; `floor init` makes a random pair for a real column.
BENCH_KEY = (
    "# created: 2026-12-01T08:07:49+00:00\n"
    "# public key: age1uwaz6d649zawz5rmnvdeax6wtfzpqmv5dguekjaah6dy4te7y9xq3hkcu6\n"
    "AGE-SECRET-KEY-18Z955A7MX9JZXSTT9C0AP98JVF0ECZEUADFLSP6N0PREEQQJCMJSTKTKFD\n",
    "age1uwaz6d649zawz5rmnvdeax6wtfzpqmv5dguekjaah6dy4te7y9xq3hkcu6",
)


def write_floor_site(root: Path, posts: list[Post], queued: list[Post]) -> None:
    """The `floor init` skeleton, with the posts published and the queue answered."""
    from from_the_floor.commands import init_site
    from from_the_floor.core.site import Site

    init_site.create(root, title=SITENAME, author=AUTHOR, timezone=TIMEZONE, key_pair=BENCH_KEY)
    # sealed to the site's key, as `floor ask` and intake store them: the guard opens each one
    seal = Site(root).keys.seal
    for name, settings in FLOOR_VARIANTS.items():
        head = (
            '"""Bench variant of pelicanconf.py."""\n\nimport os\nimport sys\n\nsys.path.append(os.curdir)\n'
        )
        _write(root / name, head + "from pelicanconf import *  # noqa: F403\n\n" + settings)
    for post in posts:
        _write(root / "content" / "floor" / f"{post.id}.md", floor_file(post, seal=seal))
    for post in queued:
        _write(root / "questions" / f"{post.id}.md", floor_file(post, published=False, seal=seal))


def write_pelican_site(root: Path, posts: list[Post]) -> None:
    _write(root / "pelicanconf.py", PELICAN_CONF)
    _write(root / "content" / "pages" / "about.md", ABOUT)
    for post in posts:
        _write(root / "content" / f"{post.id}.md", pelican_file(post))


def write_hugo_site(root: Path, posts: list[Post]) -> None:
    _write(root / "hugo.toml", HUGO_CONF)
    for name, text in HUGO_LAYOUTS.items():
        _write(root / "layouts" / name, text)
    _write(root / "content" / "about.md", "---\ntitle: About\n---\n" + ABOUT.split("\n\n", 1)[1])
    _write(root / "content" / "archives.md", "---\ntitle: Archives\nlayout: archives\n---\n")
    for post in posts:
        _write(root / "content" / "floor" / f"{post.id}.md", hugo_file(post))


def generate(out: Path, posts: int, *, queued: int = 0, seed: int = 0) -> dict[str, Path]:
    """Write the three sites under ``out`` (replacing them); returns their folders."""
    out = Path(out)
    published = make_posts(posts, seed=seed)
    waiting = make_posts(queued, seed=seed, start_number=posts + 1) if queued else []
    sites = {"floor": out / "floor", "pelican": out / "pelican", "hugo": out / "hugo"}
    for folder in sites.values():
        shutil.rmtree(folder, ignore_errors=True)
    write_floor_site(sites["floor"], published, waiting)
    write_pelican_site(sites["pelican"], published)
    write_hugo_site(sites["hugo"], published)
    next_slot = LAST_POST_DAY + dt.timedelta(weeks=1)
    _write(
        out / "bench-site.json",
        json.dumps(
            {"posts": posts, "queued": queued, "seed": seed, "next_publish_day": next_slot.isoformat()},
            indent=2,
        )
        + "\n",
    )
    return sites


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write floor/, pelican/ and hugo/ into")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--queued", type=int, default=0, help="answered questions waiting in questions/")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sites = generate(args.out, args.posts, queued=args.queued, seed=args.seed)
    for name, folder in sites.items():
        print(f"{name}: {folder}")


if __name__ == "__main__":
    main()
