"""A Save while another command (`floor publish`) holds the site lock: told, nothing lost, a retry saves."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from from_the_floor.core.site import Site
from from_the_floor.desk import app
from helpers_desk import desk

HOLD = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.read()
lock.release()
"""


@pytest.fixture
def hold_lock(site: Path):
    """Another process holding the site lock (as a running `floor publish` does) until released."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(Site(site).lock_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"

    def release() -> None:
        holder.stdin.close()
        holder.wait(timeout=30)

    yield release
    if holder.poll() is None:
        release()


def _form(page: str) -> dict[str, str]:
    return {
        "csrf": re.search(r'name="csrf-token" content="([0-9a-f]+)"', page).group(1),
        "digest": re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1),
    }


def test_a_save_while_the_site_is_busy_says_so_keeps_the_text_and_a_retry_saves(
    site: Path, make_question, hold_lock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, the Save waited with no word for as long as the lock was held (up to two minutes)."""
    monkeypatch.setattr(app, "LOCK_WAIT", 0.5, raising=False)  # (the desk waits 5 s before it says so)
    path = make_question(site, "q", "Is the desk patient?")
    before = path.read_bytes()
    with desk(site) as client:
        client.sign_in()
        form = _form(client.get("/q/q").text)
        typed = {**form, "quick": "Yes, <em>now</em>.", "body": "It waits for the publish.\n"}
        reply = client.post("/q/q/save", typed)
        assert reply.status == 503
        page = reply.text
        assert "Not saved yet: the site is busy." in page and "waited 0.5 seconds" in page
        assert 'role="alert" id="busy" tabindex="-1" autofocus>' in page  # read first
        assert 'value="Yes, &lt;em&gt;now&lt;/em&gt;."' in page  # the typed text, in the fields
        assert ">It waits for the publish.\n</textarea>" in page
        assert _form(page)["digest"] == form["digest"]  # the digest it was typed against
        assert 'id="answer-form" data-unsaved' in page  # leaving the page asks first
        assert path.read_bytes() == before  # nothing written

        hold_lock()  # the publish is done: Save again, from the page it gave back
        again = client.post("/q/q/save", {**typed, **_form(page)})
        assert again.status == 303, again.text
        assert "Saved." in client.get(again.headers["location"]).text
    text = path.read_text(encoding="utf-8")
    assert "quick_answer: Yes, <em>now</em>." in text and "It waits for the publish." in text


def test_a_published_post_s_quick_answer_saved_while_busy_is_kept_too(
    site: Path, make_question, hold_lock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "LOCK_WAIT", 0.5, raising=False)
    post = site / "content" / "floor" / "old.md"
    post.write_text(
        "---\nquestion: Was this imported?\nasked: 2026-01-01\nnumber: 1\ndate: 2026-01-05T09:00:00+00:00\n"
        "quick_answer:\n---\nYes.\n",
        encoding="utf-8",
    )
    before = post.read_bytes()
    with desk(site) as client:
        client.sign_in()
        form = _form(client.get("/q/old").text)
        reply = client.post("/q/old/save", {**form, "quick": "It was."})
        assert reply.status == 503 and "Not saved yet: the site is busy." in reply.text
        assert 'value="It was."' in reply.text and 'id="post-form" data-unsaved' in reply.text
        assert post.read_bytes() == before
        hold_lock()
        assert client.post("/q/old/save", {**form, "quick": "It was."}).status == 303
    assert "quick_answer: It was." in post.read_text(encoding="utf-8")
