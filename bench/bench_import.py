"""Bench (not a test): how faithfully `floor import` and Pelican's `pelican-import` bring real exports over.

    .venv/bin/python bench/bench_import.py [--keep DIR] [FIXTURE ...]

For each fixture in tests/fixtures/import/ (default: all of them), both tools
import the same file and Pelican builds the result; the bench then counts, per
public post, the structure of the old post's HTML (lists, deepest list, code
blocks, tables, images, embeds) and of the page Pelican rendered, and prints a
table per fixture: the totals, how many posts keep every count, what was
published that is not a public post (drafts, pages, comments …), and the
defects a reader would see (a literal backslash at a line break, a shortcode
shown as text, a live <script>).

`pelican-import` needs pandoc: `scripts/install-system-deps.sh --bench`
installs Debian's. Without it only `floor import` is measured.

    .venv/bin/python bench/bench_import.py --converters

compares the HTML → Markdown converters alone, on every public post of every
fixture, each rendered by the site's own Python-Markdown: the kit's
(markdownify configured for Python-Markdown, with the import's shortcode and
embed handling), markdownify as the kit used it before (backslash breaks),
html-to-markdown (`pip install html-to-markdown`, if installed) and pandoc
(as pelican-import runs it). The others get the same WordPress paragraphs
(autop) but no shortcode handling: that is the kit's own addition.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html as html_mod
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml
from from_the_floor.intake import import_formats, import_sources, importer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
BIN = Path(sys.executable).parent
KEYS = ("lists", "depth", "code", "tables", "images", "embeds")
_SHORTCODE = re.compile(r"\[(?:caption|gallery|embed|audio|video)\b")
_VIDEO_LINE = re.compile(
    r"^\s*(?:<p>)?\s*https?://(?:www\.)?(?:youtube\.com|youtu\.be|vimeo\.com)/\S+\s*(?:</p>)?\s*$", re.M
)


class Structure(HTMLParser):
    """Lists that have items (and their depth), <pre>, tables, images, embeds, scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: Counter[str] = Counter()
        self.lists: list[bool] = []
        self.noscript = 0  # inside <noscript>: a lazy image's twin, not a second picture

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "noscript":
            self.noscript += 1
        elif self.noscript:
            return
        elif tag in ("ul", "ol"):
            self.lists.append(False)
        elif tag == "li" and self.lists and not self.lists[-1]:
            self.lists[-1] = True
            self.counts["lists"] += 1
            self.counts["depth"] = max(self.counts["depth"], sum(self.lists))
        elif tag == "pre":
            self.counts["code"] += 1
        elif tag == "table":
            self.counts["tables"] += 1
        elif tag == "img":
            self.counts["images"] += 1
        elif tag in ("iframe", "video", "audio"):
            self.counts["embeds"] += 1
        elif tag == "script":
            self.counts["scripts"] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "noscript" and self.noscript:
            self.noscript -= 1
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()


def counts(html: str) -> Counter[str]:
    parser = Structure()
    parser.feed(html)
    return parser.counts


def source_counts(post: import_formats.OldPost) -> Counter[str]:
    """What the old page showed: its HTML, plus what WordPress expands (galleries, embeds), plus
    the player of each audio or video enclosure that the text does not already play (a podcast
    host's player iframe is that player)."""
    found = counts(post.html)
    media = [e for e in post.enclosures if e.type.startswith(("audio/", "video/")) or e.url.endswith(".mp3")]
    unplayed = [e for e in media if e.url.split("?", 1)[0] not in post.html]
    players = len(re.findall(r"<iframe[^>]+(?:libsyn|anchor\.fm|podbean|buzzsprout|simplecast)", post.html))
    found["embeds"] += max(0, len(unplayed) - players)
    if post.wordpress:
        for match in re.finditer(r"\[gallery([^\]]*)\]", post.html):
            ids = re.search(r'ids="([^"]+)"', match.group(1))
            chosen = ids.group(1).split(",") if ids else post.children
            found["images"] += sum(1 for i in chosen if i.strip() in post.attachments)
        found["embeds"] += len(re.findall(r"\[(?:embed|audio|video)\b", post.html))
        found["embeds"] += len(_VIDEO_LINE.findall(post.html))
    return found


