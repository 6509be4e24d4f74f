"""Helpers for the build tests: the bench's site generator, output trees and their comparison."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_site", ROOT / "bench" / "generate_site.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_site", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return sys.modules["generate_site"]


generate_site = _load_generator()


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def opened_tree(root: Path) -> dict[str, bytes]:
    """:func:`tree`, each sealed contact opened: age seals with a fresh key each time, so two
    generations of a bench site differ only in their contacts' ciphertexts."""
    import re

    from from_the_floor.core import sealing

    keys = sealing.Keys(root=root / "floor", recipient=None, env_key=generate_site.BENCH_KEY[0])

    def plain(match: re.Match[bytes]) -> bytes:
        return b"contact: " + (keys.open(match.group(1).decode()) or "").encode()

    return {name: re.sub(rb"contact: (age:\S+)", plain, data) for name, data in tree(root).items()}


def assert_same(got: dict[str, bytes], want: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(want)
    differing = [name for name in want if got[name] != want[name]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


def every_preview_page(preview) -> dict[str, bytes | None]:
    """Every name a live preview (pelican_plugin.preview.LivePreview) serves, with what it serves:
    the rendered page, or the static file's bytes."""
    out = {}
    for name in preview.names():
        data = preview.render(name)
        out[name] = data if data is not None else preview.static_file(name)
    return out


def generated_site(root: Path, posts: int) -> Path:
    """A generated `floor init` site with two questions queued; the search index (made at
    `finalized`, from output/) is off."""
    site = generate_site.generate(root, posts, queued=2)["floor"]
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nFLOOR_SEARCH = False\n")
    return site


def built_site(root: Path, posts: int, *, today: str, jobs: int = 1, settings: str = "") -> Path:
    """:func:`generated_site` (with ``settings`` added to its pelicanconf.py), built once
    (``floor build`` on ``today``): the last build a following build keeps pages of."""
    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod

    site = generated_site(root, posts)
    if settings:
        with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
            conf.write(settings)
    build_mod.build(Site(site), jobs=jobs, today=today)
    return site


def spy_rendered(monkeypatch) -> list[str]:
    """The outputs each following build renders (not kept), relative to output/, in order."""
    from from_the_floor.pelican_plugin import incremental

    names: list[str] = []
    mark = incremental.Plan._mark

    def spy(self, jobs, staged):
        jobs = list(jobs)
        mark(self, jobs, staged)
        names.extend(incremental._rel(j.path, staged) for j in jobs if not j.keep and not j.skip)

    monkeypatch.setattr(incremental.Plan, "_mark", spy)
    return names
