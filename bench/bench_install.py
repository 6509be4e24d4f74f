"""Bench (not a test): the weekly job's "Install the kit" step, pip against uv, cold and warm.

    .venv/bin/python bench/bench_install.py [--repeat 3] [--wheelhouse DIR]

A site's requirements.txt (as `floor init` writes it) is installed into a fresh virtual
environment from a local wheelhouse (`--no-index --find-links`: the kit's wheel, built from
this checkout, and its dependencies), so the network is out of the figures and what is left
is the installer's own work. "cold": an empty cache (a first run, or a new kit version);
"warm": the cache a previous run left (what setup-python's `cache: pip` or setup-uv's
`enable-cache` restores). pip byte-compiles what it installs and uv does not, so uv is timed
with `--compile-bytecode` too. Prints the median, fastest and slowest of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from from_the_floor.commands import kit_pin

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(command: list[str], **kwargs) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")


def find_uv() -> str:
    found = shutil.which("uv", path=os.pathsep.join([str(BIN), os.environ["PATH"]]))
    if found is None:
        sys.exit("uv is not installed: pip install -e '.[test]'")
    return found


def wheelhouse(target: Path) -> Path:
    """The kit's wheel (from this checkout) and every dependency's, as the index serves them.

    The wheel is built as a release builds it (`python -m build`: the sdist, then the wheel
    from the sdist), so no stale file from an in-tree build/ folder can slip in.
    """
    dist = target.parent / "dist"
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ["PATH"]])}
    run([sys.executable, "-m", "build", "--installer", "uv", "--outdir", str(dist), str(REPO)], env=env)
    (wheel,) = dist.glob("*.whl")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(target), str(wheel)])
    return target


def install_command(tool: str, venv: Path, wh: Path, cache: Path, requirements: Path) -> list[str]:
    python = str(venv / "bin" / "python")
    common = ["--no-index", "--find-links", str(wh), "--cache-dir", str(cache), "-r", str(requirements)]
    if tool == "pip":
        return [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *common]
    extra = ["--compile-bytecode"] if tool == "uv --compile-bytecode" else []
    return [find_uv(), "pip", "install", "--quiet", "--python", python, *extra, *common]


def fresh_venv(path: Path, tool: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
    if tool == "pip":  # pip must be in the venv; uv installs from outside it
        run([sys.executable, "-m", "venv", str(path)])
    else:
        run([find_uv(), "venv", "--quiet", "--python", sys.executable, str(path)])


def time_install(tool: str, warm: bool, work: Path, wh: Path, requirements: Path) -> float:
    """One timed install into a fresh venv; the venv and the cache's state are set up untimed."""
    cache = work / f"cache-{tool.replace(' ', '')}"
    venv = work / "venv"
    if not warm:
        shutil.rmtree(cache, ignore_errors=True)
    elif not cache.exists():  # a previous week's run fills the cache
        fresh_venv(venv, tool)
        run(install_command(tool, venv, wh, cache, requirements))
    fresh_venv(venv, tool)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    start = time.perf_counter()
    run(install_command(tool, venv, wh, cache, requirements), env=env)
    elapsed = time.perf_counter() - start
    if not (venv / "bin" / "floor").exists():
        sys.exit(f"{tool}: the install did not provide `floor`")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--wheelhouse", type=Path, help="reuse this wheelhouse instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="floor-bench-install-") as tmp:
        work = Path(tmp)
        wh = args.wheelhouse or wheelhouse(work / "wheelhouse")
        requirements = work / "requirements.txt"
        requirements.write_text(kit_pin.requirements_text(kit_pin.installed_version()), encoding="utf-8")
        wheels = len(list(wh.glob("*.whl")))
        print(
            f"installing {kit_pin.DIST}=={kit_pin.installed_version()} and its dependencies "
            f"({wheels} wheels) from a local wheelhouse; {args.repeat} runs each\n"
        )
        print(f"load average at the start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        print(f"{'installer':<24} {'cache':<6} {'median s':>9} {'fastest':>8} {'slowest':>8}")
        for tool in ("pip", "uv", "uv --compile-bytecode"):
            for warm in (False, True):
                times = [time_install(tool, warm, work, wh, requirements) for _ in range(args.repeat)]
                print(
                    f"{tool:<24} {'warm' if warm else 'cold':<6} {statistics.median(times):>9.2f} "
                    f"{min(times):>8.2f} {max(times):>8.2f}"
                )
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
