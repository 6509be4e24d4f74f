"""The queue commands on a warm parse cache import only what they use.

Each module here cost a warm `floor queue`, `schedule` or `check` its import on every run
(at 10,000 questions the commands' whole budget is half a second) while nothing in such a
run calls it: YAML and the front-matter parser (the parse cache vouches for every file),
python-slugify, difflib (a mistyped field's suggestion), tempfile and shutil (nothing is
written), importlib.resources (a phone region from the time zone), the contact recogniser
(withdrawn.json's public notes), Babel (an English column's language checks), packaging
(requirements.txt pinning the running kit plainly) and the intake
code (the rejected folder's name). Each test runs
the command in a fresh interpreter after a first run has filled the parse cache.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from from_the_floor.core.parse_cache import RACY_NS
from helpers_floor import REPO, floor_env, ok, run_floor

# never needed by a warm run of any of the four commands
UNUSED = {"yaml", "frontmatter", "slugify", "babel", "packaging", "from_the_floor.intake"}
# nor by the listing commands (floor check needs more: the contact check's recogniser reads
# its data with importlib.resources, which brings tempfile; the misspelt-field warning, difflib)
UNUSED_LISTING = UNUSED | {
    "difflib",
    "shutil",
    "tempfile",
    "importlib.resources",
    "from_the_floor.core.contact_recogniser",
}


def _bench_queue():
    spec = importlib.util.spec_from_file_location("bench_queue", REPO / "bench" / "bench_queue.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def warm_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bench's queue at 40 questions (contacts sealed, as `floor ask` stores them), old
    enough to be cached, its parse cache and `floor check`'s verdicts written by first runs."""
    site = tmp_path_factory.mktemp("warm") / "site"
    _bench_queue().generate(site, 40)
    time.sleep(RACY_NS / 1e9)  # files this new are parsed every time, never kept
    ok(run_floor("queue", site=site, today="2026-11-16"))
    ok(run_floor("check", site=site, today="2026-11-16"))  # (and its contact check's verdicts)
    return site


def _imported(site: Path, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after `floor --site SITE ARGS`."""
    code = textwrap.dedent(
        f"""
        import contextlib, io, json, sys
        from from_the_floor.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main(["--site", {str(site)!r}, *{list(args)!r}], prog_name="floor")
            except SystemExit as exc:
                assert exc.code in (0, None), exc.code
        print(json.dumps(sorted(sys.modules)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=floor_env("2026-11-16"),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def _found(modules: set[str], names: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize("args", [("queue",), ("queue", "--json"), ("schedule", "--json")])
def test_listing_commands_import_nothing_they_do_not_use(warm_site: Path, args: tuple[str, ...]) -> None:
    modules = _imported(warm_site, *args)
    assert "from_the_floor.core.queue" in modules  # (the command ran)
    assert not _found(modules, UNUSED_LISTING)


def test_check_imports_nothing_it_does_not_use(warm_site: Path) -> None:
    modules = _imported(warm_site, "check")
    assert "from_the_floor.core.source_check" in modules  # (the contact check ran)
    assert not _found(modules, UNUSED)
