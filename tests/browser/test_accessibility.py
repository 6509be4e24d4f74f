"""axe-core, injected into the built pages in a real Chromium, finds no WCAG A/AA
violations in the light or the dark colour scheme."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ["home", "post", "tag", "tags", "archives", "about"]


def run_axe(page, axe_source: str, tags: list[str]) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return {violations: r.violations, ran: r.passes.length + r.violations.length
                    + r.incomplete.length + r.inapplicable.length};
        }""",
        tags,
    )
    assert result["ran"] > 0, "axe ran no rules at all"
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:160]}")
            for detail in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {detail.strip()}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGES)
def test_no_wcag_a_or_aa_violations(new_page, site_paths, axe_source, kind, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(site_paths[kind])
    violations = run_axe(page, axe_source, WCAG_TAGS)
    assert not violations, f"axe found on {kind} ({site_paths[kind]}, {scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_not_found_has_no_wcag_or_best_practice_violations(new_page, axe_source, scheme):
    """The 404 page, which a reader reaches from a mistyped or old link (the other page kinds are
    above and in test_reader_site.py)."""
    page = new_page(color_scheme=scheme)
    page.goto("/404.html")
    violations = run_axe(page, axe_source, [*WCAG_TAGS, "best-practice"])
    assert not violations, f"axe found on the 404 page ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("kind", PAGES)
def test_no_axe_best_practice_violations(new_page, site_paths, axe_source, kind):
    """Landmarks, one main, heading order, page-level heading: axe's best practices."""
    page = new_page()
    page.goto(site_paths[kind])
    violations = run_axe(page, axe_source, ["best-practice"])
    assert not violations, f"axe found on {kind} ({site_paths[kind]}):\n{describe(violations)}"


def test_axe_catches_a_real_violation(new_page, site_paths, axe_source):
    """The check can fail: an image without alt text and grey-on-white text are reported."""
    page = new_page()
    page.goto(site_paths["post"])
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend",
                '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
                '<p style="color:#bbb;background:#fff">faint</p>');
        }"""
    )
    ids = {v["id"] for v in run_axe(page, axe_source, WCAG_TAGS)}
    assert {"image-alt", "color-contrast"} <= ids
