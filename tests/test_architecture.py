"""The shape of the code: no import cycles, and the pure core importing nothing of the web or the database.

The import graph is read from the source with `ast`, not by importing anything, so it sees every
`import` statement wherever it stands: at module level and inside functions. A late import that
only dodges a cycle is still an edge here, and the cycle it hides still fails the test. Imports
under `if TYPE_CHECKING:` are left out: they never run, they only name a type for annotations.

An edge goes to the module an import names (`from ranking.grid import engine` is an edge to
`ranking.grid.engine`, `from ranking.grid.engine import Grid` too), not to the packages above it:
Python runs those packages' `__init__` first, but a package importing its own submodules is the
ordinary way to give it a front, not a cycle.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Packages checked for cycles; add one here once it is free of them.
ACYCLIC = ["ranking", "app"]
# What each package must never import (top-level names).
FORBIDDEN = {
    "ranking": {"flask", "flask_smorest", "marshmallow", "sqlalchemy", "sqlmodel", "alembic", "psycopg",
                "apscheduler", "app"},
}


def modules_of(package_dir: Path, package: str) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for its `__init__`)."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join([package, *parts])] = path
    return modules


def imported_names(tree: ast.AST, module: str, is_package: bool) -> list[str]:
    """The dotted names each import statement of a module names, relative imports resolved.

    For `from X import Y` both `X.Y` and `X` are returned, in that order: `Y` may be a module or a
    name defined in `X`, and the caller keeps whichever is a module of the package.
    """
    names: list[list[str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.extend([alias.name] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module, node.level, module, is_package)
            names.extend([f"{base}.{alias.name}", base] for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve(target: str | None, level: int, module: str, is_package: bool) -> str:
    if not level:
        return target or ""
    parts = module.split(".")
    if not is_package:
        parts.pop()
    parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts + ([target] if target else []))


def import_graph(package_dir: Path, package: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(edges between the package's own modules, external top-level names each module imports)."""
    modules = modules_of(package_dir, package)
    edges: dict[str, set[str]] = {name: set() for name in modules}
    external: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for candidates in imported_names(tree, name, path.name == "__init__.py"):
            inside = [c for c in candidates if c in modules]
            if inside:
                if inside[0] != name:
                    edges[name].add(inside[0])
            elif candidates[-1].split(".")[0] != package:
                external[name].add(candidates[-1].split(".")[0])
            else:
                raise AssertionError(f"{name} imports {candidates[-1]!r}, which is not a module of {package}")
    return edges, external


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None (depth-first search)."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


@pytest.mark.parametrize("package", ACYCLIC)
def test_no_import_cycle(package):
    edges, _ = import_graph(ROOT / package, package)
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_nothing_forbidden(package):
    _, external = import_graph(ROOT / package, package)
    found = sorted((module, name) for module, names in external.items() for name in names & FORBIDDEN[package])
    assert not found, f"{package} must not import {', '.join(sorted(FORBIDDEN[package]))}: {found}"


# -- the graph itself, on small packages written for the purpose ---------------------------------

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = tmp_path / "pkg" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "pkg"


def test_a_late_import_still_closes_a_cycle(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg.b import thing\n",
        "b.py": "def thing():\n    from pkg import a\n    return a\n",
    })
    edges, _ = import_graph(root, "pkg")
    assert find_cycle(edges) == ["pkg.a", "pkg.b", "pkg.a"]


def test_relative_imports_and_subpackages_resolve(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from .sub import front\n",
        "sub/__init__.py": "from . import deep\nfrom .deep import VALUE as front\n",
        "sub/deep.py": "import numpy\nfrom .. import other\nVALUE = 1\n",
        "other.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.sub import deep\nimport flask\n",
    })
    edges, external = import_graph(root, "pkg")
    assert edges == {"pkg": {"pkg.sub"}, "pkg.sub": {"pkg.sub.deep"}, "pkg.sub.deep": {"pkg.other"},
                     "pkg.other": set()}
    assert external["pkg.sub.deep"] == {"numpy"} and external["pkg.other"] == {"typing", "flask"}
    assert find_cycle(edges) is None
