"""`floor push` (and the desk's Push): the column's own changed files are committed, then sent.

The desk is for authors without a terminal: an answer saved there, a question taken in or a post
imported is only a file until it is committed, and a push sends commits only.
"""

from __future__ import annotations

from pathlib import Path

from helpers_publish import add_question, floor, git, git_init, new_site, ok


def _site_with_remote(tmp_path: Path) -> tuple[Path, Path]:
    site = new_site(tmp_path / "site")
    git_init(site)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(site, "remote", "add", "origin", str(remote))
    ok(floor(site, "push"))
    return site, remote


def _sent(remote: Path) -> str:
    return git(remote, "ls-tree", "-r", "--name-only", "main")


def test_push_commits_the_column_s_changed_files_and_nothing_else(tmp_path: Path) -> None:
    site, remote = _site_with_remote(tmp_path)
    first = ok(floor(site, "push"))
    assert "nothing new to commit" in first
    add_question(site, "answered-here", asked="2026-11-01")  # saved at the desk, in no commit
    (site / "content" / "floor").mkdir(parents=True, exist_ok=True)
    add_question(
        site, "imported", asked="2026-01-01", date="2026-01-05T09:00:00+00:00", number="1", title="Imported"
    )
    (site / "questions" / "imported.md").rename(site / "content" / "floor" / "imported.md")
    (site / "notes.txt").write_text("my own notes, not the column's\n", encoding="utf-8")
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "# a setting being tried\n", encoding="utf-8")
    said = ok(floor(site, "push"))
    assert "committed: Save the column's questions and posts" in said
    assert "new: questions/answered-here.md" in said and "new: content/floor/imported.md" in said
    sent = _sent(remote)
    assert "questions/answered-here.md" in sent and "content/floor/imported.md" in sent
    assert "notes.txt" not in sent
    left = git(site, "status", "--porcelain")
    assert "notes.txt" in left and "pelicanconf.py" in left  # the author's own files: not the column's
    message = git(site, "log", "-1", "--format=%B")
    assert "- new: questions/answered-here.md" in message
    # a question removed (declined and deleted by hand, or merged) is committed as removed
    (site / "questions" / "answered-here.md").unlink()
    said = ok(floor(site, "push"))
    assert "committed: Save the column's questions" in said and "removed: questions/answered-here.md" in said
    assert "questions/answered-here.md" not in _sent(remote)


def test_a_refused_push_leaves_the_repository_as_it_was_and_says_what_to_do(tmp_path: Path) -> None:
    site, remote = _site_with_remote(tmp_path)
    elsewhere = tmp_path / "weekly-job"  # the weekly job publishes and commits on the remote
    git(tmp_path, "clone", "--quiet", "--branch", "main", str(remote), str(elsewhere))
    (elsewhere / "published.txt").write_text("x\n", encoding="utf-8")
    git(elsewhere, "add", "-A")
    git(elsewhere, "-c", "user.name=Bot", "-c", "user.email=bot@example.org", "commit", "-q", "-m", "Publish")
    git(elsewhere, "push", "--quiet")
    add_question(site, "answered-here", asked="2026-11-01")
    git(site, "add", "pelicanconf.py")  # something the author staged by hand stays staged
    head, status = git(site, "rev-parse", "HEAD"), git(site, "status", "--porcelain")
    done = floor(site, "push")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "not sent: origin has commits this computer does not have yet" in done.stderr
    assert "Nothing was committed or sent: your files are as they were." in done.stderr
    assert git(site, "rev-parse", "HEAD") == head and git(site, "status", "--porcelain") == status
    git(site, "remote", "set-url", "origin", str(tmp_path / "gone.git"))  # moved, or offline
    done = floor(site, "push")
    assert done.returncode == 1 and "origin could not be reached: is this computer online" in done.stderr
    assert "right?." not in done.stderr and "Nothing was committed or sent" in done.stderr
    assert git(site, "rev-parse", "HEAD") == head and git(site, "status", "--porcelain") == status


def test_push_never_commits_a_contact_in_plain_text_or_a_broken_file(tmp_path: Path) -> None:
    site, remote = _site_with_remote(tmp_path)
    add_question(site, "plain", asked="2026-11-01", contact="pat@example.org")
    done = floor(site, "push")
    assert done.returncode == 1
    assert "questions/plain.md: contact: a reader's contact is in plain text" in done.stderr
    assert "pat@example.org" not in done.stdout + done.stderr
    assert "plain.md" in git(site, "status", "--porcelain") and "plain.md" not in _sent(remote)
    ok(floor(site, "seal"))
    (site / "questions" / "broken.md").write_text("---\nquestion: [unclosed\n---\n", encoding="utf-8")
    done = floor(site, "push")
    assert done.returncode == 1 and "broken.md" in done.stderr and "Traceback" not in done.stderr
    assert "plain.md" not in _sent(remote)
    (site / "questions" / "broken.md").unlink()
    said = ok(floor(site, "push"))
    assert "new: questions/plain.md" in said and "questions/plain.md" in _sent(remote)
    assert "pat@example.org" not in git(remote, "show", "main:questions/plain.md")
