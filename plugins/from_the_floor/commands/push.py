"""`floor push` and the desk's Push: commit the column's own changed files, then send the commits.

The desk is made for authors without a terminal: what they answer, hold, take in
or import there only changes files, and a push sends commits only, so the weekly
job (which works from the repository) would never see that work. Push therefore
commits first, in one commit with a plain message, and only files of the column's
own folders (questions/, with its readers and kept messages, and the posts folder):
never anything else of the site, never a file the kit cannot read (the weekly job
would stop on it), never a reader's contact in plain text. If anything fails,
the repository is left as it was and the author is told what to do, in plain words.

The weekly job commits each post on the remote, so after any weekly run this copy
is behind, and git refuses a push over commits it does not have. Push therefore
fetches first and replays the author's commits on the remote's (a rebase, with
git's --autostash for other uncommitted files; never a force-push). Work in no
commit that the remote's commits would touch stops it before anything changes;
a conflict is aborted, so branch, index and files are exactly as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..core import journal, readers_file, sealing, terminal, withdrawn
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
    brought: list[str] = field(default_factory=list)  # subjects of the remote's commits brought in
    source: str = ""  # where from: origin/main

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.brought:
            n = len(self.brought)
            out.append(f"brought in {n} new commit{'s' if n != 1 else ''} from {self.source} first:")
            out += [f"  {terminal.clean(s)}" for s in self.brought[:SHOWN]]
            if n > SHOWN:
                out.append(f"  … and {n - SHOWN} more")
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
    record = withdrawn.STATE_FILE  # withdrawn posts: counted with the posts
    has_posts = any(c.path.startswith(posts) or c.path == record for c in changes)
    has_questions = any(not c.path.startswith(posts) and c.path != record for c in changes)
    what = " and ".join(w for w, there in (("questions", has_questions), ("posts", has_posts)) if there)
    return f"Save the column's {what}", "\n".join(f"- {c.state}: {c.path}" for c in changes)


def _check(site: Site, changes: list[gitops.Change]) -> None:
    """Refuse a file the weekly job could not read, or one that holds a reader's contact in plain text
    (a kept message not sealed yet is one: a whole mail or form entry, address and all)."""
    from .seal_site import plain_rejected

    unsealed = set(plain_rejected(site))
    for change in changes:
        path = site.root / change.path
        if change.state == "removed" or not path.is_file():
            continue
        if path in unsealed:
            raise FloorError(
                "is a kept message not sealed yet, with its reader's address in plain text, and the "
                "repository is usually public; seal it first (floor seal). Nothing was committed or sent",
                path=path,
            )
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


def plain_failure(failed: gitops.PushFailed, *, synced: bool = False) -> str:
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
            f"{where} received new commits while this push was on its way (the weekly job commits "
            "each post it publishes there), and git never sends over them. Push again: it brings "
            "them here first"
        )
    elif any(k in said for k in ("could not resolve", "unable to access", "connection", "timed out")) or (
        "could not read from remote" in said or "does not appear to be a git repository" in said
    ):
        why = f"{where} could not be reached: is this computer online, and is the remote's address right?"
    else:
        why = f"git could not {'send the commits to' if synced else 'bring in the commits of'} {where}"
    return f"not sent: {why}" + ("" if why.endswith(("?", ".")) else ".")


def _in_the_way(up: gitops.Upstream, files: list[str]) -> FloorError:
    named = ", ".join(files[:SHOWN]) + (f" and {len(files) - SHOWN} more" if len(files) > SHOWN else "")
    return FloorError(
        f"not sent: {up.remote} has new commits (the weekly job commits each post it publishes there), "
        f"and they change {named}, which you changed here without a commit (or which is here but not "
        "in git). Bringing them in could overwrite your change, so Push stopped first: nothing was "
        "committed or sent, and your files are as they were. Commit that change with your git app, "
        "or copy it somewhere safe and undo it, then push again",
    )


def _conflict(site: Site, up: gitops.Upstream, yours: list[str], conflicts: list[str]) -> FloorError:
    """Which file both sides changed, named as the author knows it, and the way on."""
    files = yours or conflicts
    named = ", ".join(files[:SHOWN]) + (f" and {len(files) - SHOWN} more" if len(files) > SHOWN else "")
    questions = site.questions_dir.relative_to(site.root).as_posix() + "/"
    posts = site.posts_dir.relative_to(site.root).as_posix() + "/"
    published = [
        f"{posts}{f.removeprefix(questions)}"
        for f in files
        if f.startswith(questions) and f"{posts}{f.removeprefix(questions)}" in conflicts
    ]
    where = (
        f" (the weekly job published it meanwhile: on {up.remote} it is now {', '.join(published)})"
        if published
        else ""
    )
    again = f"in {', '.join(published)}" if published else "in the file as it is now"
    way = (
        "copy what you changed somewhere safe, undo your change (Discard in your git app), push "
        f"again to bring the new commits here, then make your change again {again}"
        if yours
        else "your own commits here change it: bring the new commits here with your git app's Pull, "
        "which shows both versions to choose from, then push again"
    )
    return FloorError(
        f"not sent: {up.remote} has new commits (the weekly job commits each post it publishes there), "
        f"and they change the same lines as your changes here to {named}{where}, so git cannot put "
        "the two together by itself. Push stopped and put everything back: nothing was committed or "
        f"sent, and your files are as they were. To go on: {way}"
    )


def run(site: Site) -> Pushed:
    """Commit the column's changed files (one commit), bring in the remote's new commits (the weekly
    job's posts) under it, then push; on a failure, undo that commit and leave everything as it was."""
    if not gitops.remotes(site):
        raise FloorError("the site has no git remote to push to (git remote add origin URL)", path=site.root)
    done = Pushed()
    with journal.locked(site):  # a publish or an edit running beside this one finishes first
        unfinished = gitops.in_progress(site)
        if unfinished:
            raise FloorError(
                f"{unfinished} was started in this repository and not finished (in a git app or a "
                "terminal); finish or cancel it there first. Nothing was committed or sent",
                path=site.root,
            )
        done.changes = gitops.column_changes(site)
        _check(site, done.changes)
        up = gitops.upstream(site)
        theirs: set[str] = set()
        if up is not None:
            try:
                gitops.fetch(site, up)
            except gitops.PushFailed as failed:
                nothing = "Nothing was committed or sent: your files are as they were."
                raise FloorError(f"{plain_failure(failed)} {nothing}\ngit said:\n{failed.said}") from None
            done.brought, done.source = gitops.incoming(site, up), up.name
            if done.brought:
                theirs = gitops.incoming_files(site, up)
                in_the_way = gitops.unsaved_in_the_way(site, up, [c.path for c in done.changes])
                if in_the_way:
                    raise _in_the_way(up, in_the_way)
        before = gitops.snapshot(site)
        if done.changes:
            subject, body = subject_for(site, done.changes)
            done.committed = gitops.commit_paths(site, [c.path for c in done.changes], subject, body)
        if up is not None and done.brought:
            staged = gitops.staged_entries(site)  # the author's own, outside the column
            try:
                conflicts = gitops.rebase(site, up)
            except FloorError:
                if done.committed is not None:
                    gitops.restore(site, before)
                raise
            if conflicts:
                if done.committed is not None:
                    gitops.restore(site, before)
                yours = sorted(c.path for c in done.changes if c.path in theirs)
                raise _conflict(site, up, yours, conflicts)
            gitops.restage(site, staged)
        try:
            done.said = gitops.push(site)
        except gitops.PushFailed as failed:
            after = _undo(site, before, done, up)
            raise FloorError(
                f"{plain_failure(failed, synced=True)} {after}\ngit said:\n{failed.said}"
            ) from None
    return done


def _undo(site: Site, before: gitops.Snapshot, done: Pushed, up: gitops.Upstream | None) -> str:
    """Take back Push's own commit after a refused push; what the author should know about it."""
    if done.committed is None:
        return (
            "Nothing was committed or sent: your files are as they were."
            if not done.brought
            else (
                f"Nothing was sent; the {len(done.brought)} new commit(s) of {done.source} were brought here."
            )
        )
    if not done.brought and gitops.restore(site, before):
        return "Nothing was committed or sent: your files are as they were."
    if done.brought and up and gitops.uncommit(site, up, done.committed, [c.path for c in done.changes]):
        return (
            f"Nothing was sent and your changes are in no commit again; the {len(done.brought)} new "
            f"commit(s) of {done.source} were brought here."
        )
    if done.brought:
        return (
            f"Nothing was sent; the {len(done.brought)} new commit(s) of {done.source} were brought here, "
            "and your changes are in commits on this computer, not yet sent."
        )
    return f"Your changes are in a commit on this computer ({done.committed}), not yet sent."
