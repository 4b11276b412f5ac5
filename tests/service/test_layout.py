"""The house rules of `app/`, read from its source: who may import what, and who may commit.

These read the modules' syntax trees, not their behaviour, so they need no database.
"""
import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
# The application factory wires the demonstration's commands in; nothing else in the product may.
MAY_IMPORT_DEMO = {"app/__init__.py"}
# The unit of work: only `app.db` commits or rolls back (a request, a command, a job step).
# Below the session, the chunked bulk writer (a transaction per chunk, so SQLite's lock is held briefly)
# and the re-rank's process lock (a committed advisory lock on PostgreSQL) end their own.
MAY_END_TRANSACTIONS = {"app/db.py", "app/storage/columnar.py", "app/storage/process_lock.py"}
# Orchestrators that need several transactions by design open them on an engine themselves
# (their docstrings say why: the re-rank, run removal, the draw and its verification, the nightly
# vacancy matches), as do the migrations' runner and the readiness check.
MAY_BEGIN = {"app/db.py", "app/migrate.py", "app/ranking_runs/rerank.py", "app/ranking_runs/run_removal.py",
             "app/ranking_runs/run_pool.py",
             "app/rounds/execution.py", "app/rounds/verification.py",
             "app/hiring/match_generations.py", "app/hiring/matches.py",
             "app/demo/synthetic_pool.py"}  # a bulk seed: its writes are columnar's own, then ANALYZE


def modules():
    for path in sorted(APP.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path.relative_to(APP.parent).as_posix(), ast.parse(path.read_text(), str(path))


def module_name(relative: str) -> str:
    name = relative.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def imported(tree: ast.Module, relative: str, *, top_level_only: bool = False) -> set[str]:
    """Every `app...` module a module imports (for `from a import b`, both `a` and `a.b`)."""
    nodes = tree.body if top_level_only else ast.walk(tree)
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "app" or name.startswith("app.")}


def calls(tree: ast.Module, method: str) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == method]


def test_product_code_never_imports_the_demonstration():
    offenders = [relative for relative, tree in modules()
                 if not relative.startswith("app/demo/") and relative not in MAY_IMPORT_DEMO
                 and any(name == "app.demo" or name.startswith("app.demo.") for name in imported(tree, relative))]
    assert offenders == []


@pytest.mark.parametrize("method", ["commit", "rollback"])
def test_only_the_unit_of_work_ends_transactions(method):
    offenders = [f"{relative}:{line}" for relative, tree in modules() if relative not in MAY_END_TRANSACTIONS
                 for line in calls(tree, method)]
    assert offenders == []


def test_only_the_orchestrators_open_their_own_transactions():
    offenders = [f"{relative}:{line}" for relative, tree in modules() if relative not in MAY_BEGIN
                 for line in calls(tree, "begin")]
    assert offenders == []


def test_no_import_inside_a_function_except_the_application_factory():
    late = [f"{relative}:{node.lineno}" for relative, tree in modules() if relative != "app/__init__.py"
            for function in ast.walk(tree) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
            for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert late == []
