"""A column in a language the kit has no catalogue for, read in a real Chromium: a Japanese
column's search counts its results with English plural rules (its words are English), and an
Arabic column is laid out right to left."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import page_factory, serve
from helpers_floor import ok, question_text, run_floor, write_question

pytestmark = pytest.mark.browser


def _column(root: Path, lang: str, title: str, question: str, answer: str) -> Path:
    site = root / lang
    ok(run_floor("init", site, "--title", title, "--author", "Ada", "--lang", lang, "--no-input"))
    write_question(site, "first", question_text(question, asked="2026-11-02", quick=answer, body=answer))
    ok(run_floor("publish", site=site, today="2026-11-09"))
    ok(run_floor("build", site=site, today="2026-11-09"))
    return site / "output"


def test_one_result_is_one_answer_in_a_japanese_column(browser, tmp_path: Path) -> None:
    """Japanese has one plural form, so its rules chose "1 answers found" from the English words."""
    output = _column(tmp_path, "ja", "なんでも聞いて", "何について書きますか？", "質問に従います。")
    with serve(output) as url, page_factory(browser, url) as new_page:
        page = new_page()
        page.goto("/search/?q=質問")
        page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
        assert page.locator("#search-status").inner_text().startswith("1 answer found"), page.content()


def test_an_arabic_column_reads_right_to_left(browser, tmp_path: Path) -> None:
    output = _column(tmp_path, "ar", "اسألني أي شيء", "كيف تختار ما تكتب عنه؟", "أتبع الأسئلة.")
    with serve(output) as url, page_factory(browser, url) as new_page:
        page = new_page()
        for path in ("/", "/floor/first/", "/ask/", "/search/", "/404.html"):
            page.goto(path)
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl", path
