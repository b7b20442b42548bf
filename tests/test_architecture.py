"""The house plan holds: docgen's modules import one another in one direction (record → content → layout →
drawers → kinds → CLI), with no cycle, deferred imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# what each package may import from docgen, besides itself (shared leaves: problems, fonts, resources, progress)
LEAVES = {"docgen.problems", "docgen.progress", "docgen.resources", "docgen.cache", "docgen.fonts"}
ALLOWED = {
    "docgen.records": set(),
    "docgen.content": {"docgen.records", "docgen.annexes"},  # 通报 and notices carry the annex forms' pages
    "docgen.layout": {"docgen.records", "docgen.content"},
    "docgen.check": {"docgen.layout"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in (ROOT / "docgen").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every docgen module ``name`` imports, at any depth of its code (deferred imports too)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("docgen") and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack, on_path = [(start, iter(sorted(graph[start])))], [start]
    seen = {start}
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.pop()
        elif child in on_path:
            return on_path[on_path.index(child):] + [child]
        elif child not in seen:
            seen.add(child)
            stack.append((child, iter(sorted(graph[child]))))
            on_path.append(child)
    return None


def test_no_import_cycles(graph):
    cycles = {tuple(c) for name in graph if (c := _cycle_from(name, graph))}
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in sorted(cycles))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_packages_import_only_what_stands_to_their_left(graph, package):
    allowed = ALLOWED[package] | LEAVES | {package}
    wrong = sorted(f"{name} → {target}" for name, targets in graph.items()
                   if name == package or name.startswith(package + ".")
                   for target in targets if not any(target == a or target.startswith(a + ".") for a in allowed))
    assert not wrong, f"{package} imports above itself: " + "; ".join(wrong)


def test_the_library_imports_neither_workers_nor_web():
    for path in (ROOT / "docgen").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.split(".")[0] in ("workers", "web") for n in names), path
