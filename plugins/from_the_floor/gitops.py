"""The one git commit `floor publish --commit` makes."""

from __future__ import annotations

import subprocess

from .errors import FloorError
from .site import Site


def _git(site: Site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(site.root), *args], capture_output=True, text=True, check=False)


def commit_publish(site: Site, result) -> str:
    """Stage exactly the files publish touched and commit them; returns the message."""
    paths = sorted({p for post in result.posts for p in post.paths})
    if _git(site, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise FloorError("--commit needs the site to be a git repository", path=site.root)
    added = _git(site, "add", "-A", "--", *paths)
    if added.returncode != 0:
        raise FloorError(f"git add failed: {added.stderr.strip()}", path=site.root)
    titles = [post.title for post in result.posts]
    subject = f"Publish {titles[0]}" if len(titles) == 1 else f"Publish {len(titles)} posts"
    body = "\n".join(f"- {t}" for t in titles)
    done = _git(site, "commit", "-m", subject, "-m", body, "--", *paths)
    if done.returncode != 0:
        raise FloorError(f"git commit failed: {(done.stderr or done.stdout).strip()}", path=site.root)
    return subject
