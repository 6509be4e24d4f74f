"""The desk's page of a queued question, and its whole-page preview, in Debian's Chromium, for questions
whose every field is a hostile string (tests/helpers_hostile.py: a sample of the Big List of Naughty
Strings by kind, and strings aimed at headers): no script runs, no markup is taken as markup, the
page does not scroll sideways, and the page's own forms (Save, Update scheduling) still work after
it, changing nothing the author did not change.

The reader's fields (the question, the name, the details and a tag) hold the strings; the answers
are the author's own words, which may hold markup by design. The question files are written with
the strings exactly as they are (YAML escapes for control characters), as a file edited by hand
could hold them: nothing on the way has cleaned them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from from_the_floor.core.site import Site  # noqa: E402
from from_the_floor.desk import server  # noqa: E402
from helpers_floor import ok, run_floor, write_question  # noqa: E402
from helpers_hostile import sample, yaml_value  # noqa: E402

TODAY = "2026-11-09"
STRINGS = sample(per_kind=2)
PREVIEWED = 4  # the whole-page preview runs Pelican: a few questions of the sample, not all
WORD = re.compile(r"[A-Za-z0-9]{3,}")
# records any dialog a string's script would open, and any element or attribute that runs script
WATCH = """
window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__ran.push(name + ': ' + args.join(' ')); };
}
"""
ACTIVE = """() => {
  const found = [];
  const foreign = (url) => { try { return new URL(url, location.href).origin !== location.origin; }
                             catch (e) { return true; } };
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    const inert = ['object', 'embed', 'img', 'svg', 'base', 'frame', 'math', 'video', 'audio'];
    if (inert.includes(tag)) found.push(tag);
    if (tag === 'script' && !(el.getAttribute('src') && !foreign(el.getAttribute('src')))
        && el.type !== 'application/ld+json') found.push('script: ' + el.outerHTML.slice(0, 80));
    if (tag === 'iframe' && foreign(el.getAttribute('src'))) found.push('iframe ' + el.src);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(tag + ' ' + attr.name);
      if (tag === 'link' && attr.value === 'data:,') continue;  // the theme's own empty icon
      if (['href', 'src', 'action', 'formaction'].includes(attr.name)
          && /^\\s*(javascript|data|vbscript):/i.test(attr.value))
        found.push(tag + ' ' + attr.name + '=' + attr.value);
    }
  }
  return found;
}"""

# the innermost elements that reach past the window's right edge, for the message of a failure
OVERFLOWING = """() => {
  const found = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    if (right > innerWidth + 1) found.push(node.parentElement.tagName.toLowerCase() + '.'
                                           + node.parentElement.className + ' ' + Math.round(right));
  }
  return found;
}"""


def _asked(s: str, i: int) -> str:
    return s if s.strip() else f"Blank question {i}?"


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    ok(run_floor("init", root, "--no-git", "--title", "Hostile Desk", "--author", "Ada", cwd=tmp_path))
    for i, s in enumerate(STRINGS):
        text = "---\n" + "".join(
            f"{key}: {value}\n"
            for key, value in {
                "question": yaml_value(_asked(s, i)),
                "asked": "2026-11-01",
                "asker": yaml_value(s),
                "credit": "true",
                "details": yaml_value(s),
                "tags": f"[{yaml_value(s)}, plain]",
                "quick_answer": "The author's quick answer.",  # the answers are the author's own
            }.items()
        )
        write_question(site := root, f"q-{i:02d}", text + "---\nThe author's *longer* answer.\n")
    return site


def test_a_question_of_hostile_strings_is_shown_as_text_and_its_forms_still_work(
    browser, site: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    with server.running(Site(site), 0, today=TODAY) as desk:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
        context.set_default_timeout(20_000)
        context.add_init_script(WATCH)
        page = context.new_page()
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(desk.url)  # the queue lists every question: it does not scroll sideways either
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, page.evaluate(OVERFLOWING)
        base = f"http://127.0.0.1:{desk.port}"
        for i, s in enumerate(STRINGS):
            qid, where = f"q-{i:02d}", f"string {i}: {s[:60]!r}"
            path = site / "questions" / f"{qid}.md"
            before = _front(path)
            page.goto(f"{base}/q/{qid}")
            heading = page.locator("h1.question-title")
            # the question is the heading's text, and nothing but text
            assert heading.locator("*").count() == 0, where
            shown = " ".join(heading.inner_text().split())
            for word in WORD.findall(_asked(s, i)):
                assert word in shown, (where, word, shown)
            details = page.locator(".reader-text").first
            assert details.locator("*").count() == 0, where
            assert page.evaluate(ACTIVE) == [], where
            wide = page.evaluate("document.documentElement.scrollWidth")
            over = page.evaluate(OVERFLOWING) if wide > 1280 else []
            assert wide <= 1280, (where, f"the page scrolls sideways: {wide} px", over)
            if i < PREVIEWED:  # the post as readers will see it, made by Pelican in the desk
                frame = page.frame_locator("#preview-frame")
                expect(frame.locator(".floor-quick-answer")).to_be_visible(timeout=120_000)
                preview = page.frame(url=re.compile(r"/preview$"))
                assert preview is not None and preview.evaluate(ACTIVE) == [], where
                assert preview.evaluate("window.__ran || []") == [], where
            assert page.evaluate("window.__ran") == [], where

            # the page's own forms: scheduling (an untouched Tags field keeps the tags as they are)
            page.get_by_label("Priority").fill("2")
            page.get_by_role("button", name="Update scheduling").click()
            expect(page.get_by_role("status").first).to_contain_text(f"{qid}:")
            after = _front(path)
            assert after.get("priority") == 2, (where, after.get("priority"))
            assert after["tags"] == before["tags"], (where, before["tags"], after["tags"])
            # then Save, with an answer typed in
            page.get_by_label("Quick answer").fill("Saved at the desk.")
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_role("status").first).to_contain_text(re.compile(r"Saved\. “"))
            after = _front(path)
            assert after["quick_answer"] == "Saved at the desk.", where
            for key in ("question", "asker", "details", "tags"):
                assert after.get(key) == before.get(key), (where, key, before.get(key), after.get(key))
            assert page.evaluate("window.__ran") == [], where
        context.close()
    assert not problems, problems
