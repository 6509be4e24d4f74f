"""The second build of the demo site that test_comments_and_safety.py drives (see conftest.py)."""

from __future__ import annotations

BREAKOUT = "</script><script>alert(1)</script>"
ISSO_URL = "https://comments.invalid/isso/"
VARIANT_SETTINGS = f"""

# tests/browser: comments through Isso, asking through GitHub issues
FLOOR_COMMENTS = "isso"
FLOOR_ISSO = {{"url": "{ISSO_URL}"}}
FLOOR_ASK_CHANNEL = "github"
FLOOR_ASK_GITHUB_REPO = "example/column"
"""
HOSTILE_POST = f"""---
question: 'Can I write {BREAKOUT} here?'
asked: 2026-11-20
asker: '{BREAKOUT}'
credit: true
source: form
tags: [safety]
details: 'Or `<!-- {BREAKOUT}` here?'
quick_answer: You can write it; it stays text.
title: "From the Floor #5: Can I write a script here?"
date: 2026-11-24T09:00:00+00:00
number: 5
slug: can-i-write-a-script-here
---
Everything a reader writes is shown as text, in the page and in its structured data.
"""
