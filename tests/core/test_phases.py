"""FLOOR_PHASES: a build's phases with their wall and CPU time, the workers' CPU apart."""

from __future__ import annotations

import json
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
