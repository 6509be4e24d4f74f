"""Fixtures for the plugin's tests, which build sites in this process."""

from __future__ import annotations

import weakref
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def only_the_kits_receivers() -> Iterator[None]:
    """Pelican never disconnects a plugin: one an earlier test's site loaded into this process
    (a test of other authors' plugins) still listens to Pelican's signals, and a later build of
    another site would take it for its own (engine.foreign_receivers: posts signed from their
    values, the staging folder made here with copies). Each test starts with only the kit's and
    Pelican's receivers; a site with a plugin of its own connects it again as it is built."""
    from from_the_floor.pelican_plugin import engine
    from pelican import signals

    aside: list[tuple[dict, object, object]] = []
    for name in dir(signals):
        receivers = getattr(getattr(signals, name), "receivers", None)
        if not isinstance(receivers, dict):
            continue
        for key, receiver in list(receivers.items()):
            target = receiver() if isinstance(receiver, weakref.ref) else receiver
            module = getattr(target, "__module__", None) or type(target).__module__ or ""
            if target is not None and not engine._known_writer(module):
                aside.append((receivers, key, receivers.pop(key)))
    try:
        yield
    finally:
        for receivers, key, receiver in aside:
            receivers.setdefault(key, receiver)
