"""`floor push` (and the desk's Push): the column's own changed files are committed, then sent.

The desk is for authors without a terminal: an answer saved there, a question taken in or a post
imported is only a file until it is committed, and a push sends commits only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers_publish import add_question, floor, git, git_init, new_site, ok, snapshot


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


def _weekly_job(tmp_path: Path, remote: Path, change: Callable[[Path], None], subject: str) -> None:
    """A second clone plays the weekly job: it commits ``change`` and pushes it to the remote."""
    job = tmp_path / "weekly-job"
    if not job.exists():
        git(tmp_path, "clone", "--quiet", "--branch", "main", str(remote), str(job))
    git(job, "pull", "--quiet", "--ff-only")
    change(job)
    git(job, "add", "-A")
    git(job, "-c", "user.name=Bot", "-c", "user.email=bot@example.org", "commit", "-q", "-m", subject)
    git(job, "push", "--quiet")


def _publish(qid: str) -> Callable[[Path], None]:
    """What the weekly job's publish does to a question's file: moved to the posts, numbered, dated."""

    def change(job: Path) -> None:
        text = (job / "questions" / f"{qid}.md").read_text(encoding="utf-8")
        (job / "content" / "floor").mkdir(parents=True, exist_ok=True)
        post = text.replace("quick_answer:", "number: 1\ndate: 2026-11-09T09:00:00+00:00\nquick_answer:", 1)
        (job / "content" / "floor" / f"{qid}.md").write_text(post, encoding="utf-8")
        (job / "questions" / f"{qid}.md").unlink()

    return change


def _post(job: Path) -> None:
    (job / "content" / "floor").mkdir(parents=True, exist_ok=True)
    (job / "content" / "floor" / "weekly.md").write_text("published by the weekly job\n", encoding="utf-8")


def _state(site: Path) -> tuple[str, str, bytes, dict[str, bytes], str]:
    """Branch, commit, git's index (byte for byte), every file, and the stash: all Push may not change."""
    status = git(site, "status", "--porcelain")  # refreshes the index first, so the bytes compare
    index = (site / ".git" / "index").read_bytes()
    return git(site, "symbolic-ref", "HEAD"), git(site, "rev-parse", "HEAD"), index, snapshot(site), status


def test_behind_and_clean_push_brings_the_weekly_job_s_commits_here(tmp_path: Path) -> None:
    site, remote = _site_with_remote(tmp_path)
    _weekly_job(tmp_path, remote, _post, "Publish Weekly")
    said = ok(floor(site, "push"))
    assert "brought in 1 new commit from origin/main first:" in said and "  Publish Weekly" in said
    assert "nothing new to commit" in said
    assert (site / "content" / "floor" / "weekly.md").is_file()
    assert git(site, "rev-parse", "HEAD") == git(remote, "rev-parse", "main")
    assert git(site, "status", "--porcelain") == ""


def test_behind_with_a_local_commit_replays_it_and_the_column_s_changes_on_top(tmp_path: Path) -> None:
    site, remote = _site_with_remote(tmp_path)
    add_question(site, "waiting", asked="2026-11-01")
    ok(floor(site, "push"))
    _weekly_job(tmp_path, remote, _publish("waiting"), "Publish What about waiting?")
    conf = site / "pelicanconf.py"  # the author's own commit, made in a git app, not yet sent
    conf.write_text(conf.read_text(encoding="utf-8") + "# a setting kept\n", encoding="utf-8")
    git(site, "commit", "-q", "-am", "Try a setting")
    add_question(site, "answered-here", asked="2026-11-02")  # saved at the desk, in no commit
    said = ok(floor(site, "push"))
    assert "brought in 1 new commit from origin/main first:" in said
    assert "new: questions/answered-here.md" in said
    log = git(remote, "log", "--format=%s", "main").splitlines()
    assert log[:3] == ["Save the column's questions", "Try a setting", "Publish What about waiting?"]
    sent = _sent(remote)
    assert "questions/answered-here.md" in sent and "content/floor/waiting.md" in sent
    assert "questions/waiting.md" not in sent and "# a setting kept" in git(
        remote, "show", "main:pelicanconf.py"
    )
    assert git(site, "rev-parse", "HEAD") == git(remote, "rev-parse", "main")
    assert not (site / "questions" / "waiting.md").exists() and (site / "content/floor/waiting.md").is_file()


