"""FLOOR_PHASES: a build's phases with their wall and CPU time, the workers' CPU apart."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from from_the_floor.core import forked, phases


def _spin(seconds: float) -> int:
    end, n = time.process_time() + seconds, 0
    while time.process_time() < end:
        n += 1
    return n


def test_nothing_is_recorded_without_the_variable(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(phases.ENV, raising=False)
    phases.mark("one")
    phases.save()
    assert phases.summary() == [] and not list(tmp_path.iterdir())


def test_each_phase_has_its_own_and_its_workers_cpu(monkeypatch, tmp_path: Path) -> None:
    record = tmp_path / "phases.json"
    monkeypatch.setenv(phases.ENV, str(record))
    phases.mark("alone")
    _spin(0.05)
    phases.mark("with a worker")
    ok, _ = forked.spawn(lambda: _spin(0.1)).result()
    assert ok
    phases.save()
    alone, worker = json.loads(record.read_text(encoding="utf-8"))
    assert alone["phase"] == "alone" and alone["cpu"] >= 0.04 and alone["workers_cpu"] < 0.04
    assert worker["phase"] == "with a worker" and worker["workers_cpu"] >= 0.08
    assert worker["wall"] >= 0.0


def test_where_the_phases_go_is_no_part_of_the_build(monkeypatch, tmp_path: Path) -> None:
    """The bench sets FLOOR_PHASES on some builds: a build without it still finds nothing to do."""
    from from_the_floor.core import build_manifest

    monkeypatch.delenv(phases.ENV, raising=False)
    before = build_manifest.environment()
    monkeypatch.setenv(phases.ENV, str(tmp_path / "phases.json"))
    assert build_manifest.environment() == before
    monkeypatch.setenv("FLOOR_SOMETHING_ELSE", "1")
    assert build_manifest.environment() != before


def _touch(mib: int) -> int:
    block = bytearray(mib << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return len(block)


def test_each_process_has_its_own_peak_memory(monkeypatch, tmp_path: Path) -> None:
    """The build process, its forked workers and other programs (Pagefind) are measured apart."""
    record = tmp_path / "phases.json"
    monkeypatch.setenv(phases.ENV, str(record))
    phases.mark("a worker")
    ok, _ = forked.spawn(lambda: _touch(96)).result()
    assert ok
    phases.mark("another program")
    helper = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; b = bytearray(80 << 20); b[::4096] = b'1' * len(b[::4096]); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
    )
    try:
        while helper.poll() is None and not _resident_kib(helper.pid) > 80 << 10:
            time.sleep(0.01)
        phases.helper_ending("indexer", helper.pid)
    finally:
        helper.communicate(b"")
    phases.mark("here")
    _touch(48)
    phases.save()
    worker, other, here = json.loads(record.read_text(encoding="utf-8"))
    assert worker["workers_rss_kib"] >= 96 << 10 and worker["helpers"] == {}
    assert other["workers_rss_kib"] == 0 and other["helpers"]["indexer"] >= 80 << 10
    assert here["rss_kib"] >= (48 << 10) and here["rss_kib"] >= other["rss_kib"] >= worker["rss_kib"] > 0


def _resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
