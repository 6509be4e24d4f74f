"""Redirect mode: every page the column had keeps answering, with a redirect to the new home.

Each page is redirected four ways, so it works whatever serves the files:
the page itself becomes a tiny HTML page (meta refresh + canonical link:
GitHub Pages and any static host), and ``_redirects`` (Netlify, Cloudflare
Pages), ``.htaccess`` (Apache) and an nginx snippet turn the same URLs into
real 301s. The target is the same path at the new home (FLOOR_RETIRE_PATHS
= "same") or the new home's front page ("root").

Only pages (HTML) are redirected. Feeds keep their URL and end with an entry
that points to the new home (final_entry.py): a feed reader shows that entry,
where a redirect to a feed the new home may not have would break silently.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..core.atomic import atomic_write_text
from ..core.i18n import dir_attribute, language, language_tag
from .headers import BEGIN, END

_SAFE = "/-._~!$&'()*+,;=:@%"
# In a redirect's target (nginx's bare `return 301 URL;`, Apache's "URL", a meta refresh)
# ';', '$' and quotes would mean something: they are percent-encoded there.
_TARGET_SAFE = "/-._~!&()*+,=:@%"
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def url_for(rel: str) -> str:
    """The URL path a file answers at: 'floor/x/index.html' → '/floor/x/', 'a.xml' → '/a.xml'."""
    rel = rel.replace("\\", "/").lstrip("/")
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def files(output: Path, skip: Callable[[str], bool] = lambda _rel: False) -> list[str]:
    """Every file of the built site, relative and sorted ('/'-separated)."""
    found = []
    for path in output.rglob("*"):
        if path.is_file():
            rel = path.relative_to(output).as_posix()
            if not skip(rel):
                found.append(rel)
    return sorted(found)


def pages(output: Path, skip: Callable[[str], bool] = lambda _rel: False) -> list[str]:
    """The HTML files of the built site (relative paths): what readers and links point at."""
    return [rel for rel in files(output, skip) if rel.endswith((".html", ".htm"))]


def base_path(site_url: str) -> str:
    """The path the site is served under ('' at a domain's root, '/column' for a project site)."""
    return urlsplit(site_url or "").path.rstrip("/")


def target_for(url_path: str, to: str, paths: str = "same") -> str:
    """Where a URL of the old site goes: the same path at the new home, or its root."""
    if paths == "root":
        return to
    base = to if to.endswith("/") else to + "/"
    return base + quote(url_path.lstrip("/"), safe=_TARGET_SAFE)


# The head redirect_page writes, to the title: a page that starts so is one of ours.
_OWN_HEAD = re.compile(
    r'\A<!doctype html>\n<html lang="([^"]*)"(?: dir="rtl")?>\n<head>\n<meta charset="utf-8">\n'
    r'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>([^<]*)</title>\n'
    r'<link rel="canonical" href="[^"]*">\n<meta http-equiv="refresh" content="0; url=[^"]*">\n'
)


def earlier_redirect(text: str) -> tuple[bool, str | None]:
    """Whether ``text`` is a page :func:`redirect_page` wrote, and the title it was given then.

    A retired column's weekly build keeps last week's pages where nothing changed, and in
    redirect mode those are already redirects: read as a page of the column, "Moved: Tags"
    became "Moved: Moved: Tags", one "Moved:" longer every week, and every page was rewritten.
    """
    head = _OWN_HEAD.match(text)
    if not head:
        return False, None
    words = language(head.group(1))
    untitled = words.gettext("This page is now at %(link)s.").partition("%(link)s")[0]
    if f"<p>{untitled}" in text or f" {untitled}<a " in text:
        return True, None
    shown = html.unescape(head.group(2))
    before, _, after = words.gettext("Moved: %(title)s").partition("%(title)s")
    if shown.startswith(before) and shown.endswith(after) and len(shown) >= len(before) + len(after):
        return True, shown[len(before) : len(shown) - len(after)] or None
    return False, None


def page_title(text: str) -> str | None:
    match = _TITLE.search(text)
    if not match:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()) or None


