"""An imported blog's old addresses: where each now leads, and the small pages that say so.

`floor import` keeps each post's old address (``original_url``, and WordPress's
``?p=123`` short link). A blog moved in place (the same host) would lose every
one of them, so a live build writes a redirect page at each old address on the
site's own host, as redirect-mode retirement does; ``floor redirects`` prints
the whole list for the old host's own rules. Pure functions and file writes, no Pelican.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core import question as question_mod
from ..core.atomic import atomic_write_text
from ..core.question import Question
from ..core.queue import question_names
from ..errors import FloorError
from . import redirects
from .links import imported_redirects, post_url

_MARK = b"import"  # (in ``source: import``, however quoted) only a file holding it is read in full


def imported_posts(folder: Path, read: Mapping[str, Question | None] | None = None) -> list[Question]:
    """Every imported post (``source: import``) in the posts folder, the same list in a build and
    outside one.

    Not only those with an ``original_url``: an old address can also be the
    post's ``intake_id`` (WordPress's ``?p=123`` short link, the guid of an item
    the export gave no link), and :func:`new_paths` takes both; a post that names
    neither adds nothing there. In a build (question.reusing_parses) every post
    is parsed already: one the build found not imported before letting its
    parses go is skipped by name (a column that imported nothing reads no post
    here), any other costs a stat and a parse; elsewhere a file without the word
    ``import`` (nearly every post of the column's own) is not parsed: its bytes
    are only looked through.

    ``read``: the posts the build's Pelican read (absolute path → the imported
    post, or None for one not imported), from what each article carries: those
    files are not read again; only a post not among them is looked at as above.
    """
    in_build = question_mod.folder_loads() is not None
    plain = question_mod.forgotten_plain_posts() if in_build else set()
    read = read or {}
    prefix = os.path.join(os.path.abspath(folder), "") if plain or read else ""  # (the store's keys)
    posts: list[Question] = []
    for name in question_names(folder):
        if read and prefix + name in read:
            known = read[prefix + name]
            if known is not None:
                posts.append(known)
            continue  # as the build read it
        if plain and prefix + name in plain:
            continue  # parsed in this build, not imported
        path = folder / name  # (as question_files names it)
        try:
            if in_build:
                post = question_mod.load_kept(path, published=True)
            elif _MARK in path.read_bytes():
                post = question_mod.load(path, published=True)
            else:
                continue
        except (OSError, FloorError):
            continue  # the build (or floor check) reports it
        if post.source == question_mod.IMPORTED:
            posts.append(post)
    return posts


def new_paths(settings: Mapping[str, Any], posts: list[Question]) -> dict[str, str]:
    """Every old address (absolute, as the export gave it) → its post's path on this site
    (from the site's root, without SITEURL's path: '/floor/slug/')."""
    by_slug = {p.slug or p.id: p for p in posts}
    found: dict[str, str] = {}
    for old, slug in sorted(imported_redirects(posts).items()):
        post = by_slug.get(slug)
        if post is None:
            continue
        try:
            found[old] = post_url("", dict(settings), post, posts).split("#")[0]
        except FloorError:
            continue
    return found


def on_this_host(site_url: str, mapping: Mapping[str, str]) -> dict[str, str]:
    """The part of :func:`new_paths` a static file here can answer: old addresses on SITEURL's
    host and under its path, as paths from the site's root ('/2009/05/15/slug/'). An address
    with a query (``?p=123``) needs a server rule, so it is left out; nothing without SITEURL."""
    site = urlsplit(site_url or "")
    if not site.netloc:
        return {}
    prefix = site.path.rstrip("/")
    local: dict[str, str] = {}
    for old, new_path in mapping.items():
        parts = urlsplit(old)
        if parts.netloc.lower() != site.netloc.lower() or parts.query or not parts.path:
            continue
        if prefix and not parts.path.startswith(prefix + "/"):
            continue
        old_path = parts.path[len(prefix) :] or "/"
        if old_path != new_path:
            local[old_path] = new_path
    return local


def page_file(url_path: str) -> str | None:
    """The file (relative to output/) a static host serves ``url_path`` from, or None when the
    path is not plain segments (it comes from an old blog's export: untrusted)."""
    segments = [s for s in url_path.split("/") if s]
    if not segments or any(s in (".", "..") or "\\" in s or "\x00" in s for s in segments):
        return None
    rel = "/".join(segments)
    if not url_path.endswith("/") and rel.rsplit(".", 1)[-1].lower() in ("html", "htm") and "." in rel:
        return rel
    return rel + "/index.html"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_pages(
    output: Path,
    targets: Mapping[str, str],
    *,
    owned: Mapping[str, str],
    sitename: str,
    lang: str,
    robots: str = "",
    ended: bool = False,
) -> dict[str, str]:
    """A redirect page at each old address (URL path → target), for hosts without server rules.

    Only inside output/, and never over a file the build made: a file is
    written where there is none, or replaced where it still holds the bytes an
    earlier build's page had (``owned``: its file → digest, from the record).
    Pages ``owned`` names that this build does not want are removed the same
    way. ``ended``: the column is retired (redirect mode), and its pages say so. Returns the
    pages now in output/ (file → digest) for the record.
    """
    wanted: dict[str, str] = {}
    for url_path, target in sorted(targets.items()):
        rel = page_file(url_path)
        if rel is None or rel in wanted:
            continue
        wanted[rel] = redirects.redirect_page(
            target, title=None, sitename=sitename, lang=lang, robots=robots, ended=ended
        )
    return write_texts(output, wanted, owned=owned)


def write_texts(output: Path, wanted: Mapping[str, str], *, owned: Mapping[str, str]) -> dict[str, str]:
    """Write each page (file relative to output/ → its text) as :func:`write_pages` does: never
    over a file the build made, replacing only what ``owned`` says an earlier build wrote there;
    the pages ``owned`` names and ``wanted`` does not are removed. Returns file → digest."""
    root = output.resolve()
    kept: dict[str, str] = {}
    for rel, text in wanted.items():
        path = output / rel
        if not path.resolve().is_relative_to(root):
            continue
        new = digest(text)
        if path.is_file() or path.is_symlink():
            current = _digest_of(path)
            if current == new:
                kept[rel] = new
                continue
            if current is None or owned.get(rel) != current:
                continue  # the build's own page (or the author's file): never overwritten
        elif path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
        kept[rel] = new
    remove_pages(output, {rel: d for rel, d in owned.items() if rel not in kept})
    return kept


def still_written(output: Path, owned: Mapping[str, str]) -> dict[str, str]:
    """The part of ``owned`` (file → digest, from the record) still in output/ with those bytes:
    the pages an earlier build wrote, not a file the build has since made at their address."""
    root = output.resolve()
    found: dict[str, str] = {}
    for rel, known in owned.items():
        path = output / rel
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        if _digest_of(path) == known:
            found[rel] = known
    return found


def remove_pages(output: Path, owned: Mapping[str, str]) -> None:
    """Delete the pages an earlier build wrote (file → digest) that still hold those bytes, and
    the folders they leave empty; a file the build has since made there stays."""
    root = output.resolve()
    for rel in still_written(output, owned):
        path = output / rel
        path.unlink()
        for parent in path.parents:
            if parent.resolve() == root:
                break
            try:
                parent.rmdir()
            except OSError:
                break


def _digest_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


FORMATS = ("list", "apache", "netlify")


def plain(url: str) -> bool:
    """An address that can go into a server's rule file as it is: printable, no spaces, no quote
    or backslash (an export could otherwise add a line or a directive to the author's server)."""
    return bool(url) and all(c.isprintable() and not c.isspace() and c not in '"\\' for c in url)


def rule_lines(mapping: Mapping[str, str], site_url: str, fmt: str) -> list[str]:
    """The old → new list for the old host (``mapping``: :func:`new_paths`).

    ``list``: old address, a space, new address, one a line: every address,
    for a redirect plugin's import or a host's form. ``apache``: lines for the
    old blog's ``.htaccess`` (a self-hosted WordPress runs on Apache as a rule),
    the short links with a query (``?p=123``) as rewrite rules. ``netlify``: a
    ``_redirects`` file (Netlify, Cloudflare Pages), which matches paths only.
    A rule file is for one host: an address on another, or a query Netlify
    cannot match, is a comment line naming it. An address that is not
    :func:`plain` (it comes from the export: untrusted) is left out of all three.
    """
    base = site_url.rstrip("/")
    absolute = {old: base + new for old, new in sorted(mapping.items()) if plain(old)}
    if fmt == "list":
        return [f"{old} {new}" for old, new in absolute.items()]
    hosts = Counter(urlsplit(old).netloc.lower() for old in absolute)
    host = hosts.most_common(1)[0][0] if hosts else ""
    paths: dict[str, str] = {}
    queries: list[tuple[str, str, str]] = []
    left: list[str] = []
    for old, new in absolute.items():
        parts = urlsplit(old)
        if parts.netloc.lower() != host or (not parts.path and not parts.query):
            left.append(f"# not for {host}: {old} -> {new}")
        elif parts.query and fmt == "apache":
            queries.append((parts.path or "/", parts.query, new))
        elif parts.query:
            left.append(f"# needs a rule with its query: {old} -> {new}")
        else:
            paths.setdefault(parts.path, new)
    lines = [f"# {host}: the old blog's addresses, each to its post's new page at {base}"]
    if fmt == "netlify":
        body = redirects.redirects_file(paths).splitlines()
        return lines + [line for line in body if line not in (redirects.BEGIN, redirects.END)] + left
    lines += ["# put these lines above WordPress's own (# BEGIN WordPress) in .htaccess"]
    lines += redirects.apache_redirects(paths).splitlines()
    if queries:
        lines += ["<IfModule mod_rewrite.c>", "  RewriteEngine On"]
        for path, query, new in queries:
            lines.append(f'  RewriteCond "%{{QUERY_STRING}}" "^{re.escape(query)}$"')
            lines.append(f'  RewriteRule "^{re.escape(path.lstrip("/"))}$" "{new}?" [R=301,L]')
        lines.append("</IfModule>")
    return lines + left


def targets(site_url: str, local: Mapping[str, str]) -> dict[str, str]:
    """URL path → the absolute address of the post, for a live build's redirect pages."""
    base = site_url.rstrip("/")
    return {old: base + new for old, new in local.items()}
