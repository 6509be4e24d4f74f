"""bench/bench_model.py stays runnable, and its prototype renders what the weekly build writes.

The bench asserts nothing and these tests check no timings: they run it on a tiny generated site
and check that the model (the live preview told about the weekly publish) rendered every affected
page and feed byte-equal to the file the weekly `floor build` wrote, after one regeneration.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers_bench import run_bench


def test_the_model_renders_the_weekly_builds_pages(tmp_path: Path) -> None:
    done = run_bench("bench_model.py", "--posts", "12", "--json", "--keep", str(tmp_path))
    table, _, rest = done.stdout.partition("\n{")
    figures = json.loads("{" + rest)
    model = figures["c_model"]
    pages = model["c3_pages"]
    assert model["new_posts"] and all(name.endswith(".md") for name in model["new_posts"])
    assert (model["c2_generations"], model["c2_patched"]) == (1, 0)
    assert pages["rendered"] > 0 and pages["equal_to_weekly_build"] == pages["rendered"]
    post = model["new_posts"][0].removesuffix(".md")
    assert any(post in name for name in json.loads((tmp_path / "affected.json").read_text(encoding="utf-8")))
    assert "(c1 + c3)" in table and "(b) weekly floor build" in table
