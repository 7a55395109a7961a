"""No import circles inside `sandbox/`: module A may not, through any chain, import a module that imports A.

Every import counts, also those under `if TYPE_CHECKING:` and inside functions: a circle hidden from the
interpreter is still a circle for the reader (and the next import at module level turns it into an ImportError).
A package's `__init__` counts as the module of the package; importing a submodule does not count as importing
its package.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sandbox"

# Circles known and not yet broken, each with why; the test fails when one is broken (remove it here then).
KNOWN: dict[frozenset[str], str] = {}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """The modules of `known` that the file at `path` (module `name`) imports anywhere in its body."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # `from . import x` imports the submodule x when there is one
                submodule = f"{module}.{alias.name}"
                found.add(submodule if submodule in known else module)
    return {m for m in found if m in known and m != name}


def import_graph(root: Path) -> dict[str, set[str]]:
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    modules = set(files)
    return {name: imported_modules(path, name, modules) for name, path in files.items()}


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(frozenset(component))
    return found


def test_the_package_has_no_import_circles() -> None:
    found = circles(import_graph(PACKAGE))
    new = [sorted(c) for c in found if c not in KNOWN]
    assert new == [], f"import circles in sandbox/: {new}"
    gone = [sorted(c) for c in KNOWN if c not in found]
    assert gone == [], f"no longer circles (remove them from KNOWN): {gone}"


@pytest.mark.parametrize("source, expected", [
    ({"a": "from . import b\n", "b": "from .c import x\n", "c": "from typing import TYPE_CHECKING\n"
                                                              "if TYPE_CHECKING:\n    from .a import y\n"},
     [{"pkg.a", "pkg.b", "pkg.c"}]),
    ({"a": "def f():\n    from .b import x\n", "b": "import pkg.a\n"}, [{"pkg.a", "pkg.b"}]),
    ({"a": "from . import b\n", "b": "import json\n"}, []),
])
def test_the_walker_sees_circles_through_type_checking_and_function_imports(
        tmp_path: Path, source: dict[str, str], expected: list[set[str]]) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in source.items():
        (package / f"{name}.py").write_text(text)
    assert [set(c) for c in circles(import_graph(package))] == expected
