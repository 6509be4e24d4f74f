"""The layers, as the imports show them: the core never needs Pelican, Jinja or click.

Two views of the same rule. The static one reads every import statement of
every module (those inside functions too, which a plain import test misses).
The dynamic one imports each core module alone in a fresh interpreter and
looks at what got loaded, the way click's own test_imports.py does.
"""

from __future__ import annotations

import ast
import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "from_the_floor"

# Where Pelican and Jinja may be imported: the plugin side.
PELICAN_SIDE = {
    "plugin",
    "reader_site",
    "retirement",
    "engine",
    "build",
    "preview",
    "theme_fallback",
    "opt_in",
    "peers",
}
CLI_SIDE = {"cli"}  # the only place click is imported
ENTRY = {"__init__"}  # register() wires the plugin side, inside the function only
FRAMEWORKS = {"pelican", "jinja2", "click", "markupsafe", "blinker"}

# Today's one exception, with its reason: a tag's URL must be the one Pelican writes, so the slug
# comes from Pelican's own slugify, imported inside the function (loading the module pulls no
# Pelican in; the dynamic test below checks that).
ALLOWED = {("tag_slugs", "pelican")}

MODULES = sorted(p.stem for p in PACKAGE.glob("*.py"))
CORE = [m for m in MODULES if m not in PELICAN_SIDE | CLI_SIDE | ENTRY]


@functools.cache
def _tree(module: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))


@functools.cache
def imports(module: str) -> tuple[frozenset[str], frozenset[str]]:
    """(outside top-level packages, sibling modules) that ``module`` imports anywhere in its text."""
    tree = _tree(module)
    outside: set[str] = set()
    siblings: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            outside |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            root = node.module.split(".")[0]
            if root == "from_the_floor":
                siblings |= {node.module.split(".")[1]} if "." in node.module else set()
            else:
                outside.add(root)
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                siblings.add(node.module.split(".")[0])
            else:
                siblings |= {alias.name for alias in node.names}
    return frozenset(outside), frozenset(siblings & set(MODULES))


def test_every_module_is_in_a_layer() -> None:
    assert set(CORE) | PELICAN_SIDE | CLI_SIDE | ENTRY == set(MODULES)
    assert set(MODULES) >= PELICAN_SIDE, "a module named here is gone: update the layer lists"


@pytest.mark.parametrize("module", CORE)
def test_core_imports_no_framework_and_no_adapter(module: str) -> None:
    outside, siblings = imports(module)
    used = {name for name in outside & FRAMEWORKS if (module, name) not in ALLOWED}
    assert not used, f"{module} imports {sorted(used)}"
    assert not siblings & (PELICAN_SIDE | CLI_SIDE), f"{module} imports {sorted(siblings & PELICAN_SIDE)}"


@pytest.mark.parametrize("module", sorted(PELICAN_SIDE))
def test_the_plugin_side_never_imports_the_cli(module: str) -> None:
    outside, siblings = imports(module)
    assert "click" not in outside and not siblings & CLI_SIDE


def test_only_the_cli_imports_click() -> None:
    users = [m for m in MODULES if "click" in imports(m)[0]]
    assert users == ["cli"]


CHECK = """
import importlib, json, sys
frameworks = set(json.loads(sys.argv[1]))
for module in json.loads(sys.argv[2]):
    importlib.import_module("from_the_floor." + module)
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in frameworks)
    if loaded:  # nothing was loaded before this module: it is the one that pulled them in
        print(json.dumps({module: loaded}))
        break
else:
    print("{}")
"""


def test_importing_the_core_loads_no_framework() -> None:
    """Function-level imports included: loading every core module pulls no Pelican, Jinja or click in.

    One interpreter imports them one after another; the first that loads a
    framework is named (before it, none was loaded).
    """
    args = [json.dumps(sorted(FRAMEWORKS)), json.dumps(CORE)]
    done = subprocess.run(
        [sys.executable, "-c", CHECK, *args], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(done.stdout) == {}


def test_no_import_cycles_between_modules() -> None:
    """Module-level imports form no cycle (function-level ones are deliberate late bindings)."""
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        deps: set[str] = set()
        for node in _tree(module).body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        graph[module] = deps & set(MODULES)
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for dep in sorted(graph[module]):
            visit(dep, [*path, module])
        done.add(module)

    for module in MODULES:
        visit(module, [])
