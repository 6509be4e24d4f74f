"""Git for the kit: the commits `floor publish --commit` makes, a new site's first commit, and
what git tracks.

The weekly job runs on a fresh checkout where nobody configured git, so a
missing identity falls back to the GitHub Actions bot (or a plain "From the
Floor" author elsewhere) instead of failing after the posts were written. A
new site's first commit is the author's own, so there it is never invented.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import journal, withdrawn
from ..core.site import Site
from ..errors import FloorError

if TYPE_CHECKING:
    from ..core.publish import PublishResult
    from ..core.question import Question

ACTIONS_BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
FALLBACK = ("From the Floor", "floor-publish@localhost")


def _git(
    site: Site | Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    errors: str = "strict",
) -> subprocess.CompletedProcess[str]:
    """git in the site's folder, never waiting on a terminal; ``env`` is added to the process's own."""
    root = site if isinstance(site, Path) else site.root
    return subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors=errors,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **env} if env else None,
        timeout=timeout,
    )


def ensure_repo(site: Site) -> None:
    """Fail before publishing, not after, when --commit cannot work."""
    try:
        inside = _git(site, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        raise FloorError("--commit needs git, which is not installed") from None
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise FloorError("--commit needs the site to be in a git repository", path=site.root)
    lock = _git(site, "rev-parse", "--git-path", "index.lock").stdout.strip()
    if lock and (site.root / lock).exists():  # (relative to the site, or absolute: / keeps it)
        raise FloorError(
            "git is busy, or a git command was stopped part-way and left this lock behind; nothing "
            "was changed. If no git command is running, delete this file and run the command again",
            path=site.root / lock,
        )


def _identity(site: Site) -> list[str]:
    """``-c user.name=… -c user.email=…`` when git has no identity configured."""
    if _git(site, "config", "user.email").stdout.strip() and _git(site, "config", "user.name").stdout.strip():
        return []
    if any(os.environ.get(v) for v in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL", "EMAIL")):
        return []
    name, email = ACTIONS_BOT if os.environ.get("GITHUB_ACTIONS") == "true" else FALLBACK
    return ["-c", f"user.name={name}", "-c", f"user.email={email}"]


def message_for(titles: Sequence[str]) -> tuple[str, str]:
    """(subject, body): the subject names the post; several posts are listed in the body."""
    subject = f"Publish {titles[0]}" if len(titles) == 1 else f"Publish {len(titles)} posts"
    body = "\n".join(f"- {t}" for t in titles)
    return subject, body


def commit_publish(site: Site, result: PublishResult) -> str:
    """Stage exactly the files publish touched and commit them; returns the subject.

    A removed question file that git never tracked is left out of the
    pathspec (git would refuse it), so an uncommitted question still publishes.
    """
    touched = sorted({p for post in result.posts for p in post.paths})
    subject, body = message_for([post.title for post in result.posts])
    made = commit_paths(site, touched, subject, body)
    return made or subject


def commit_paths(site: Site, touched: Sequence[str], subject: str, body: str = "") -> str | None:
    """Commit exactly these paths (relative to the site); None when none of them changed.

    A path gone from the folder and the index but still in the last commit (a
    run killed after `git add` staged its removal) is committed too: left out,
    its removal would stay staged and the pushed repository would keep it.
    """
    tracked = set(_git(site, "ls-files", "-z", "--", *touched).stdout.split("\0")) - {""}
    staged = [p for p in touched if (site.root / p).exists() or p in tracked]
    head = set(_git(site, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *touched).stdout.split("\0"))
    paths = [p for p in touched if p in staged or p in head]
    if not paths:
        return None
    if staged:
        added = _git(site, "add", "-A", "--", *staged)
        if added.returncode != 0:
            raise FloorError(f"git add failed: {added.stderr.strip()}", path=site.root)
    if _git(site, "diff", "--cached", "--quiet", "--", *paths).returncode == 0:
        return None
    message = ["-m", subject] + (["-m", body] if body else [])
    done = _git(site, *_identity(site), "commit", "--quiet", *message, "--", *paths)
    if done.returncode != 0:
        raise FloorError(f"git commit failed: {(done.stderr or done.stdout).strip()}", path=site.root)
    return subject


@dataclass
class PendingPost:
    """A post publishing wrote that git has not recorded: its title and the paths to commit."""

    number: int
    title: str
    paths: list[str] = field(default_factory=list)


def _head_files(site: Site, folder: str) -> set[str] | None:
    """The files under ``folder`` (relative to the site) in the last commit; None: no repository."""
    inside = _git(site, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return None
    if _git(site, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        return set()  # no commit yet
    listed = _git(site, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", f"{folder}/")
    return set(listed.stdout.split("\0")) - {""}


def committed_posts(site: Site) -> set[str] | None:
    """The post files (paths relative to the site) in the last commit; None when git cannot say
    (no repository, no git installed, a posts folder outside the site).

    Asked once and handed to :func:`unrecorded_publish` and :func:`unrecorded_imports`: `floor
    check` asks both questions, and the listing is the same git calls each time.
    """
    try:
        return _head_files(site, site.posts_dir.relative_to(site.root).as_posix())
    except (ValueError, FileNotFoundError):
        return None


def unrecorded_publish(
    site: Site, posts: Sequence[Question] | None = None, committed: set[str] | None = None
) -> list[PendingPost]:
    """Posts publishing wrote but git never recorded (a run killed between the move and the commit).

    A post counts when its file in content/floor/ is not in the last commit,
    it has a ``number`` (publishing gave it one) and was not imported
    (``floor import`` writes posts of its own, which it never commits); its
    question file, removed from questions/, goes into the same commit.
    Empty outside a git repository. ``posts``: the published posts, when the
    caller has already read them; ``committed``: :func:`committed_posts`, when the caller has
    already asked git for it.
    """
    from ..core import question as question_mod

    try:
        posts_rel = site.posts_dir.relative_to(site.root).as_posix()
        questions_rel = site.questions_dir.relative_to(site.root).as_posix()
    except ValueError:
        return []
    if committed is None:
        committed = committed_posts(site)
    if committed is None:
        return []
    pending: dict[int, PendingPost] = {}
    if posts is None:
        posts = []
        for path in sorted(site.posts_dir.glob("*.md")):
            with contextlib.suppress(FloorError):  # floor check names the problem; never committed as a post
                posts.append(question_mod.load(path, published=True))
    for post in sorted(posts, key=lambda p: p.path.name):
        path = post.path
        rel = f"{posts_rel}/{path.name}"
        if rel in committed or post.number is None or post.source == "import":
            continue
        entry = pending.setdefault(post.number, PendingPost(post.number, post.title or post.question))
        entry.paths += [rel, f"{questions_rel}/{path.name}"]
    return [pending[n] for n in sorted(pending)]


def unrecorded_imports(
    site: Site, posts: Sequence[Question], committed: set[str] | None = None
) -> list[str]:
    """Ids of posts `floor import` wrote (``source: import``) that the last commit does not hold.

    The import never commits; the weekly job builds what is pushed. Empty outside a repository.
    ``committed``: :func:`committed_posts`, when the caller has already asked git for it.
    """
    if committed is None:
        committed = committed_posts(site)
    if committed is None:
        return []
    try:
        posts_rel = site.posts_dir.relative_to(site.root).as_posix()
    except ValueError:  # a posts folder outside the site: git does not hold it
        return []
    return [
        p.id
        for p in sorted(posts, key=lambda p: p.path.name)
        if p.source == "import" and f"{posts_rel}/{p.path.name}" not in committed
    ]


def commit_unrecorded_publish(site: Site) -> str | None:
    """Commit a publish found done but not committed; the subject, or None when there was none.

    Under the site lock: a publish running beside this one has moved its
    files but not yet committed them, and must not see them committed under it.
    """
    with journal.locked(site):
        pending = unrecorded_publish(site)
        if not pending:
            return None
        subject, body = message_for([p.title for p in pending])
        return commit_paths(site, sorted({rel for p in pending for rel in p.paths}), subject, body)


def head_text(site: Site, rel: str) -> str:
    """The text of ``rel`` (relative to the site) in the last commit; empty when it has none."""
    shown = _git(site, "show", f"HEAD:{rel}")
    return shown.stdout if shown.returncode == 0 else ""


def commit_state(site: Site, subject: str) -> str | None:
    """Commit retired.json (its creation, change or removal); None when git has nothing to record."""
    from ..core.retire import STATE_FILE  # core: the file's name, kept beside the state it holds

    ensure_repo(site)
    return commit_paths(site, [STATE_FILE], subject)


def state_uncommitted(site: Site) -> bool:
    """Whether retired.json differs from the last commit (new, changed or removed): what
    :func:`commit_state` would commit, asked without staging anything (a dry run's question)."""
    from ..core.retire import STATE_FILE

    status = _git(site, "--no-optional-locks", "status", "--porcelain", "--", STATE_FILE)
    return status.returncode == 0 and bool(status.stdout.strip())


def is_repo(site: Site) -> bool:
    """Whether the site is in a git work tree (the desk's Publish commits only then)."""
    try:
        inside = _git(site, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        return False
    return inside.returncode == 0 and inside.stdout.strip() == "true"


def remotes(site: Site) -> list[str]:
    """The names of the site repository's remotes (none when it is not a repository)."""
    if not is_repo(site):
        return []
    return [line for line in _git(site, "remote").stdout.splitlines() if line.strip()]


class PushFailed(FloorError):
    """`git push` refused or failed: ``said`` is git's own output, ``target`` where it pushed."""

    def __init__(self, message: str, *, said: str, target: str, path: Path) -> None:
        super().__init__(message, path=path)
        self.said = said
        self.target = target


def _network(site: Site, *args: str) -> tuple[bool, str]:
    """A git command that talks to a remote: (succeeded, git's own words).

    Never asks for a password on a terminal nobody sees (GIT_TERMINAL_PROMPT=0):
    a remote that needs one fails with git's message instead of hanging.
    """
    try:
        done = _git(site, *args, env={"GIT_TERMINAL_PROMPT": "0"}, timeout=300, errors="replace")
    except subprocess.TimeoutExpired:
        return False, "the connection timed out after 5 minutes"
    return done.returncode == 0, (done.stdout + done.stderr).strip()


@dataclass(frozen=True)
class Upstream:
    """Where the current branch pushes: ``remote``, and ``ref``, git's copy of the remote's branch."""

    remote: str
    ref: str  # refs/remotes/origin/main
    configured: bool  # git knows it as the branch's upstream (else the first push sets it)

    @property
    def name(self) -> str:
        return self.ref.removeprefix("refs/remotes/")


def upstream(site: Site) -> Upstream | None:
    """The current branch's upstream, or ``origin`` (else the first remote) with the branch's name;
    None when no branch is checked out or the site has no remote."""
    found = remotes(site)
    branch = _git(site, "symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
    if not found or not branch:
        return None
    configured = _git(site, "rev-parse", "--symbolic-full-name", "@{u}")
    remote = _git(site, "config", "--get", f"branch.{branch}.remote").stdout.strip()
    ref = configured.stdout.strip()
    if configured.returncode == 0 and remote in found and ref.startswith("refs/remotes/"):
        return Upstream(remote, ref, True)
    remote = "origin" if "origin" in found else found[0]
    return Upstream(remote, f"refs/remotes/{remote}/{branch}", False)


def fetch(site: Site, up: Upstream) -> None:
    """Bring git's copy of the remote's branches up to date (nothing in the work tree changes)."""
    done, said = _network(site, "fetch", "--quiet", up.remote)
    if not done:
        raise PushFailed(f"git fetch failed:\n{said}", said=said, target=up.remote, path=site.root)


def incoming(site: Site, up: Upstream) -> list[str]:
    """The subjects of the remote's commits this branch does not have yet, oldest first."""
    if _git(site, "rev-parse", "--verify", "--quiet", up.ref).returncode != 0:
        return []  # the remote has no such branch yet: the push makes it
    listed = _git(site, "log", "--reverse", "-z", "--format=%s", f"HEAD..{up.ref}")
    return [s for s in listed.stdout.split("\0") if s]


def in_progress(site: Site) -> str | None:
    """The git operation left unfinished in this repository (a rebase, a merge…), or None."""
    for name, what in (
        ("rebase-merge", "a rebase"),
        ("rebase-apply", "a rebase"),
        ("MERGE_HEAD", "a merge"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ):
        path = _git(site, "rev-parse", "--path-format=absolute", "--git-path", name).stdout.strip()
        if path and Path(path).exists():
            return what
    return None


def _site_relative(site: Site, full: str) -> str:
    prefix = _git(site, "rev-parse", "--show-prefix").stdout.strip()
    return full[len(prefix) :] if prefix and full.startswith(prefix) else full


def _incoming_paths(site: Site, up: Upstream) -> list[str]:
    """The files (relative to the repository) the remote's new commits change, add or remove."""
    changed = _git(site, "diff", "--name-only", "--no-renames", "-z", f"HEAD...{up.ref}").stdout
    return [p for p in changed.split("\0") if p]


def incoming_files(site: Site, up: Upstream) -> set[str]:
    """The files the remote's new commits change, add or remove, relative to the site."""
    return {_site_relative(site, p) for p in _incoming_paths(site, up)}


def unsaved_in_the_way(site: Site, up: Upstream, committing: Iterable[str] = ()) -> list[str]:
    """Files the remote's new commits change that hold work in no commit here (an edited tracked
    file, or an untracked or ignored file where they add one): bringing the commits in could
    overwrite that work or leave it half-merged, so Push stops first. Paths relative to the site;
    ``committing``: the ones about to be committed (a conflict there is the rebase's to find)."""
    paths = _incoming_paths(site, up)
    if not paths:
        return []
    top = Path(_git(site, "rev-parse", "--show-toplevel").stdout.strip())
    specs = [f":(top,literal){p}" for p in paths]
    dirty = _git(
        site, "status", "--porcelain", "-z", "--no-renames", "--untracked-files=no", "--", *specs
    ).stdout
    found = {e[3:] for e in dirty.split("\0") if len(e) > 3}
    known = set(_git(site, "ls-files", "-z", "--full-name", "--", *specs).stdout.split("\0"))
    found |= {p for p in paths if p not in known and ((top / p).exists() or (top / p).is_symlink())}
    return sorted({_site_relative(site, p) for p in found} - set(committing))


def staged_entries(site: Site) -> str:
    """git's index entries of the files staged and not committed, as `update-index --index-info`
    reads them: git's autostash puts such changes back unstaged, and `restage` stages them again."""
    names = _git(site, "diff", "--cached", "--name-only", "--no-renames", "-z").stdout
    paths = [p for p in names.split("\0") if p]
    if not paths:
        return ""
    specs = [f":(top,literal){p}" for p in paths]
    listed = _git(site, "ls-files", "--stage", "-z", "--full-name", "--", *specs).stdout
    entries: dict[str, str] = {}
    for entry in filter(None, listed.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, oid, _stage = meta.split()
        entries[path] = f"{mode} {oid}\t{path}"
    gone = "0 " + "0" * len(_git(site, "rev-parse", "HEAD").stdout.strip())  # a staged removal
    return "".join(entries.get(p, f"{gone}\t{p}") + "\0" for p in paths)


def restage(site: Site, entries: str) -> None:
    """Stage again what `staged_entries` recorded (the files' contents are already in place)."""
    if not entries:
        return
    top = _git(site, "rev-parse", "--show-toplevel").stdout.strip()
    subprocess.run(
        ["git", "-C", top, "update-index", "-z", "--index-info"],
        input=entries,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def rebase(site: Site, up: Upstream) -> list[str]:
    """Replay this branch's own commits on the remote's (git keeps other uncommitted changes
    aside meanwhile: --autostash). On a conflict the rebase is aborted, so branch, index and
    files are as before, and the files both sides changed are returned (relative to the site)."""
    argv = [*_identity(site), "rebase", "--autostash", "--no-verify", up.ref]
    done = _git(site, *argv, env={"GIT_EDITOR": "true"}, errors="replace")
    if done.returncode == 0:
        return []
    conflicts = _git(site, "diff", "--name-only", "--diff-filter=U", "-z").stdout.split("\0")
    if in_progress(site) == "a rebase":
        aborted = _git(site, "rebase", "--abort")
        if aborted.returncode != 0:
            raise FloorError(
                "git stopped part-way through bringing in the remote's commits and could not be put "
                f"back: {(aborted.stderr or aborted.stdout).strip()}",
                path=site.root,
            )
    named = sorted(_site_relative(site, p) for p in conflicts if p)
    if not named:
        said = (done.stderr or done.stdout).strip()
        raise FloorError(
            f"git could not bring in the remote's commits; nothing was changed. git said:\n{said}"
        )
    return named


def push(site: Site) -> str:
    """`git push` of the current branch to its upstream (or ``origin``, which it then becomes);
    returns git's own words."""
    up = upstream(site)
    if up is None:
        if not remotes(site):
            raise FloorError(
                "the site has no git remote to push to (git remote add origin URL)", path=site.root
            )
        done, said = _network(site, "push")  # no branch checked out: git says so
        target = "origin"
    else:
        args = ["push"] if up.configured else ["push", "--set-upstream", up.remote, "HEAD"]
        done, said = _network(site, *args)
        target = up.remote
    if not done:
        raise PushFailed(f"git push failed:\n{said}", said=said, target=target, path=site.root)
    return said or "pushed"


@dataclass(frozen=True)
class Change:
    """A file of the column that differs from the last commit: ``path`` relative to the site."""

    path: str
    state: str  # "new" | "changed" | "removed"


def column_changes(site: Site) -> list[Change]:
    """The files in questions/ and the posts folder (and withdrawn.json) that differ from the last
    commit (ignored files excepted), as paths relative to the site; empty outside a repository.

    The desk and `floor answer` change files without committing them, and a push sends commits
    only: these are what `floor push` commits first.
    """
    folders = [
        path.relative_to(site.root).as_posix()
        for path in (site.questions_dir, site.posts_dir)
        if path.is_relative_to(site.root)
    ]
    if not folders or not is_repo(site):
        return []
    # the record of withdrawn posts goes with the posts: a deletion pushed without it is a page
    # gone without a notice on the weekly job's site, and its number free again
    folders.append(withdrawn.STATE_FILE)
    prefix = _git(site, "rev-parse", "--show-prefix").stdout.strip()  # the site inside a larger repository
    listed = _git(site, "status", "--porcelain", "-z", "--untracked-files=all", "--", *folders)
    if listed.returncode != 0:
        return []
    entries = listed.stdout.split("\0")
    found: dict[str, str] = {}
    n = 0
    while n < len(entries):
        entry = entries[n]
        n += 1
        if len(entry) < 4:
            continue
        code, name = entry[:2], entry[3:]
        names = [(name, "new" if "R" in code or "C" in code else _state(code))]
        if "R" in code or "C" in code:  # the next entry is where it came from
            if "R" in code and n < len(entries):
                names.append((entries[n], "removed"))
            n += 1
        for full, state in names:
            if full.startswith(prefix):
                found.setdefault(full[len(prefix) :], state)
    return [Change(path, found[path]) for path in sorted(found)]


def _state(code: str) -> str:
    if "D" in code:
        return "removed"
    return "new" if code in ("??", "A ", "AM") else "changed"


@dataclass(frozen=True)
class Snapshot:
    """Where the branch and git's index stood, to put them back if a push fails after a commit."""

    head: str | None
    index: Path
    index_bytes: bytes | None


def snapshot(site: Site) -> Snapshot:
    head = _git(site, "rev-parse", "--verify", "--quiet", "HEAD").stdout.strip() or None
    index = Path(_git(site, "rev-parse", "--path-format=absolute", "--git-path", "index").stdout.strip())
    try:
        data: bytes | None = index.read_bytes()
    except FileNotFoundError:
        data = None
    return Snapshot(head, index, data)


def restore(site: Site, before: Snapshot) -> bool:
    """Undo the commit made since ``before`` (the files themselves are untouched): the branch
    and the index as they were. False when the branch has moved on since, and is left alone."""
    from ..core.atomic import atomic_binary

    now = _git(site, "rev-parse", "--verify", "--quiet", "HEAD").stdout.strip()
    parent = _git(site, "rev-parse", "--verify", "--quiet", "HEAD^").stdout.strip() or None
    if not now or parent != before.head:
        return False
    if before.head:
        moved = _git(site, "update-ref", "-m", "floor push: not sent, undone", "HEAD", before.head, now)
    else:
        moved = _git(site, "update-ref", "-d", "HEAD", now)
    if moved.returncode != 0:
        return False
    if before.index_bytes is None:
        before.index.unlink(missing_ok=True)
    else:
        with atomic_binary(before.index) as out:
            out.write(before.index_bytes)
    return True


def uncommit(site: Site, up: Upstream, subject: str, paths: Sequence[str]) -> bool:
    """Take back the last commit (Push's own, made on top of the remote's commits it brought in):
    the branch one commit back and ``paths`` (relative to the site) unstaged to it; the files
    themselves are untouched. False, and nothing done, when the last commit is not that one (git
    dropped it as empty: the remote had the same change) or git refused."""
    if _git(site, "log", "-1", "--format=%s", "HEAD").stdout.strip() != subject:
        return False
    if _git(site, "merge-base", "--is-ancestor", "HEAD", up.ref).returncode == 0:
        return False  # the remote's own commit, never taken back
    if _git(site, "reset", "--soft", "--quiet", "HEAD^").returncode != 0:
        return False
    return _git(site, "reset", "--quiet", "HEAD", "--", *paths).returncode in (0, 1)


# --- a new site's repository (floor init) ----------------------------------------------------


@dataclass(frozen=True)
class RepoStart:
    """What `floor init` could do with git: ``status`` says which, ``detail`` why not."""

    # "committed" | "staged" (no identity) | "inside" (another repository) | "no-git" | "failed",
    # or "not-asked" (floor init --no-git)
    status: str
    branch: str = ""
    detail: str = ""
    toplevel: str = ""
    # what was in the folder before `floor init` and is not in the first commit (top-level names)
    left_out: tuple[str, ...] = ()
    ours: tuple[str, ...] = ()  # (and the top-level names `floor init` wrote, for the commands it prints)


def start_repository(root: Path, message: str, only: Iterable[Path] | None = None) -> RepoStart:
    """``git init`` in ``root`` and commit what is in it, as the author: everything, or with
    ``only`` just those files (the ones `floor init` wrote), less what .gitignore keeps out.

    A folder already inside a repository (a blog that adds the column) is left
    to its author: nothing is initialised or committed there. Without a git
    identity the files are staged and the author is told how to commit, since
    a first commit in someone else's name would be worse than none.
    """
    try:
        inside = _git(root, "rev-parse", "--show-toplevel")
    except FileNotFoundError:
        return RepoStart("no-git")
    if inside.returncode == 0:
        return RepoStart("inside", toplevel=inside.stdout.strip())
    branch = _git(root, "config", "--get", "init.defaultBranch").stdout.strip() or "main"
    done = _git(root, "init", "--quiet", f"--initial-branch={branch}")
    if done.returncode != 0:
        return RepoStart("failed", branch, (done.stderr or done.stdout).strip())
    if only is None:
        done = _git(root, "add", "-A")
    else:
        names = [os.path.relpath(p, root) for p in only]
        # (named explicitly, an ignored file is refused: the key file stays out as .gitignore says)
        ignored = _git(root, "check-ignore", "--", *names).stdout.splitlines() if names else []
        names = [n for n in names if n not in set(ignored)]
        done = _git(root, "add", "--", *names) if names else done
    if done.returncode != 0:
        return RepoStart("failed", branch, (done.stderr or done.stdout).strip())
    if not _has_identity(root):
        return RepoStart("staged", branch)
    done = _git(root, "commit", "--quiet", "-m", message)
    if done.returncode != 0:
        return RepoStart("failed", branch, (done.stderr or done.stdout).strip())
    return RepoStart("committed", branch)


def _has_identity(root: Path) -> bool:
    """Whether `git commit` here knows who the author is (config or git's own variables)."""
    name = _git(root, "config", "user.name").stdout.strip() or os.environ.get("GIT_AUTHOR_NAME")
    email = (
        _git(root, "config", "user.email").stdout.strip()
        or os.environ.get("GIT_AUTHOR_EMAIL")
        or os.environ.get("EMAIL")
    )
    return bool(name and email)


def tracked(root: Path, paths: Iterable[Path]) -> set[Path] | None:
    """Which of ``paths`` git tracks, or None when ``root`` is in no repository (or git is missing)."""
    wanted = list(paths)
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        return None
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return None
    if not wanted:
        return set()
    listed = _git(root, "ls-files", "-z", "--full-name", "--", *(str(p) for p in wanted))
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip())  # git gives it resolved
    names = {top / n for n in listed.stdout.split("\0") if n}
    return {p for p in wanted if p.resolve() in names}


def commit_times(site: Site | Path) -> tuple[int, int] | None:
    """The first and the last commit's times (Unix seconds) of the site's repository, or None
    (no git, not a repository, no commit yet). The first is when the column began, for the
    schedule's words on its first day; the last is what GitHub's 60-day rule counts from."""
    try:
        roots = _git(site, "log", "--max-parents=0", "--format=%ct", "HEAD", timeout=30)
        last = _git(site, "log", "-1", "--format=%ct", "HEAD", timeout=30)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    if roots.returncode != 0 or last.returncode != 0:
        return None
    try:
        first = min(int(t) for t in roots.stdout.split())
        latest = int(last.stdout.strip())
    except ValueError:  # (no output: min of nothing)
        return None
    return first, latest