def redirect_page(
    target: str, *, title: str | None, sitename: str, lang: str = "en", robots: str = "", ended: bool = True
) -> str:
    """A page that sends browsers and search engines to ``target`` (no JavaScript needed).

    ``ended``: the site has moved (a retired column); a live site's page at an imported post's
    old address says only where the page is now."""
    words = language(lang)
    t = html.escape(target, quote=True)
    name = html.escape(sitename)
    link = f'<a href="{t}">{t}</a>'
    moved = (
        words.gettext("“%(title)s” is now at %(link)s.") % {"title": html.escape(title), "link": link}
        if title
        else words.gettext("This page is now at %(link)s.") % {"link": link}
    )
    page_title = html.escape(words.gettext("Moved: %(title)s") % {"title": title or sitename})
    heading = html.escape(words.gettext("This page has moved"))
    said = ""
    if ended:
        said = words.gettext("%(site)s has ended here and moved to a new home.") % {"site": name} + " "
    meta_robots = f'<meta name="robots" content="{html.escape(robots, quote=True)}">\n' if robots else ""
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(language_tag(lang), quote=True)}"{dir_attribute(lang)}>\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{page_title}</title>\n"
        f'<link rel="canonical" href="{t}">\n'
        f'<meta http-equiv="refresh" content="0; url={t}">\n'
        f"{meta_robots}"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"<h1>{heading}</h1>\n"
        f"<p>{said}{moved}</p>\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


def rewrite_pages(
    output: Path,
    rels: Iterable[str],
    *,
    to: str,
    paths: str,
    sitename: str,
    lang: str = "en",
    robots: str = "",
    to_front: Collection[str] = (),
) -> dict[str, str]:
    """Replace each built page with its redirect; returns {URL path: target}.

    ``to_front``: pages only the retired site had (an archive's farewell and complete column),
    which the new home has no counterpart of: they go to its front page whatever ``paths`` says,
    with no title (their file may be gone or already a redirect: the page stays the same)."""
    done: dict[str, str] = {}
    for rel in rels:
        path = output / rel
        old = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        url = url_for(rel)
        front = rel in to_front
        # a host serves 404.html for every missing URL: send those readers to the front page
        target = target_for(url, to, "root" if rel == "404.html" or front else paths)
        ours, earlier = earlier_redirect(old)  # last week's redirect, kept: its title, not "Moved: …"
        title = None if front else earlier if ours else page_title(old)
        page = redirect_page(target, title=title, sitename=sitename, lang=lang, robots=robots)
        if page != old:
            atomic_write_text(path, page)
        done[url] = target
    return done


# --- server configuration --------------------------------------------------------------------


def _quoted(url_path: str) -> str:
    return quote(url_path, safe=_SAFE)


def redirects_file(mapping: dict[str, str], prefix: str = "", *, force: bool = False) -> str:
    """The block for ``_redirects``: one static 301 per page.

    Cloudflare Pages always applies a rule, even where a file exists (its
    limit is 2,000 static rules); Netlify serves an existing file first
    unless the status is forced with ``!`` (FLOOR_RETIRE_REDIRECT_FORCE),
    which Cloudflare rejects as an invalid status.
    """
    status = "301!" if force else "301"
    lines = [BEGIN]
    for url, target in sorted(mapping.items()):
        lines.append(f"{_quoted(prefix + url)} {target} {status}")
        if url.endswith("/") and url != "/":
            lines.append(f"{_quoted(prefix + url)}index.html {target} {status}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def _regex(url_path: str) -> str:
    """An anchored regex for a page URL (decoded, as Apache matches) and its explicit index.html."""
    escaped = re.escape(url_path).replace('"', '\\"')
    if url_path.endswith("/"):
        return f"^{escaped}(index\\.html)?$"
    return f"^{escaped}$"


def apache_redirects(mapping: dict[str, str], prefix: str = "") -> str:
    """mod_alias lines for ``.htaccess``: RedirectMatch 301 per page."""
    lines = ["<IfModule mod_alias.c>"]
    for url, target in sorted(mapping.items()):
        lines.append(f'  RedirectMatch 301 "{_regex(prefix + url)}" "{target}"')
    lines.append("</IfModule>")
    return "\n".join(lines)


def nginx_snippet(mapping: dict[str, str], prefix: str = "", headers: Sequence[str] = ()) -> str:
    """A file to ``include`` inside the old site's ``server { }`` block."""
    lines = [
        "# From the Floor: the retired column's redirects, generated by `floor build`.",
        "# Include this file inside the old site's server { } block, then reload nginx.",
        *headers,
    ]
    for url, target in sorted(mapping.items()):
        # nginx matches the decoded path; a quoted string keeps any space or brace literal
        path = (prefix + url).replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'location = "{path}" {{ return 301 {target}; }}')
        if url.endswith("/"):
            lines.append(f'location = "{path}index.html" {{ return 301 {target}; }}')
    return "\n".join(lines) + "\n"
