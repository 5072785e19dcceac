"""The house stays one house: no import cycle among ooh_desk's modules, and every import —
at module level or inside a function — points down the layers

    errors  <-  domain  <-  store  <-  imports / exports  <-  services  <-  gui  <-  commands  <-  cli

Modules may import others in their own layer's package (services.demo imports
services.importing); imports/ and exports/ do not import each other; nothing below gui/
imports Qt. The checker reads the source with `ast` (nothing is imported), and is itself
tested on a small made-up package that breaks each rule."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ooh_desk"

# The top-level room of each module -> its floor. Same floor, different room: no arrow at all.
LAYERS = {"errors": 0, "domain": 1, "store": 2, "imports": 3, "exports": 3, "services": 4,
          "gui": 5, "commands": 6, "cli": 7}
QT_FREE_BELOW = LAYERS["gui"]


@dataclass(frozen=True)
class Arrow:
    source: str  # dotted module names, e.g. ooh_desk.services.outputs
    target: str
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = "inside a function" if self.in_function else "at module level"
        return f"{self.source} -> {self.target} (line {self.line}, {where})"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    return {module_name(root, p): p for p in sorted(root.rglob("*.py"))}


def _imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement with whether it sits inside a function."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.AST, bool]]:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef
                                                      | ast.Lambda)
            yield child, inside
            yield from walk(child, inside)

    for node, in_function in walk(tree, False):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function


def arrows(root: Path) -> tuple[list[Arrow], list[Arrow]]:
    """(arrows between our own modules, imports of Qt) for the package at `root`."""
    known = modules(root)
    ours, qt = [], []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node, in_function in _imports(ast.parse(path.read_text("utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in known else base)
            for target in targets:
                if target.split(".")[0] == "PySide6":
                    qt.append(Arrow(name, target, node.lineno, in_function))
                elif target in known and target != name:
                    ours.append(Arrow(name, target, node.lineno, in_function))
    return ours, qt


def room(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None  # the package's own face has no room


def upward(ours: list[Arrow]) -> list[Arrow]:
    bad = []
    for arrow in ours:
        source, target = room(arrow.source), room(arrow.target)
        if source is None or target is None or source == target:
            continue
        if source not in LAYERS or target not in LAYERS:
            bad.append(arrow)  # a new room must be given its floor here first
        elif LAYERS[source] <= LAYERS[target]:
            bad.append(arrow)
    return bad


def cycles(ours: list[Arrow]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for a in ours:
        graph.setdefault(a.source, set()).add(a.target)
        graph.setdefault(a.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def qt_below_gui(qt: list[Arrow]) -> list[Arrow]:
    return [a for a in qt if LAYERS.get(room(a.source) or "", 0) < QT_FREE_BELOW]


# --- the real package ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> tuple[list[Arrow], list[Arrow]]:
    return arrows(PACKAGE)


def test_every_room_has_a_floor():
    rooms = {room(name) for name in modules(PACKAGE)} - {None, "__main__"}
    assert rooms <= set(LAYERS), f"give these a floor in LAYERS: {sorted(rooms - set(LAYERS))}"


def test_no_import_cycle(graph):
    ours, _ = graph
    assert cycles(ours) == []


def test_every_arrow_points_down(graph):
    ours, _ = graph
    assert [str(a) for a in upward(ours)] == []


def test_qt_only_in_gui(graph):
    _, qt = graph
    assert [str(a) for a in qt_below_gui(qt)] == []


def test_the_graph_is_read_at_all(graph):
    """A checker that reads nothing passes everything: make sure it sees the real arrows."""
    ours, qt = graph
    pairs = {(a.source, a.target) for a in ours}
    assert ("ooh_desk.commands.report", "ooh_desk.services.outputs") in pairs
    assert ("ooh_desk.services.outputs", "ooh_desk.exports.report") in pairs  # in a function
    assert any(a.source.startswith("ooh_desk.gui.") for a in qt)


# --- the checker fails when the house is broken ---------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "ooh_desk"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text, "utf-8")
    return root


def test_the_checker_finds_a_cycle_hidden_in_a_function(tmp_path):
    root = _package(tmp_path, {
        "services/a.py": "from . import b\n",
        "services/b.py": "def late():\n    from .a import thing\n",
    })
    ours, _ = arrows(root)
    assert cycles(ours) == [["ooh_desk.services.a", "ooh_desk.services.b"]]


def test_the_checker_finds_upward_and_sideways_arrows(tmp_path):
    root = _package(tmp_path, {
        "store/register.py": "def f():\n    from ..services import outputs\n",
        "services/outputs.py": "",
        "imports/xlsx.py": "from ..exports.risk_log import SHEETS\n",
        "exports/risk_log.py": "SHEETS = ()\n",
        "gui/app.py": "from ..cli import main\n",
        "cli.py": "def main():\n    pass\n",
        "domain/records.py": "from PySide6.QtCore import QObject\n",
    })
    ours, qt = arrows(root)
    assert sorted((a.source, a.target) for a in upward(ours)) == [
        ("ooh_desk.gui.app", "ooh_desk.cli"),
        ("ooh_desk.imports.xlsx", "ooh_desk.exports.risk_log"),
        ("ooh_desk.store.register", "ooh_desk.services.outputs"),
    ]
    assert [a.source for a in qt_below_gui(qt)] == ["ooh_desk.domain.records"]


def test_the_command_line_starts_without_qt_or_the_office_libraries():
    """`ooh-desk list` should not pay for python-docx, openpyxl, reportlab, pypdf or Qt:
    services.outputs imports the export modules when a file is written."""
    import subprocess
    import sys

    heavy = ("PySide6", "docx", "openpyxl", "reportlab", "pypdf")
    code = ("import sys, ooh_desk.cli; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
