"""`floor push` and the desk's Push: commit the column's own changed files, then send the commits.

The desk is made for authors without a terminal: what they answer, hold, take in
or import there only changes files, and a push sends commits only, so the weekly
job (which works from the repository) would never see that work. Push therefore
commits first, in one commit with a plain message, and only files of the column's
own folders (questions/, with its readers and kept messages, and the posts folder):
never anything else of the site, never a file the kit cannot read (the weekly job
would stop on it), never a reader's contact in plain text. If anything fails,
the repository is left as it was and the author is told what to do, in plain words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..core import journal, readers_file, sealing
from ..core import question as question_mod
from ..core.site import Site
from ..errors import FloorError
from ..services import gitops

SHOWN = 10  # files named one by one in the report; the rest are counted


@dataclass
class Pushed:
    committed: str | None = None  # the commit's subject, None when there was nothing to commit
    changes: list[gitops.Change] = field(default_factory=list)
    said: str = ""  # git push's own words

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.committed:
            out.append(f"committed: {self.committed}")
            out += [f"  {c.state}: {c.path}" for c in self.changes[:SHOWN]]
            if len(self.changes) > SHOWN:
                out.append(f"  … and {len(self.changes) - SHOWN} more")
        else:
            out.append("nothing new to commit: the column's questions and posts are all in a commit")
        return out + self.said.splitlines()


def subject_for(site: Site, changes: list[gitops.Change]) -> tuple[str, str]:
    """(subject, body): what kind of files changed, then each file with what happened to it."""
    posts = site.posts_dir.relative_to(site.root).as_posix() + "/"
    has_posts = any(c.path.startswith(posts) for c in changes)
    has_questions = any(not c.path.startswith(posts) for c in changes)
    what = " and ".join(w for w, there in (("questions", has_questions), ("posts", has_posts)) if there)
    return f"Save the column's {what}", "\n".join(f"- {c.state}: {c.path}" for c in changes)


def _check(site: Site, changes: list[gitops.Change]) -> None:
    """Refuse a file the weekly job could not read, or one that holds a reader's contact in plain text."""
    for change in changes:
        path = site.root / change.path
        if change.state == "removed" or not path.is_file():
            continue
        contacts: list[str | None] = []
        if path.suffix == ".md" and path.parent in (site.questions_dir, site.posts_dir):
            q = question_mod.load(path, published=path.parent == site.posts_dir)  # FloorError: file, field
            contacts = [q.contact, *(e.contact for e in q.also_asked_by)]
        elif path.suffix == ".jsonl" and path.parent.name == readers_file.FOLDER:
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    continue  # floor check names it; the contact test below needs the field
                if isinstance(item, dict):
                    contacts.append(item.get("contact"))
        if any(isinstance(c, str) and c and not sealing.is_sealed(c) for c in contacts):
            raise FloorError(
                "a reader's contact is in plain text here, and the repository is usually public; "
                "seal it first (floor seal). Nothing was committed or sent",
                path=path,
                field="contact",
            )


def plain_failure(failed: gitops.PushFailed) -> str:
    """What a refused push means for the author, and what to do, before git's own words."""
    said = failed.said.lower()
    where = failed.target
    if any(k in said for k in ("authentication", "username", "permission denied", "403", "not allowed")):
        why = (
            f"{where} did not accept this computer's sign-in. Set up git's sign-in for it (for GitHub: "
            "GitHub Desktop, or gh auth login), then push again"
        )
    elif "[rejected]" in said or "fetch first" in said or "non-fast-forward" in said:
        why = (
            f"{where} has commits this computer does not have yet (the weekly job commits each post "
            "it publishes there), and git never sends over them. Bring them here first (Pull in a "
            "git app, or git pull --rebase in a terminal), then push again"
        )
    elif any(k in said for k in ("could not resolve", "unable to access", "connection", "timed out")) or (
        "could not read from remote" in said or "does not appear to be a git repository" in said
    ):
        why = f"{where} could not be reached: is this computer online, and is the remote's address right?"
    else:
        why = f"git could not send the commits to {where}"
    return f"not sent: {why}" + ("" if why.endswith(("?", ".")) else ".")


def run(site: Site) -> Pushed:
    """Commit the column's changed files (one commit), then push; on a failure, undo that commit."""
    if not gitops.remotes(site):
        raise FloorError("the site has no git remote to push to (git remote add origin URL)", path=site.root)
    done = Pushed()
    with journal.locked(site):  # a publish or an edit running beside this one finishes first
        done.changes = gitops.column_changes(site)
        _check(site, done.changes)
        before = gitops.snapshot(site)
        if done.changes:
            subject, body = subject_for(site, done.changes)
            done.committed = gitops.commit_paths(site, [c.path for c in done.changes], subject, body)
        try:
            done.said = gitops.push(site)
        except gitops.PushFailed as failed:
            undone = done.committed is not None and gitops.restore(site, before)
            after = (
                "Nothing was committed or sent: your files are as they were."
                if undone or done.committed is None
                else f"Your changes are in a commit on this computer ({done.committed}), not yet sent."
            )
            raise FloorError(f"{plain_failure(failed)} {after}\ngit said:\n{failed.said}") from None
    return done
