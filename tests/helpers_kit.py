"""The kit as a release ships it: an sdist and a wheel built from this checkout, and a local
wheelhouse (the wheel plus its dependencies) that `--no-index --find-links` installs from the
way the package index would serve it.

Built once per test session, also under pytest-xdist: the first worker builds into a folder
all workers share, under a file lock; the others find it done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from filelock import FileLock

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def shared_dir(factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder every xdist worker of this session sees (the session's base temp dir)."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / name


def _once(folder: Path, make) -> Path:
    with FileLock(str(folder) + ".lock"):
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            (folder / ".done").touch()
    return folder


def _run(command: list[str], **kwargs) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600, **kwargs)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def uv() -> str:
    found = shutil.which("uv", path=os.pathsep.join([str(BIN), os.environ["PATH"]]))
    if found is None:
        pytest.fail("uv is not installed: pip install -e '.[test]' (it comes with the test extra)")
    return found


def setuptools_floor() -> int:
    """The major version the build-system bound names (`setuptools>=77` → 77)."""
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"][
        "requires"
    ]
    (bound,) = (r for r in requires if r.startswith("setuptools"))
    return int(bound.split(">=")[1].split(".")[0])


def build_dist(factory: pytest.TempPathFactory) -> Path:
    """`python -m build` of the checkout (the sdist, then the wheel built from it), as a release,
    with the oldest setuptools the build-system bound allows: the bound must really build it."""

    def make(folder: Path) -> None:
        oldest = folder.parent / "kit-dist-constraints.txt"
        oldest.write_text(f"setuptools<{setuptools_floor() + 1}\n", encoding="utf-8")
        # uv makes the isolated build environment (setuptools from the index, as on CI)
        _run(
            [
                sys.executable,
                "-m",
                "build",
                "--installer",
                "uv",
                "--dependency-constraints-txt",
                str(oldest),
                "--outdir",
                str(folder),
                str(REPO),
            ],
            env={**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ["PATH"]])},
        )

    return _once(shared_dir(factory, "kit-dist"), make)


def build_wheelhouse(factory: pytest.TempPathFactory) -> Path:
    """The kit's wheel and a wheel of every dependency: what `pip install from-the-floor` fetches."""
    dist = build_dist(factory)

    def make(folder: Path) -> None:
        (wheel,) = dist.glob("*.whl")
        # the dependencies come from pip's cache or the package index
        _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(folder), str(wheel)])

    return _once(shared_dir(factory, "kit-wheelhouse"), make)


def wheel_venv(wheelhouse: Path, folder: Path) -> Path:
    """A fresh virtual environment in ``folder`` with the kit installed from ``wheelhouse``, as a
    user installs it (the package index's files, never this checkout); returns its bin folder."""
    env = {
        **os.environ,
        "UV_NO_INDEX": "1",
        "UV_FIND_LINKS": str(wheelhouse),
        "UV_CACHE_DIR": str(folder / "uv-cache"),
    }
    venv = folder / "venv"
    for command in (
        [uv(), "venv", "--quiet", "--python", sys.executable, str(venv)],
        [uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "from-the-floor"],
    ):
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=300)
        assert done.returncode == 0, done.stderr
    return venv / "bin"