def defects(html: str) -> Counter[str]:
    prose = re.sub(r"<pre\b.*?</pre>", "", html, flags=re.S)
    return Counter(
        {
            "backslash breaks": len(re.findall(r"\\\s*(?:<br|\n)", prose)),
            "shortcodes as text": len(_SHORTCODE.findall(prose)),
            "live scripts": counts(html)["scripts"],
        }
    )


@dataclass
class Outcome:
    """One tool on one fixture: rendered bodies by source post index, what else it published,
    and each imported post's date and slug (by source post index)."""

    bodies: dict[int, str] = field(default_factory=dict)
    extra: int = 0  # published pages that are not a public post of the source
    note: str = ""
    dates: dict[int, dt.datetime] = field(default_factory=dict)
    slugs: dict[int, str] = field(default_factory=dict)


_CLEAN_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def clean_slug(slug: str) -> bool:
    """A slug a reader would write: words, not a file name (-html), Medium's id, a path or a number."""
    return (
        bool(_CLEAN_SLUG.match(slug))
        and not re.search(r"-(?:html?|php|mp3)$|-[0-9a-f]{10,}$|^\d{4}-?\d{2}-?\d{2}", slug)
        and not slug.replace("-", "").isdigit()
    )


def load(fixture: Path) -> import_formats.Source:
    """The fixture as the kit reads it (a folder is an unpacked Substack or Medium export)."""
    if fixture.is_dir():
        return import_sources.read_folder(fixture)
    return import_sources.read(fixture.read_bytes(), fixture, tz=dt.UTC)


# Fixtures that are not exports: the migration tools' test context holding Ghost 4 Mobiledoc documents,
# which the tests read from inside (SOURCES.md).
NOT_EXPORTS = {"ghost-4-mobiledoc-media.json", "blogger-api-posts.json"}  # refused, by design


def fixtures() -> list[str]:
    """Every export and feed in tests/fixtures/import: XML and JSON files, and export folders."""
    return sorted(
        p.name
        for p in FIXTURES.iterdir()
        if p.name not in NOT_EXPORTS
        and (p.suffix in (".xml", ".json") or (p.is_dir() and p.name != "__pycache__"))
    )


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900)


def _key(title: str) -> str:
    return " ".join(html_mod.unescape(title).split()).casefold()


