"""The layers hold: the core never imports Flet, the UI never reaches past the store into the storage,
and no module of networking_app imports one that imports it back.

Read from the source with ``ast``: imports inside functions count; for the circle, an import under
``if TYPE_CHECKING:`` does not (it only names a type for the checker, as the store's repositories
name the Store they belong to). tests/test_ui_imports.py holds the UI to the stricter rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networking_app

ROOT = Path(networking_app.__file__).parent
PACKAGE = "networking_app"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join((PACKAGE, *parts[:-1])) if parts[-1] == "__init__" else ".".join((PACKAGE, *parts))


def absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


def imports(path: Path, *, typing_only: bool = True) -> set[str]:
    """Every module ``path`` names in an import (outside packages too), resolved to absolute names;
    without those under ``if TYPE_CHECKING:`` unless ``typing_only``."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text("utf-8"))
    skipped = set() if typing_only else {id(n) for block in ast.walk(tree) if _is_type_checking(block)
                                         for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = absolute(node, package)
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)
    return found


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


MODULES = {module_name(p): imports(p) for p in sorted(ROOT.rglob("*.py"))}
AT_RUN_TIME = {module_name(p): imports(p, typing_only=False) for p in sorted(ROOT.rglob("*.py"))}


def in_ui(module: str) -> bool:
    return module == f"{PACKAGE}.ui" or module.startswith(f"{PACKAGE}.ui.")


def test_nothing_outside_the_ui_imports_flet() -> None:
    offenders = {m: sorted(i for i in names if i == "flet" or i.startswith("flet.") or i.startswith("flet_"))
                 for m, names in MODULES.items() if not in_ui(m)}
    assert {m: n for m, n in offenders.items() if n} == {}


def test_the_ui_reaches_data_through_the_store_never_the_storage() -> None:
    below = (f"{PACKAGE}.storage", f"{PACKAGE}.memory_storage", "tinydb")
    offenders = {m: sorted(i for i in names if i.startswith(below)) for m, names in MODULES.items() if in_ui(m)}
    assert {m: n for m, n in offenders.items() if n} == {}


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = {m: {i for i in names if i in AT_RUN_TIME and i != m} for m, names in AT_RUN_TIME.items()}
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        for nxt in sorted(graph.get(module, ())):
            found = visit(nxt, [*path, module])
            if found:
                return found
        done.add(module)
        return None

    cycles = [c for m in sorted(graph) if (c := visit(m, []))]
    assert cycles == [], " -> ".join(cycles[0])


def test_no_module_of_the_core_is_over_650_lines() -> None:
    long = {m: n for p in ROOT.rglob("*.py") if (n := len(p.read_text("utf-8").splitlines())) > 650
            for m in [module_name(p)]}
    assert long == {}
