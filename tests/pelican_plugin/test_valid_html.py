"""Every page type a built column has passes the Nu HTML Checker (vnu, the W3C's validator).

vnu.jar comes from npm's vnu-jar (package.json, `npm ci` in scripts/install-system-deps.sh) and
runs on Debian's Java (default-jre-headless, installed by the same script when java is missing).
A generated `floor init` column (twelve posts: two list pages, tags, the kit's theme) is built
with each way readers ask and with comments on, so the Ask page's three forms and the comment
section are checked too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers_build import generated_site
from helpers_floor import REPO, ok, run_floor

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TODAY = "2026-11-25"

# every page type, as a path in output/ (a folder means its index.html)
PAGE_TYPES = [
    "index.html",
    "404.html",
    "archives/index.html",
    "tags/index.html",
    "about/index.html",
    "ask/index.html",
    "stats/index.html",
    "search/index.html",
    "comment-policy/index.html",
]

ASK_WAYS = {
    "mailto": 'FLOOR_ASK_CHANNEL = "mailto"\nFLOOR_ASK_EMAIL = "questions@example.org"\n',
    "form": 'FLOOR_ASK_CHANNEL = "form"\nFLOOR_ASK_FORM_URL = "https://forms.example.org/q"\n',
    "github": 'FLOOR_ASK_CHANNEL = "github"\nFLOOR_ASK_GITHUB_REPO = "ada/column"\n',
}
COMMENTS = (
    'FLOOR_COMMENTS = "giscus"\n'
    'FLOOR_GISCUS = {"repo": "ada/column", "repo-id": "R_1", "category": "Q", "category-id": "C_1"}\n'
)


def _vnu() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        message = "the Nu HTML Checker needs java and node_modules/vnu-jar: run `make system-deps`"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return [java, "-Xss8m", "-jar", str(VNU)]


@pytest.mark.parametrize("way", sorted(ASK_WAYS))
def test_every_page_type_passes_the_nu_html_checker(tmp_path: Path, way: str) -> None:
    vnu = _vnu()
    site = generated_site(tmp_path / "gen", 12)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nFLOOR_SEARCH = True\n" + ASK_WAYS[way] + (COMMENTS if way == "github" else ""))
    ok(run_floor("build", site=site, today=TODAY))
    output = site / "output"
    pages = sorted(str(p) for p in output.rglob("*.html"))
    posts = [p for p in pages if "/floor/" in p]
    tags = [p for p in pages if "/tag/" in p]
    assert posts and tags and (output / "index2.html").is_file(), "posts, tag pages, a second list page"
    for page in PAGE_TYPES:
        assert (output / page).is_file(), page
    done = subprocess.run(
        [*vnu, "--format", "json", "--also-check-svg", *pages],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert problems == [], "\n".join(problems)


def test_a_regional_column_states_a_valid_language_tag(tmp_path: Path) -> None:
    """DEFAULT_LANG = "fr_CA" (the gettext form docs/translating.md accepts) is stated as the
    BCP 47 tag "fr-CA" everywhere: <html lang> (vnu refuses "fr_CA"), the JSON Feed, each post's
    JSON-LD inLanguage, the Atom and RSS feeds and the language Pagefind indexes the posts in."""
    vnu = _vnu()
    site = generated_site(tmp_path / "gen", 3)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nDEFAULT_LANG = "fr_CA"\nFLOOR_SEARCH = True\n')
    ok(run_floor("build", site=site, today=TODAY))
    output = site / "output"
    pages = sorted(output.rglob("*.html"))
    post = next(p for p in pages if p.relative_to(output).parts[0] == "floor")
    for page in [output / "index.html", output / "search" / "index.html", output / "404.html", post]:
        # Pelican lowercases DEFAULT_LANG ("fr_ca"): the tag has its region's capitals back
        assert '<html lang="fr-CA">' in page.read_text(encoding="utf-8"), page
    every = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert "fr_CA" not in every
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', post.read_text(), re.S)
    assert script is not None, post
    posting = json.loads(script[1])
    assert posting["inLanguage"] == "fr-CA"
    feed_files = [p for p in output.rglob("*.json") if "pagefind" not in p.parts]
    feeds = [json.loads(p.read_text(encoding="utf-8")) for p in feed_files]
    feeds = [f for f in feeds if isinstance(f, dict) and str(f.get("version", "")).startswith("https://jsonfeed")]
    assert feeds and all(f["language"] == "fr-CA" for f in feeds)
    atom = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert re.search(r'<feed [^>]*xml:lang="fr-CA"', atom[:300]), atom[:300]
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {code.lower() for code in entry["languages"]} == {"fr-ca"}, entry["languages"]
    done = subprocess.run(
        [*vnu, "--format", "json", *map(str, pages)], capture_output=True, text=True, check=False, timeout=900
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    problems = [f"{m.get('url', '')}: {m['message']}" for m in messages if m["type"] == "error"]
    assert problems == [], "\n".join(problems)