def _element(page: str, marker: str) -> str:
    """The whole element whose start tag holds ``marker`` (nested ones of its kind included), not
    what the theme puts after it (tags, share links): the question and answer alone."""
    start = page.find(marker)
    if start < 0:
        return ""
    start = page.rfind("<", 0, start)
    name = re.match(r"<(\w+)", page[start:]).group(1)  # type: ignore[union-attr]
    depth = 0
    for tag in re.finditer(rf"<(/?){name}\b[^>]*>", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page[start : start + tag.end()]
    return page[start:]


def floor_import(fixture: Path, work: Path, posts: list[import_formats.OldPost]) -> Outcome:
    site = work / "floor-site"
    _run([str(BIN / "floor"), "init", str(site), "--title", "Ask Bench", "--author", "Bench"])
    done = _run([str(BIN / "floor"), "import", str(fixture), "--all"], cwd=site)
    if done.returncode != 0:
        return Outcome(note=f"refused: {done.stderr.strip()[:120]}")
    built = _run([str(BIN / "floor"), "build"], cwd=site)
    if built.returncode != 0:
        return Outcome(note=f"build failed: {built.stderr.strip()[:120]}")
    by_id = {ident: i for i, ident in enumerate(importer.intake_ids(posts))}
    outcome = Outcome()
    for md in sorted((site / "content" / "floor").glob("*.md")):
        text = md.read_text(encoding="utf-8")
        ident = re.search(r"^intake_id: (.+)$", text, re.M)
        page = (site / "output" / "floor" / md.stem / "index.html").read_text(encoding="utf-8")
        body = _element(page, 'class="floor-qa"')
        index = by_id.get(yaml.safe_load(ident.group(1))) if ident else None
        if index is None:
            outcome.extra += 1
        else:
            outcome.bodies[index] = body
            meta = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
            outcome.dates[index] = meta["date"]
            outcome.slugs[index] = md.stem
    return outcome


PELICAN_CONF = """
PATH = "content"
SITEURL = "https://example.org"  # plugins installed beside Pelican (SEO) require one
TIMEZONE = "UTC"
ARTICLE_URL = ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "pages/{slug}.html"
DEFAULT_DATE = "fs"
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TAG_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
# the theme test data has tags (and, joined by pelican-import, a category) too long for a file name
CATEGORY_REGEX_SUBSTITUTIONS = TAG_REGEX_SUBSTITUTIONS = [
    (r"[^\\w\\s-]", ""),
    (r"(?u)\\A\\s*", ""),
    (r"(?u)\\s*\\Z", ""),
    (r"[-\\s]+", "-"),
    (r"^(.{60}).*$", r"\\1"),
]
"""


def pelican_import(fixture: Path, work: Path, kind: str, posts: list[import_formats.OldPost]) -> Outcome:
    if shutil.which("pandoc") is None:
        return Outcome(note="not run: pandoc is missing (scripts/install-system-deps.sh --bench)")
    site = work / "pelican-site"
    content = site / "content"
    content.mkdir(parents=True)
    flags = {
        "WordPress export": "--wpfile",
        "Blogger export": "--blogger",
        "feed": "--feed",
        "Medium export": "--medium",
    }
    flag = next((f for k, f in flags.items() if kind.startswith(k)), None)
    if flag is None:
        return Outcome(note="not read: pelican-import has no reader for this format")
    target = fixture / "posts" if flag == "--medium" else fixture
    done = _run([str(BIN / "pelican-import"), flag, "-m", "markdown", "-o", str(content), str(target)])
    if done.returncode != 0:
        return Outcome(note=f"refused: {done.stderr.strip().splitlines()[-1][:120] if done.stderr else '?'}")
    (site / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    built = _run([str(BIN / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py", "-q"], cwd=site)
    if built.returncode != 0:
        return Outcome(note=f"build failed: {(built.stderr or built.stdout).strip()[-160:]}")
    wanted: dict[str, list[int]] = {}
    for i, post in enumerate(posts):
        wanted.setdefault(_key(post.title), []).append(i)
    by_slug = {p.slug: i for i, p in enumerate(posts) if p.slug}  # pelican-import keeps the old slug
    outcome = Outcome()
    # its Markdown files say each post's title, date and slug
    metadata: dict[int, tuple[dt.datetime | None, str]] = {}
    for md in sorted(content.rglob("*.md")):
        head = md.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
        meta = dict(re.findall(r"^(\w+): (.*)$", head, re.M))
        if meta.get("Status", "published") != "published":
            continue
        slug = meta.get("Slug") or md.stem
        index = by_slug.get(slug)
        slot = wanted.get(_key(meta.get("Title", "")))
        if index is None and slot:
            index = next((i for i in slot if i not in metadata), None)
        if index is not None and index not in metadata:
            try:
                moment = dt.datetime.strptime(meta.get("Date", ""), "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
            except ValueError:
                moment = None
            metadata[index] = (moment, slug)
    for index, (moment, slug) in metadata.items():
        if moment is not None:
            outcome.dates[index] = moment
        outcome.slugs[index] = slug
    for page in sorted((site / "output").rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if (
            'class="entry-content"' not in text
            or "/category/" in page.as_posix()
            or "/tag/" in page.as_posix()
        ):
            continue
        if page.parent.name in ("author", "drafts") or re.search(
            r"index\d*\.html$|archives\.html", page.name
        ):
            continue
        title = re.search(r'<h1 class="entry-title">\s*<a [^>]*>(.*?)</a>', text, re.S) or re.search(
            r'<h1 class="entry-title">(.*?)</h1>', text, re.S
        )
        start = text.index('class="entry-content"')
        body = text[start : text.find("<!-- /.entry-content -->", start)]
        index = by_slug.get(page.stem)
        slot = wanted.get(_key(re.sub(r"<[^>]+>", "", title.group(1)))) if title else None
        if index is None and slot:
            index = next((i for i in slot if i not in outcome.bodies), None)
        if index is not None and index not in outcome.bodies:
            outcome.bodies[index] = body
        else:
            outcome.extra += 1
    return outcome


def table(name: str, source: import_formats.Source, outcomes: dict[str, Outcome]) -> str:
    posts = source.posts
    want = [source_counts(p) for p in posts]
    total = Counter()
    for c in want:
        for k in KEYS:
            total[k] = max(total[k], c[k]) if k == "depth" else total[k] + c[k]
    tools = list(outcomes)
    rows = [
        f"### {name} ({source.format})",
        "",
        "| | source | " + " | ".join(tools) + " |",
        "|---" * (len(tools) + 2) + "|",
    ]
    got: dict[str, list[Counter[str]]] = {
        t: [counts(o.bodies[i]) if i in o.bodies else Counter() for i in range(len(posts))]
        for t, o in outcomes.items()
    }

    def cell(tool: str, key: str) -> str:
        values = got[tool]
        return str(
            max((v[key] for v in values), default=0) if key == "depth" else sum(v[key] for v in values)
        )

    rows.append(
        f"| public posts imported | {len(posts)} | "
        + " | ".join(str(len(o.bodies)) for o in outcomes.values())
        + " |"
    )
    rows.append(
        "| other entries published (drafts, pages, comments …) | 0 | "
        + " | ".join(str(o.extra) for o in outcomes.values())
        + " |"
    )
    for key in KEYS:
        label = "deepest list" if key == "depth" else key
        rows.append(f"| {label} | {total[key]} | " + " | ".join(cell(t, key) for t in tools) + " |")
    faithful = {
        t: sum(
            1
            for i in range(len(posts))
            if i in outcomes[t].bodies
            and all(got[t][i][k] == want[i][k] for k in KEYS if k != "images")
            and got[t][i]["images"] >= want[i]["images"]
        )
        for t in tools
    }
    rows.append(
        f"| posts keeping every count | {len(posts)} | " + " | ".join(str(faithful[t]) for t in tools) + " |"
    )
    for defect in ("backslash breaks", "shortcodes as text", "live scripts"):
        sums = [sum((defects(b)[defect] for b in o.bodies.values()), 0) for o in outcomes.values()]
        rows.append(f"| {defect} | 0 | " + " | ".join(str(s) for s in sums) + " |")
    notes = [f"{t}: {o.note}" for t, o in outcomes.items() if o.note]
    return "\n".join(rows + (["", *notes] if notes else []))


def _pandoc(html: str) -> str:
    done = subprocess.run(
        ["pandoc", "--from=html", "--to=markdown-smart", "--wrap=none"],
        input=html,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


def converters() -> dict[str, object]:
    """name → HTML-to-Markdown function, for those installed."""
    from from_the_floor.intake import html_markdown
    from markdownify import MarkdownConverter

    found: dict[str, object] = {
        "kit (markdownify, configured)": None,  # convert_post, with the post's attachments
        "markdownify as before": lambda h: MarkdownConverter(
            heading_style="ATX", bullets="-", escape_misc=False, newline_style="backslash"
        ).convert(h),
    }
    try:
        import html_to_markdown

        options = html_to_markdown.ConversionOptions(list_indent_width=4)
        found["html-to-markdown (4-space lists)"] = lambda h: html_to_markdown.convert(h, options).content
    except ImportError:
        pass
    if shutil.which("pandoc"):
        found["pandoc (markdown)"] = _pandoc
    del html_markdown
    return found


def converter_table() -> str:
    from from_the_floor.intake import html_markdown
    from from_the_floor.web import render

    tools = converters()
    rows = [
        "| fixture | posts | " + " | ".join(tools) + " |",
        "|---" * (len(tools) + 2) + "|",
    ]
    totals = Counter()
    for fixture in (FIXTURES / name for name in fixtures()):
        source = load(fixture)
        if not source.posts:
            continue
        cells = []
        for name, convert in tools.items():
            kept = broken = 0
            for post in source.posts:
                if convert is None:
                    markdown = html_markdown.convert_post(
                        post.html,
                        wordpress=post.wordpress,
                        attachments=post.attachments,
                        children=post.children,
                    ).markdown
                else:
                    text = html_markdown.autop(post.html) if post.wordpress else post.html
                    markdown = convert(html_markdown.strip_comments(text))  # type: ignore[operator]
                page = render.author_markdown(markdown)
                want, got = source_counts(post), counts(page)
                if all(got[k] == want[k] for k in KEYS if k != "images") and got["images"] >= want["images"]:
                    kept += 1
                broken += sum(defects(page).values())
            totals[name, "kept"] += kept
            totals[name, "broken"] += broken
            cells.append(f"{kept} kept, {broken} defects")
        rows.append(f"| {fixture.name} | {len(source.posts)} | " + " | ".join(cells) + " |")
    rows.append(
        "| all | | "
        + " | ".join(f"{totals[n, 'kept']} kept, {totals[n, 'broken']} defects" for n in tools)
        + " |"
    )
    return "\n".join(rows)


def kept(post: import_formats.OldPost, body: str | None) -> bool:
    """The rendered post has the source's lists, depth, code, tables and embeds, and its images."""
    if body is None:
        return False
    want, got = source_counts(post), counts(body)
    return all(got[k] == want[k] for k in KEYS if k != "images") and got["images"] >= want["images"]


def summary_row(name: str, source: import_formats.Source, outcomes: dict[str, Outcome]) -> str:
    cells = []
    for outcome in outcomes.values():
        if outcome.note and not outcome.bodies:
            cells.append(outcome.note.split(":")[0])
            continue
        good = sum(kept(p, outcome.bodies.get(i)) for i, p in enumerate(source.posts))
        broken = sum(sum(defects(b).values()) for b in outcome.bodies.values())
        cells.append(f"{good} / {outcome.extra} / {broken}")
    return f"| {name} | {len(source.posts)} | " + " | ".join(cells) + " |"


def same_minute(a: dt.datetime, b: dt.datetime) -> bool:
    return a.astimezone(dt.UTC).replace(second=0, microsecond=0) == b.astimezone(dt.UTC).replace(
        second=0, microsecond=0
    )


def platform_row(name: str, source: import_formats.Source, outcomes: dict[str, Outcome]) -> str:
    """Per tool: public posts imported, other entries published, dates right, clean slugs, posts kept."""
    cells = []
    for outcome in outcomes.values():
        if outcome.note and not outcome.bodies and not outcome.dates:
            cells.append(outcome.note.split(":")[0])
            continue
        imported = len(set(outcome.bodies) | set(outcome.dates))
        dates = sum(same_minute(d, source.posts[i].date) for i, d in outcome.dates.items())
        slugs = sum(clean_slug(s) for s in outcome.slugs.values())
        good = sum(kept(p, outcome.bodies.get(i)) for i, p in enumerate(source.posts))
        cells.append(f"{imported} / {outcome.extra} / {dates} / {slugs} / {good}")
    return f"| {name} | {source.format} | {len(source.posts)} | " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fixtures", nargs="*", help="file names in tests/fixtures/import (default: all)")
    parser.add_argument("--keep", type=Path, help="keep the sites in this folder")
    parser.add_argument("--converters", action="store_true", help="compare the converters alone")
    args = parser.parse_args()
    if args.converters:
        print(converter_table())
        return 0
    names = args.fixtures or fixtures()
    platforms = [
        "| fixture | format (as the kit reads it) | public posts in the file "
        "| floor import: imported / other published / dates right / clean slugs / kept "
        "| pelican-import: imported / other published / dates right / clean slugs / kept |",
        "|---|---|---|---|---|",
    ]
    summary = [
        "| fixture | public posts | floor import: kept / other published / defects "
        "| pelican-import: kept / other published / defects |",
        "|---|---|---|---|",
    ]
    for name in names:
        fixture = FIXTURES / name
        source = load(fixture)
        work = Path(tempfile.mkdtemp(prefix="bench-import-", dir=args.keep))
        try:
            outcomes = {
                "floor import": floor_import(fixture, work, source.posts),
                "pelican-import": pelican_import(fixture, work, source.format, source.posts),
            }
            print(table(name, source, outcomes), end="\n\n", flush=True)
            summary.append(summary_row(name, source, outcomes))
            platforms.append(platform_row(name, source, outcomes))
        finally:
            if args.keep is None:
                shutil.rmtree(work, ignore_errors=True)
    print("\n".join(summary))
    print()
    print("\n".join(platforms))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
