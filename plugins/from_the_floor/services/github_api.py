"""The three GitHub REST API calls the kit makes, over the standard library's urllib.

- list a repository's issues: ``GET /repos/{owner}/{repo}/issues`` (paginated
  by the ``Link`` header; pull requests are issues too, and are skipped);
- comment on an issue: ``POST /repos/{owner}/{repo}/issues/{number}/comments``;
- close it: ``PATCH /repos/{owner}/{repo}/issues/{number}``.

Three JSON calls do not justify an HTTP client dependency. The token comes
from ``GITHUB_TOKEN``; the base URL from the ``FLOOR_GITHUB_API_URL`` setting,
else ``GITHUB_API_URL`` (set by GitHub Actions, and GitHub Enterprise's
address there), else https://api.github.com. The token is only ever sent to
that base URL's origin (scheme, host and port): a ``Link`` header or an HTTP
redirect to another host, or from https to http, is refused, not followed,
because urllib would otherwise copy the Authorization header along.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

from ..errors import FloorError

DEFAULT_API = "https://api.github.com"
API_VERSION = "2022-11-28"
MAX_PAGES = 100  # 10,000 issues: far more than a column's queue; stops a Link loop
_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="([^"]+)"')


def base_url(raw_settings: dict[str, Any]) -> str:
    url = raw_settings.get("FLOOR_GITHUB_API_URL") or os.environ.get("GITHUB_API_URL") or DEFAULT_API
    return str(url).rstrip("/")


def check_repo(repo: str) -> str:
    if not _REPO.match(repo or ""):
        raise FloorError(f"{repo!r} is not a repository name; write it as OWNER/NAME", field="--repo")
    return repo


def next_link(header: str | None) -> str | None:
    """The ``rel="next"`` URL of a Link header, if any."""
    for url, rel in _LINK.findall(header or ""):
        if "next" in rel.split():
            return url
    return None


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect (GitHub sends 301s for renamed repositories) only within one origin."""

    def __init__(self, origin: tuple[str, str]) -> None:
        self.origin = origin

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if (target.scheme, target.netloc) != self.origin:
            where = f"{target.scheme}://{target.netloc}"
            raise FloorError(
                f"GitHub redirected {req.get_method()} {urllib.parse.urlsplit(req.full_url).path} "
                f"to another host or scheme ({where}); not following it, so the token stays here"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class GitHub:
    """A small client: JSON in, JSON out, and one clear FloorError for every failure."""

    def __init__(self, base: str, token: str | None, *, timeout: float = 30) -> None:
        self.base = base.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._origin = urllib.parse.urlsplit(self.base)[:2]
        self._opener = urllib.request.build_opener(_SameOriginRedirects(self._origin))

    def _request(self, method: str, url: str, body: dict | None = None) -> tuple[Any, str | None]:
        if urllib.parse.urlsplit(url)[:2] != self._origin:
            raise FloorError(f"GitHub answered with a link to another host ({url}); not following it")
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "from-the-floor",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                payload = response.read()
                link = response.headers.get("Link")
        except urllib.error.HTTPError as exc:
            raise FloorError(self._http_problem(method, url, exc)) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FloorError(f"cannot reach the GitHub API at {self.base}: {reason}") from None
        try:
            return (json.loads(payload) if payload else None), link
        except ValueError:
            raise FloorError(f"GitHub's answer to {method} {url} is not JSON") from None

    def _http_problem(self, method: str, url: str, exc: urllib.error.HTTPError) -> str:
        try:
            detail = json.loads(exc.read() or b"{}").get("message", "")
        except (ValueError, AttributeError):
            detail = ""
        path = urllib.parse.urlsplit(url).path
        hint = {
            401: "the token was refused: set GITHUB_TOKEN to a valid token",
            403: "forbidden: the token lacks the 'issues' permission, or the rate limit is reached",
            404: "not found: check OWNER/NAME, and that the token can see the repository",
            410: "issues are disabled for this repository",
        }.get(exc.code, "")
        return f"GitHub API {method} {path} failed ({exc.code}{': ' + detail if detail else ''})" + (
            f"; {hint}" if hint else ""
        )

    def issues(self, repo: str, label: str | None, state: str = "open") -> Iterator[dict]:
        """Every issue (not pull request) with ``label``, oldest first, page by page."""
        query = {"state": state, "per_page": "100", "sort": "created", "direction": "asc"}
        if label:
            query["labels"] = label
        url: str | None = f"{self.base}/repos/{check_repo(repo)}/issues?{urllib.parse.urlencode(query)}"
        pages = 0
        while url and pages < MAX_PAGES:
            items, link = self._request("GET", url)
            if not isinstance(items, list):
                raise FloorError(f"GitHub's list of issues for {repo} is not a list")
            for item in items:
                if isinstance(item, dict) and "pull_request" not in item:
                    yield item
            url = next_link(link)
            pages += 1

    def comment(self, repo: str, number: int, body: str) -> dict:
        result, _ = self._request(
            "POST", f"{self.base}/repos/{check_repo(repo)}/issues/{number}/comments", {"body": body}
        )
        return result or {}

    def close(self, repo: str, number: int) -> dict:
        result, _ = self._request(
            "PATCH",
            f"{self.base}/repos/{check_repo(repo)}/issues/{number}",
            {"state": "closed", "state_reason": "completed"},
        )
        return result or {}


def client(raw_settings: dict[str, Any], *, need_token: bool) -> GitHub:
    token = os.environ.get("GITHUB_TOKEN") or None
    if need_token and not token:
        raise FloorError("GITHUB_TOKEN is not set: a token is needed to comment on and close issues")
    return GitHub(base_url(raw_settings), token)