def test_a_conflict_is_aborted_and_the_repository_is_exactly_as_before(tmp_path: Path) -> None:
    site, remote = _site_with_remote(tmp_path)
    add_question(site, "edited", asked="2026-11-01")
    ok(floor(site, "push"))
    _weekly_job(tmp_path, remote, _publish("edited"), "Publish What about edited?")
    path = site / "questions" / "edited.md"  # the author edits the answer the weekly job just published
    path.write_text(
        path.read_text(encoding="utf-8").replace("Short answer", "A better answer"), encoding="utf-8"
    )
    (site / "notes.txt").write_text("mine\n", encoding="utf-8")
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "# staged by hand\n", encoding="utf-8")
    git(site, "add", "pelicanconf.py")
    conf.write_text(conf.read_text(encoding="utf-8") + "# and more, not staged\n", encoding="utf-8")
    before = _state(site)
    done = floor(site, "push")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        "they change the same lines as your changes here to questions/edited.md (the weekly job"
        in done.stderr
    )
    assert "on origin it is now content/floor/edited.md" in done.stderr
    assert "nothing was committed or sent, and your files are as they were" in done.stderr
    assert "Discard in your git app" in done.stderr
    assert _state(site) == before
    assert git(site, "stash", "list") == ""
    assert "questions/edited.md" not in _sent(remote)


def test_uncommitted_work_outside_the_column_is_kept_or_push_stops_first(tmp_path: Path) -> None:
    site, remote = _site_with_remote(tmp_path)
    _weekly_job(tmp_path, remote, _post, "Publish Weekly")
    conf = site / "pelicanconf.py"
    tried = conf.read_text(encoding="utf-8") + "# a setting being tried\n"
    conf.write_text(tried, encoding="utf-8")
    (site / "notes.txt").write_text("my own notes\n", encoding="utf-8")
    theme = site / "publishconf.py"
    theme.write_text(theme.read_text(encoding="utf-8") + "staged by hand\n", encoding="utf-8")
    git(site, "add", theme.name)  # staged, then changed again: both kept, as they were
    theme.write_text(theme.read_text(encoding="utf-8") + "and more, not staged\n", encoding="utf-8")
    staged, unstaged = git(site, "diff", "--cached"), git(site, "diff", "--", theme.name)
    add_question(site, "answered-here", asked="2026-11-01")
    said = ok(floor(site, "push"))
    assert git(site, "diff", "--cached") == staged and git(site, "diff", "--", theme.name) == unstaged
    assert "brought in 1 new commit" in said and "new: questions/answered-here.md" in said
    assert conf.read_text(encoding="utf-8") == tried
    assert (site / "notes.txt").read_text(encoding="utf-8") == "my own notes\n"
    assert git(site, "status", "--porcelain").split("\n")[:3] == [
        " M pelicanconf.py",
        "MM publishconf.py",
        "?? notes.txt",
    ]
    assert git(site, "stash", "list") == ""
    assert "questions/answered-here.md" in _sent(remote) and "notes.txt" not in _sent(remote)

    def settings_and_notes(job: Path) -> None:  # the remote changes the very files kept here
        (job / "pelicanconf.py").write_text("# changed on GitHub\n", encoding="utf-8")
        (job / "notes.txt").write_text("theirs\n", encoding="utf-8")

    _weekly_job(tmp_path, remote, settings_and_notes, "Edit settings")
    add_question(site, "another", asked="2026-11-02")
    before = _state(site)
    done = floor(site, "push")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "they change notes.txt, pelicanconf.py, which you changed here without a commit" in done.stderr
    assert _state(site) == before and git(site, "stash", "list") == ""
    assert "questions/another.md" not in _sent(remote)


