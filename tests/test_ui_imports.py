"""The UI's modules import each other in one direction: the app imports screens, never the reverse.

The import graph is read from the source (``ast``), type-checking-only imports included, so
a cycle is caught before anything runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networking_app.ui

UI = Path(networking_app.ui.__file__).parent
PACKAGE = "networking_app.ui"


def module_name(path: Path) -> str:
    parts = path.relative_to(UI).with_suffix("").parts
    return ".".join((PACKAGE, *parts[:-1])) if parts[-1] == "__init__" else ".".join((PACKAGE, *parts))


def absolute(node: ast.ImportFrom, package: str) -> str:
    """The module ``from … import`` reads from, relative dots resolved against ``package``."""
    if not node.level:
        return node.module or ""
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


def imported(path: Path, names: set[str]) -> set[str]:
    """The UI modules ``path`` imports, at the top, in functions or under TYPE_CHECKING."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = absolute(node, package)
            targets = [source, *(f"{source}.{alias.name}" for alias in node.names)]  # `from . import app`
        else:
            continue
        found.update(t for t in targets if t in names and t != here)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(UI.rglob("*.py"))
    names = {module_name(p) for p in paths}
    return {module_name(p): imported(p, names) for p in paths}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path (first module repeated at the end), or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            if found := visit(target, [*path, module]):
                return found
        done.add(module)
        return None

    return next((found for module in sorted(graph) if (found := visit(module, []))), None)


def test_the_ui_modules_import_one_another_without_a_cycle() -> None:
    graph = import_graph()
    assert f"{PACKAGE}.app" in graph[f"{PACKAGE}.launcher"]  # the graph sees imports inside functions
    assert cycle(graph) is None, " -> ".join(cycle(graph) or [])


def test_no_screen_sheet_or_scanner_imports_the_app() -> None:
    graph = import_graph()
    importers = {module for module, targets in graph.items() if f"{PACKAGE}.app" in targets}
    assert importers <= {f"{PACKAGE}.launcher"}, importers


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def loaded_by(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules named by ``prefixes`` that running ``code`` in a fresh interpreter loads."""
    import subprocess
    import sys

    probe = f"import sys\n{code}\nprint(repr(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    return ast.literal_eval(out)


def test_the_first_screens_load_without_the_stemmer_or_sync() -> None:
    """What the first paint waits for: the app and the screens a first session lands on. The
    introductions package (a stemmer, ~0.25 s) and the sync engine load later, off the loop (the
    store's own recorder of changes, ``sync.ops`` and friends, comes with the store)."""
    code = ("from networking_app.ui import app, routes\n"
            "for route in ('/welcome', '/scan', '/event'):\n"
            "    routes.screen_class(routes.SIMPLE[route])")
    assert loaded_by(code, ("networking_app.intros", "snowballstemmer", "networking_app.sync.engine",
                            "networking_app.sync.auto", "networking_app.sync.folder")) == []
    assert "networking_app.ui.screens.scan" in loaded_by(code, ("networking_app.ui.screens",))  # the probe runs


def test_the_landing_screens_leave_the_note_sheet_and_the_parser_for_after_the_first_paint() -> None:
    """Scan and Event are drawn before anything is scanned: the note sheet, the card review and the
    payload parser (~15-20 ms of imports on the first paint's path) load after it, in the warm-up."""
    later = ("networking_app.payload", "networking_app.ui.note_sheet", "networking_app.ui.card_review",
             "networking_app.ui.screens.my_card")
    code = ("from networking_app.ui import app, routes\n"
            "for route in ('/scan', '/event'):\n"
            "    routes.screen_class(routes.SIMPLE[route])")
    assert loaded_by(code, later) == []
    scanned = code + "\nfrom networking_app.ui.screens.scan import ScanScreen\nfrom networking_app.ui import note_sheet"
    assert "networking_app.ui.note_sheet" in loaded_by(scanned, later)  # the probe sees a load


def test_what_loads_before_the_web_server_listens_leaves_the_store_and_the_codec_for_later() -> None:
    """The launcher and the QR cache it configures load before the port opens; the store, the
    vCard codec and the models load in the warm-up thread once the browser is booting Flutter."""
    code = "from networking_app.ui import launcher, qr_cache, web_server"
    assert loaded_by(code, ("networking_app.store", "networking_app.vcard", "networking_app.models",
                            "tinydb", "filelock")) == []
    assert "networking_app.store" in loaded_by(code + "\nfrom networking_app import store", ("networking_app.store",))
