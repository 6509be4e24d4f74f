"""Browser-test fixtures: the demo site built in a temporary copy, served on an
ephemeral localhost port, and Debian's Chromium driven by Playwright.

Each pytest(-xdist) worker is its own session, so each worker copies, builds
and serves its own site: nothing is shared between processes and nothing is
written into the repository except screenshots under test-artifacts/.

Builds run with FLOOR_TODAY fixed, so the forecast and the stats never depend
on the real clock. ``variant_site`` is a second build of the demo with comments
switched on, one post's comments closed and a hostile question published.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers_serve import serve  # (re-exported: the browser tests import it from here)
from site_variant import HOSTILE_POST, VARIANT_SETTINGS

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("FLOOR_CHROMIUM", "/usr/bin/chromium"))
# The day the test builds plan for (a Wednesday after the demo's fourth post).
TODAY = "2026-11-25"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Top-level entries of the repository that a site build never needs.
NOT_SITE = {
    ".git",
    ".venv",
    "output",
    ".cache",
    "node_modules",
    "test-artifacts",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "build",
    "dist",
    "bench",
    ".floor.lock",
}


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _floor_command() -> list[str]:
    script = Path(sys.executable).with_name("floor")
    if script.exists():
        return [str(script)]
    found = shutil.which("floor")
    if found:
        return [found]
    return [sys.executable, "-c", "from from_the_floor.cli import run; run()"]


def _ignore(directory: str, names: list[str]) -> set[str]:
    top = Path(directory).resolve() == REPO
    return {n for n in names if n == "__pycache__" or n.endswith(".egg-info") or (top and n in NOT_SITE)}


def floor_env() -> dict[str, str]:
    """The environment of every `floor` run here: UTF-8 and a fixed 'today'."""
    return {**os.environ, "PYTHONUTF8": "1", "FLOOR_TODAY": TODAY}


def copy_repo(target: Path) -> Path:
    """The demo site (the repository minus tooling), copied so nothing is written into the repo."""
    shutil.copytree(REPO, target, ignore=_ignore, symlinks=True)
    return target


def build(root: Path) -> Path:
    """`floor build` on a site folder; returns its output/ folder."""
    result = subprocess.run(
        [*_floor_command(), "--site", str(root), "build"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=floor_env(),
    )
    assert result.returncode == 0, f"floor build failed:\n{result.stdout}\n{result.stderr}"
    output = root / "output"
    assert (output / "index.html").is_file(), "the build wrote no index.html"
    return output


def run_floor(root: Path, *args: str) -> str:
    """Another `floor` command on a built site (same 'today'); returns stdout."""
    result = subprocess.run(
        [*_floor_command(), "--site", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=floor_env(),
    )
    assert result.returncode == 0, f"floor {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo site, built; returns its output/ folder."""
    return build(copy_repo(tmp_path_factory.mktemp("demo-site") / "site"))


@pytest.fixture(scope="session")
def floor_cli(built_site: Path) -> Callable[..., str]:
    """``floor_cli("stats", "--json")``: a `floor` command on the built demo site, same 'today'."""
    return functools.partial(run_floor, built_site.parent)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 at a port the OS picks."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (Playwright's own browser download does not work here)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `make system-deps` (installs Debian's chromium)"
        if _under_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def page_factory(browser, base_url: str) -> Iterator[Callable[..., object]]:
    """Pages on ``base_url``; any JavaScript error or failed same-site request fails the test."""
    contexts = []
    problems: list[str] = []

    def make(width: int = 1280, height: int = 800, color_scheme: str = "light", javascript: bool = True):
        context = browser.new_context(
            base_url=base_url,
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            reduced_motion="reduce",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
        page.on(
            "response",
            lambda r: (
                problems.append(f"HTTP {r.status} for {r.url}")
                if r.url.startswith(base_url) and r.status >= 400
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def new_page(browser, site_url: str) -> Iterator[Callable[..., object]]:
    """A factory of fresh pages: new_page(width=1280, height=800, color_scheme="light", javascript=True).

    Each page has its own browser context (so colour scheme and viewport are
    independent), its base URL is the served site, and any JavaScript error or
    failed same-site request fails the test.
    """
    with page_factory(browser, site_url) as make:
        yield make


@pytest.fixture(scope="session")
def site_paths(built_site: Path) -> dict[str, str]:
    """URL paths of one page of each kind, found in the built output (not hard-coded)."""

    def first(folder: str) -> str:
        found = sorted(p.parent for p in (built_site / folder).glob("*/index.html"))
        assert found, f"the build wrote nothing under {folder}/"
        return f"/{found[0].relative_to(built_site).as_posix()}/"

    paths = {
        "home": "/",
        "post": first("floor"),
        "tag": first("tag"),
        "tags": "/tags/",
        "archives": "/archives/",
        "about": "/about/",
        "ask": "/ask/",
        "stats": "/stats/",
        "comment_policy": "/comment-policy/",
        "search": "/search/",
    }
    for name, path in paths.items():
        assert (built_site / path.strip("/") / "index.html").is_file(), f"no {name} page at {path}"
    return paths


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        message = f"{AXE_JS.relative_to(REPO)} is missing: run `make system-deps` (npm ci)"
        if _under_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


# --- a second build: comments on, one post closed, a hostile question published ---------------


@pytest.fixture(scope="session")
def variant_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site with comments on, one post closed (`comments: closed`), a hostile post; built."""
    root = copy_repo(tmp_path_factory.mktemp("variant-site") / "site")
    conf = root / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + VARIANT_SETTINGS, encoding="utf-8")
    posts = root / "content" / "floor"
    closed = sorted(posts.glob("*.md"))[0]
    text = closed.read_text(encoding="utf-8")
    closed.write_text(text.replace("\nquestion:", "\ncomments: closed\nquestion:", 1), encoding="utf-8")
    (posts / "can-i-write-a-script-here.md").write_text(HOSTILE_POST, encoding="utf-8")
    build(root)
    return root


@pytest.fixture(scope="session")
def variant_url(variant_root: Path) -> Iterator[str]:
    with serve(variant_root / "output") as url:
        yield url


@pytest.fixture
def variant_page(browser, variant_url: str) -> Iterator[Callable[..., object]]:
    """Like new_page, on the variant site."""
    with page_factory(browser, variant_url) as make:
        yield make
