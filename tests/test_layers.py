"""The layers of docs/adr/0011-layers.md hold: every import of the project's code (at
module level or inside a function) goes to the importer's own app or to a layer beneath
it, never to a sibling of the same layer, and no modules import each other in a cycle.
Read from the source (AST), so a lazy import counts too."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADR = ROOT / "docs" / "adr" / "0011-layers.md"


def layers() -> list[list[str]]:
    block = re.search(r"```layers\n(.*?)```", ADR.read_text(), re.S).group(1)
    return [[app.strip() for app in line.split(",")] for line in block.strip().splitlines()]


def _rank() -> dict[str, int]:
    return {app: n for n, layer in enumerate(layers()) for app in layer}


def _modules(apps) -> dict[str, Path]:
    found = {}
    for app in apps:
        for path in (ROOT / app).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path, modules) -> set[str]:
    """The project's modules ``name`` imports (the longest known prefix of each)."""

    def known(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(filter(None, (known(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                target = known(f"{base}.{alias.name}") or known(base)
                if target:
                    found.add(target)
    found.discard(name)
    return found


def _graph():
    rank = _rank()
    modules = _modules(rank)
    return rank, {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_adr_names_every_app_once():
    apps = [app for layer in layers() for app in layer]
    assert len(apps) == len(set(apps))
    packages = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"portal"}
    assert set(apps) == packages


def test_every_import_goes_down_the_layers():
    rank, graph = _graph()
    against = sorted(
        f"{importer} imports {imported}"
        for importer, imported_set in graph.items()
        for imported in imported_set
        if (a := importer.split(".")[0]) != (b := imported.split(".")[0]) and rank[a] <= rank[b]
    )
    assert against == []


def test_no_modules_import_each_other():
    _, graph = _graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_check_sees_a_wrong_import(tmp_path, monkeypatch):
    """The check itself can fail: a lower app importing an upper one is caught."""
    rank = _rank()
    modules = {"forums.selectors": tmp_path / "x.py", "secretariat.models": tmp_path / "y.py"}
    (tmp_path / "x.py").write_text("def f():\n    from secretariat.models import Circulation\n")
    imported = _imports("forums.selectors", tmp_path / "x.py", modules)
    assert imported == {"secretariat.models"}
    assert rank["forums"] < rank["secretariat"]