def test_a_refused_push_leaves_the_repository_as_it_was_and_says_what_to_do(tmp_path: Path) -> None:
    site, remote = _site_with_remote(tmp_path)
    add_question(site, "answered-here", asked="2026-11-01")
    git(site, "add", "pelicanconf.py")  # something the author staged by hand stays staged
    head, status = git(site, "rev-parse", "HEAD"), git(site, "status", "--porcelain")
    hook = remote / "hooks" / "pre-receive"  # a remote that takes nothing from this computer
    hook.write_text("#!/bin/sh\necho 'permission denied to author' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    done = floor(site, "push")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "not sent: origin did not accept this computer's sign-in" in done.stderr
    assert "Nothing was committed or sent: your files are as they were." in done.stderr
    assert git(site, "rev-parse", "HEAD") == head and git(site, "status", "--porcelain") == status
    hook.unlink()
    _weekly_job(tmp_path, remote, _post, "Publish Weekly")  # the weekly job gets in (its own sign-in)
    hook.write_text("#!/bin/sh\necho 'permission denied to author' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    done = floor(site, "push")  # brought in, then refused: the weekly commit stays, Push's own is undone
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Nothing was sent and your changes are in no commit again" in done.stderr
    assert git(site, "rev-parse", "HEAD") == git(remote, "rev-parse", "main")
    assert "?? questions/answered-here.md" in git(site, "status", "--porcelain")
    git(site, "remote", "set-url", "origin", str(tmp_path / "gone.git"))  # moved, or offline
    head, status = git(site, "rev-parse", "HEAD"), git(site, "status", "--porcelain")
    done = floor(site, "push")
    assert done.returncode == 1 and "origin could not be reached: is this computer online" in done.stderr
    assert "right?." not in done.stderr and "Nothing was committed or sent" in done.stderr
    assert git(site, "rev-parse", "HEAD") == head and git(site, "status", "--porcelain") == status


def test_a_refused_push_never_takes_back_a_commit_that_is_not_push_s_own(tmp_path: Path) -> None:
    """The remote already had the very change Push committed, so git dropped Push's commit as empty
    while replaying: the last commit is the author's own, and a refused push leaves it alone."""
    site, remote = _site_with_remote(tmp_path)
    text = "---\nquestion: Same?\nasked: 2026-11-01\nquick_answer: Yes.\n---\nSame.\n"

    def same(job: Path) -> None:
        (job / "questions" / "same.md").write_text(text, encoding="utf-8")

    _weekly_job(tmp_path, remote, same, "Take in a question")
    (site / "questions" / "same.md").write_text(text, encoding="utf-8")
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "# a setting kept\n", encoding="utf-8")
    git(site, "commit", "-q", "-am", "Try a setting")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'permission denied to author' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    done = floor(site, "push")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "were brought here, and your changes are in commits on this computer" in done.stderr
    assert git(site, "log", "-2", "--format=%s").splitlines() == ["Try a setting", "Take in a question"]
    assert git(site, "status", "--porcelain") == ""


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


def test_push_never_commits_a_kept_message_that_is_not_sealed(tmp_path: Path) -> None:
    """A message intake set aside is kept whole (the reader's mail or form entry, address and
    all); an older kit or a hand copy can leave one unsealed, and the repository is usually public."""
    site, remote = _site_with_remote(tmp_path)
    kept = site / "questions" / "inbox" / "rejected"
    kept.mkdir(parents=True, exist_ok=True)
    mail = "From: Pat <pat@example.org>\nSubject: a question\n\nWhy?\n"
    (kept / "pat-mail.eml").write_text(mail, encoding="utf-8")
    done = floor(site, "push")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "questions/inbox/rejected/pat-mail.eml: is a kept message not sealed yet" in done.stderr
    assert "pat@example.org" not in done.stdout + done.stderr
    assert "pat-mail" not in _sent(remote)
    ok(floor(site, "seal"))
    said = ok(floor(site, "push"))
    assert "questions/inbox/rejected/" in said
    sent = _sent(remote).splitlines()
    plain = "questions/inbox/rejected/pat-mail.eml"
    assert plain not in sent and any(name.startswith(plain) for name in sent)  # only its sealed copy
