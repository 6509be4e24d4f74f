"""Browser-test fixtures: the demo site built in a temporary copy, served on an
ephemeral localhost port, and Debian's Chromium driven by Playwright.

Each pytest(-xdist) worker is its own session, so each worker copies, builds
and serves its own site: nothing is shared between processes and nothing is
written into the repository except screenshots under test-artifacts/.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("FLOOR_CHROMIUM", "/usr/bin/chromium"))
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo site, built; returns its output/ folder."""
    root = tmp_path_factory.mktemp("demo-site") / "site"
    shutil.copytree(REPO, root, ignore=_ignore, symlinks=True)
    result = subprocess.run(
        [*_floor_command(), "--site", str(root), "build"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"floor build failed:\n{result.stdout}\n{result.stderr}"
    output = root / "output"
    assert (output / "index.html").is_file(), "the build wrote no index.html"
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the site's requests are not news
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 at a port the OS picks."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


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


@pytest.fixture
def new_page(browser, site_url: str) -> Iterator[Callable[..., object]]:
    """A factory of fresh pages: new_page(width=1280, height=800, color_scheme="light", javascript=True).

    Each page has its own browser context (so colour scheme and viewport are
    independent), its base URL is the served site, and any JavaScript error or
    failed same-site request fails the test.
    """
    contexts = []
    problems: list[str] = []

    def make(width: int = 1280, height: int = 800, color_scheme: str = "light", javascript: bool = True):
        context = browser.new_context(
            base_url=site_url,
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
                if r.url.startswith(site_url) and r.status >= 400
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


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
