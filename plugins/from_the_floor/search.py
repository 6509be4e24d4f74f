"""Site search: Pagefind indexes the built output/ folder; the browser searches it.

The binary comes from the ``pagefind-bin`` wheel (no download at build
time). Indexing runs after the contact guard has passed the HTML, and a
stale bundle from an earlier build is removed first so that deleted posts
cannot be found.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import FloorError

BUNDLE = "pagefind"


def executable() -> Path:
    """The Pagefind binary shipped by the pagefind-bin package."""
    try:
        import pagefind_bin
    except ImportError:
        raise FloorError(
            "Pagefind is not installed (pip install pagefind-bin), or set FLOOR_SEARCH = False",
            field="FLOOR_SEARCH",
        ) from None
    try:
        return Path(pagefind_bin.get_executable())
    except FileNotFoundError as exc:
        raise FloorError(f"the pagefind-bin package has no binary for this platform: {exc}") from None


def index(site: Path, *, timeout: float = 300) -> str:
    """Index ``site`` (the built output/) into ``site/pagefind/``; returns Pagefind's report."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise FloorError("there is no built site to index (no index.html)", path=site)
    bundle = site / BUNDLE
    if (bundle / "pagefind-entry.json").is_file() or (bundle / "pagefind.js").is_file():
        shutil.rmtree(bundle)
    command = [str(executable()), "--site", str(site), "--output-subdir", BUNDLE, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FloorError(f"Pagefind could not run: {exc}", path=site) from None
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise FloorError(f"Pagefind failed (exit {result.returncode}): " + " | ".join(detail), path=site)
    return result.stdout
