"""`floor push` (and the desk's Push) send commits only: what is saved but not committed is named."""

from __future__ import annotations

from pathlib import Path

from helpers_publish import add_question, floor, git, git_init, new_site, ok


def test_push_names_answers_and_posts_that_are_in_no_commit(tmp_path: Path) -> None:
    """An answer saved at the desk (or by `floor answer`) and posts brought in by an import are
    files on this computer; a push sends commits, so the weekly job never saw them and nothing
    said so. The push now names them and says to commit them first."""
    site = new_site(tmp_path / "site")
    git_init(site)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(site, "remote", "add", "origin", str(remote))
    first = ok(floor(site, "push"))
    assert "not sent" not in first  # everything is committed
    add_question(site, "answered-here", asked="2026-11-01")
    said = ok(floor(site, "push"))
    assert "not sent: 1 question or post file(s) changed here are in no commit" in said
    assert "questions/answered-here.md" in said and "Commit them first" in said
    assert "answered-here" not in git(remote, "ls-tree", "-r", "--name-only", "main")  # indeed not sent
    git(site, "add", "questions")
    git(site, "commit", "--quiet", "-m", "Answer")
    sent = ok(floor(site, "push"))
    assert "not sent" not in sent
    assert "questions/answered-here.md" in git(remote, "ls-tree", "-r", "--name-only", "main")
