"""The contact guard's worker beside the build hands its warnings to the build's process; a
worker that failed (killed, or no report) hands a traceback's text instead, which is not said."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from from_the_floor.core import guard
from from_the_floor.pelican_plugin import build


class _Child:
    def __init__(self, ok: bool, value: object) -> None:
        self._report = (ok, value)

    def result(self) -> tuple[bool, object]:
        return self._report


def _beside(monkeypatch: pytest.MonkeyPatch, child: _Child, found: list[str]) -> build._GuardBeside:
    beside = build._GuardBeside()
    beside._child = child
    beside._args = (object(), None, Path("."))
    monkeypatch.setattr(build, "_scan_sources", lambda *_a: found.append("scanned here"))
    monkeypatch.setattr(build, "_mark_checked", lambda _i: None)
    monkeypatch.setattr(beside, "start", lambda *_a, **_k: None)
    return beside


def test_a_failed_workers_traceback_is_not_said_as_warnings(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    found: list[str] = []
    beside = _beside(monkeypatch, _Child(False, "Traceback (most recent call last):\n  boom\n"), found)
    with caplog.at_level(logging.WARNING, logger="from_the_floor.core.guard"):
        beside.wait()
    assert found == ["scanned here"]  # checked again in the build's process
    assert [r.getMessage() for r in caplog.records] == []


def test_a_workers_kept_warning_is_said_by_the_build(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    found: list[str] = []
    message = "a warning only this test says (s33 review)"
    beside = _beside(monkeypatch, _Child(True, [message]), found)
    guard._say_once.cache_clear()
    with caplog.at_level(logging.WARNING, logger="from_the_floor.core.guard"):
        beside.wait()
    assert found == []
    assert [r.getMessage() for r in caplog.records] == [message]
