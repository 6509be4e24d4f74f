"""Shared fixtures: a fresh site from `floor init`, the real `floor` command, file helpers.

Every fixture works under ``pytest -n auto``: sites live in ``tmp_path``, nothing
uses a fixed path or port, and every command gets ``FLOOR_TODAY`` so no test
depends on the real clock. Plain helpers live in helpers_floor.py.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers_floor import copy_demo_site, question_text, tree_digest, write_question
from helpers_floor import run_floor as _run_floor
from hypothesis import settings as hypothesis_settings

# No per-example time limit: these machines are shared and noisy, and a test asserts behaviour,
# never speed (the bench measures that).
# In CI (CI set) the examples are the same every run, so a submission's result does not depend on
# the draw; on a developer's machine they are random, which is how new counter-examples are found
# (each found one becomes a unit test).
hypothesis_settings.register_profile("floor", deadline=None, derandomize=bool(os.environ.get("CI")))
hypothesis_settings.load_profile("floor")


@pytest.fixture
def run_floor() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_floor(*args, site=…, today=…, env=…, input=…, cwd=…)`` → CompletedProcess."""
    return _run_floor


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A new site made by `floor init` in tmp_path (no questions yet)."""
    target = tmp_path / "site"
    result = _run_floor(
        "init", target, "--no-git", "--title", "From the Floor", "--author", "The Author"
    )  # tests that need a repository make their own
    assert result.returncode == 0, result.stderr
    return target


@pytest.fixture
def make_question() -> Callable[..., Path]:
    """``make_question(site, qid, question=…, quick=…, body=…, **raw_fields)`` → the file."""

    def make(site: Path, qid: str, question: str = "Is this a question?", **kwargs) -> Path:
        return write_question(site, qid, question_text(question, **kwargs))

    return make


@pytest.fixture
def tree_hash() -> Callable[..., dict[str, str]]:
    """``tree_hash(root, skip=("output/",))`` → {relative path: sha256}."""
    return tree_digest


@pytest.fixture
def demo_site(tmp_path: Path) -> Path:
    """A private copy of the repository's demo site."""
    return copy_demo_site(tmp_path / "demo")


@pytest.fixture(scope="session")
def kit_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and wheel `python -m build` makes of this checkout (built once per session)."""
    from helpers_kit import build_dist

    return build_dist(tmp_path_factory)


@pytest.fixture(scope="session")
def kit_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local package index: the kit's wheel plus its dependencies' (once per session)."""
    from helpers_kit import build_wheelhouse

    return build_wheelhouse(tmp_path_factory)
