"""The layers, as the imports show them (docs/architecture.md).

Rule: ``errors ← core ← services, web, intake ← commands ← desk, cli``; ``pelican_plugin``
may use core, web and services, never commands, desk or cli; ``desk`` may also use the
preview (pelican_plugin) and nothing but cli imports it. Only pelican_plugin and desk import
Jinja, only pelican_plugin Pelican, only desk the web server (Starlette, uvicorn), only cli click.

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
TOP = "from_the_floor"

# What each layer may import from the kit, besides itself. ``top`` is the package's own
# files: errors.py, paths.py and version.py (shared by every layer) and __init__.py, which no
# layer imports (it is the entry point; importing it from a layer is a cycle).
MAY_USE: dict[str, set[str]] = {
    "core": {"errors", "paths", "version"},
    "services": {"errors", "paths", "version", "core"},
    "intake": {"errors", "paths", "version", "core", "services"},  # GitHub issues come through the GitHub API
    "web": {"errors", "paths", "version", "core"},
    "commands": {"errors", "paths", "version", "core", "services", "intake", "web"},
    "pelican_plugin": {"errors", "paths", "version", "core", "services", "web"},
    # the author's local web page: above commands, and the live preview's engine
    "desk": {"errors", "paths", "version", "core", "services", "intake", "web", "commands", "pelican_plugin"},
    "cli": {
        *("errors", "paths", "version", "core", "services", "intake", "web", "commands"),
        *("pelican_plugin", "desk"),
    },
}
LAYERS = sorted(MAY_USE)
SHARED = {"errors", "paths", "version"}
FRAMEWORKS = {"pelican", "jinja2", "click", "markupsafe", "blinker", "starlette", "uvicorn", "multipart"}
FRAMEWORKS_OF = {
    "pelican_plugin": {"pelican", "jinja2", "markupsafe", "blinker"},
    "desk": {"jinja2", "markupsafe", "starlette", "uvicorn", "multipart"},
    "cli": {"click"},
}

# No exception: a tag's slug is Pelican's own slugify, handed to core/tag_slugs.py by the caller.
ALLOWED: set[tuple[str, str]] = set()


def _name(path: Path) -> str:
    """``core.queue`` for core/queue.py, ``core`` for core/__init__.py, ``errors`` for errors.py."""
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts) or "__init__"


SOURCES = {
    _name(p): p for p in sorted(PACKAGE.rglob("*.py")) if not {"skeleton", "pelican_namespace"} & set(p.parts)
}
MODULES = sorted(SOURCES)


def layer_of(module: str) -> str:
    head = module.split(".")[0]
    return head if head in MAY_USE else "top"


CORE = [m for m in MODULES if layer_of(m) == "core"]


@functools.cache
def _tree(module: str) -> ast.Module:
    return ast.parse(SOURCES[module].read_text(encoding="utf-8"))


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    """The kit modules (``core.queue``) a ``from ... import`` statement names, absolute or relative."""
    if node.level == 0:
        if not node.module or node.module.split(".")[0] != TOP:
            return []
        base = node.module.split(".")[1:]
    else:
        package = module.split(".") if SOURCES[module].name == "__init__.py" else module.split(".")[:-1]
        if module == "__init__":
            package = []
        base = package[: len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
    found = []
    for alias in node.names:  # `from .core import queue` names a module; `from .core.queue import X` not
        candidate = ".".join([*base, alias.name])
        found.append(candidate if candidate in SOURCES else ".".join(base) or "__init__")
    return [f for f in found if f]


@functools.cache
def imports(module: str) -> tuple[frozenset[str], frozenset[str]]:
    """(outside top-level packages, kit modules) that ``module`` imports anywhere in its text."""
    outside: set[str] = set()
    kit: set[str] = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root == TOP:
                    kit.add(".".join(alias.name.split(".")[1:]))
                else:
                    outside.add(root)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and node.module.split(".")[0] != TOP:
                outside.add(node.module.split(".")[0])
            else:
                kit |= set(_resolve(module, node))
    return frozenset(outside), frozenset(k for k in kit if k)


def test_every_module_is_in_a_layer_or_shared() -> None:
    top = {m for m in MODULES if layer_of(m) == "top"}
    assert top == {"__init__"} | SHARED, "a new top-level module: put it in a layer"
    assert {m.split(".")[0] for m in MODULES} >= set(LAYERS), "a layer is gone: update MAY_USE"


def test_the_imports_resolve_to_real_modules() -> None:
    """The scan itself: every kit import it finds names a file (else the rule below checks nothing)."""
    unknown = {(m, k) for m in MODULES for k in imports(m)[1] if k not in SOURCES}
    assert unknown == set()
    assert "core.queue" in imports("core.publish")[1]
    assert "core.forked" in imports("core.queue")[1]  # `from . import forked`


@pytest.mark.parametrize("module", [m for m in MODULES if layer_of(m) != "top"])
def test_each_layer_imports_only_the_layers_before_it(module: str) -> None:
    layer = layer_of(module)
    used = {layer_of(k) if layer_of(k) != "top" else k for k in imports(module)[1]}
    wrong = used - MAY_USE[layer] - {layer}
    assert not wrong, f"{module} ({layer}) imports {sorted(wrong)}: see docs/architecture.md"


@pytest.mark.parametrize("module", MODULES)
def test_only_the_plugin_side_imports_pelican_and_only_the_cli_click(module: str) -> None:
    outside, _ = imports(module)
    mine = FRAMEWORKS_OF.get(layer_of(module), set())
    used = {n for n in outside & FRAMEWORKS - mine if (module, n) not in ALLOWED}
    assert not used, f"{module} imports {sorted(used)}"


def test_only_the_cli_imports_click() -> None:
    users = sorted(m for m in MODULES if "click" in imports(m)[0])
    assert users and {layer_of(m) for m in users} == {"cli"}


def test_errors_and_paths_import_nothing_of_the_kit() -> None:
    assert all(imports(m)[1] == frozenset() for m in SHARED)


def test_no_layer_imports_the_package_root() -> None:
    """``from .. import __version__`` in a layer is a cycle through ``__init__`` (version.py instead)."""
    users = sorted(m for m in MODULES if layer_of(m) != "top" and "__init__" in imports(m)[1])
    assert users == []


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


@pytest.mark.parametrize("layer", ["core", "services", "intake", "web", "commands"])
def test_importing_a_layer_loads_no_framework(layer: str) -> None:
    """Function-level imports aside, loading every module of the layer pulls no Pelican, Jinja or click in.

    One interpreter imports them one after another; the first that loads a
    framework is named (before it, none was loaded).
    """
    modules = [m for m in MODULES if layer_of(m) == layer]
    args = [json.dumps(sorted(FRAMEWORKS)), json.dumps(modules)]
    done = subprocess.run(
        [sys.executable, "-c", CHECK, *args], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(done.stdout) == {}


@pytest.mark.parametrize("module", CORE)
def test_each_core_module_alone_loads_no_framework(module: str) -> None:
    """Alone too: a module that only works because another loaded something first is caught."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK, json.dumps(sorted(FRAMEWORKS)), json.dumps([module])],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == {}


def test_no_import_cycles_between_modules() -> None:
    """Module-level imports form no cycle (function-level ones are deliberate late bindings)."""
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        deps: set[str] = set()
        for node in _tree(module).body:
            if isinstance(node, ast.ImportFrom):
                deps |= set(_resolve(module, node))
        graph[module] = {d for d in deps if d in SOURCES and d != module}
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
