"""`make template-reads`: the kit's theme analysed once, shipped with the kit (docs/performance-log.md).

Signing a page needs the names its templates can read (pelican_plugin/page_signatures.py):
Jinja parses each template and walks it, about 0.1 s of CPU for the kit's twenty-odd templates.
A build keeps the results in .cache/, but a first build (or a CI run without its cache) had to
work them all out. This script builds a small generated site with nothing shipped, takes every
analysis that build made, and writes them to pelican_plugin/template_reads.json, which builds
then read before analysing a template themselves. Run it (and commit the file) after editing a
template of the theme or upgrading Jinja; tests/pelican_plugin/test_template_reads.py says when.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-08"


def _generator():
    """bench/generate_site.py, the bench's site maker (bench/ is a folder of scripts, no package)."""
    bench = str(ROOT / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    import generate_site

    return generate_site


def harvest(site: Path) -> dict[str, str]:
    """Every template analysis a build of ``site`` (with no .cache/) works out, by the memo's
    digest of its input, with nothing shipped used."""
    from from_the_floor import paths
    from from_the_floor.core import memo
    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.pelican_plugin import page_signatures as ps

    made: dict[str, str] = {}
    syntaxes: set[str] = set()
    analyse, shipped = ps._analyse, ps.shipped

    def recorded(text: str) -> str:
        made[memo.digest(text)] = result = analyse(text)
        syntaxes.add(json.dumps(json.loads(text)[0]))
        return result

    ps._analyse, ps.shipped = recorded, lambda path=None: {}
    try:
        ps._analysis.forget()
        build_mod.build(Site(site), jobs=1, today=TODAY)
    finally:
        ps._analyse, ps.shipped = analyse, shipped
        ps._analysis.forget()
    # and the theme's templates that site did not reach (a retired column's, say), read as
    # Jinja's file loader reads them, under the syntax the build parsed with
    for syntax in syntaxes:
        for template in sorted((Path(paths.THEME_DIR) / "templates").glob("*.html")):
            text = json.dumps([json.loads(syntax), template.read_bytes().decode("utf-8")])
            made.setdefault(memo.digest(text), analyse(text))
    return made


def main() -> None:
    from from_the_floor.pelican_plugin import page_signatures as ps

    with tempfile.TemporaryDirectory() as tmp:
        site = _generator().generate(Path(tmp), 30, queued=2)["floor"]
        made = harvest(site)
    data = {
        "about": "The kit's theme analysed by page_signatures._analyse; made by `make template-reads`.",
        "salt": ps._SALT,
        "reads": dict(sorted(made.items())),
    }
    ps.SHIPPED.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{ps.SHIPPED.relative_to(ROOT)}: {len(made)} templates")


if __name__ == "__main__":
    main()
