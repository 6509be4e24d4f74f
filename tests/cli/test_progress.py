"""A long command says what it is doing on the author's terminal, and nothing in CI or a pipe."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_floor import FLOOR_COMMAND, Terminal, floor_env, ok, run_floor

STEP = "Building: "


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "column"
    ok(
        run_floor(
            "init",
            root,
            "--no-input",
            "--no-git",
            "--title",
            "From the Floor",
            "--author",
            "The Author",
            site=None,
        )
    )
    ok(run_floor("ask", "Where does the time go in a build?", site=root))
    return root


def build_on_a_terminal(site: Path, **extra: str) -> tuple[int, str]:
    env = floor_env(extra=extra)
    if "CI" not in extra:
        env.pop("CI", None)
    terminal = Terminal([*FLOOR_COMMAND, "--site", str(site), "build"], env, site)
    before = terminal.expect("built ")
    code, rest = terminal.finish()
    return code, before + rest


def test_a_build_on_a_terminal_names_its_steps(site: Path) -> None:
    code, shown = build_on_a_terminal(site)
    assert code == 0, shown
    assert f"{STEP}checking what changed" in shown
    assert f"{STEP}reading the posts and writing the pages" in shown
    assert "files for readers' contacts" in shown


def test_in_ci_or_a_pipe_a_build_prints_only_its_result(site: Path) -> None:
    code, shown = build_on_a_terminal(site, CI="true")
    assert code == 0, shown
    assert STEP not in shown and "built " in shown
    piped = ok(run_floor("build", "--full", site=site))
    assert STEP not in piped
