"""What a process imports to start: no database driver or migration tool it may never use.

Every `flask` command and every web worker creates the application; a round drawn by
`flask rounds run --due` must not pay for Alembic (`app.migrate` imports it when a `flask db`
command or the health check needs it) nor, on SQLite, for ADBC's PostgreSQL driver and the
parts of pyarrow it brings (`app.storage.columnar` imports it when PostgreSQL is first used).
Run in a new interpreter: this test process has imported everything already.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DEFERRED = ("alembic", "adbc_driver_postgresql", "adbc_driver_manager", "pyarrow.dataset")

PROGRAM = """
import json, sys
from app import create_app
from app.rounds import execution
from app.ranking_runs import nightly, run_entries
app = create_app({"DATABASE_URL": sys.argv[1], "TESTING": True})
print(json.dumps(sorted(name for name in sys.argv[2:] if name in sys.modules)))
"""


def imported_at_start(url: str) -> list[str]:
    child = subprocess.run([sys.executable, "-c", PROGRAM, url, *DEFERRED], capture_output=True, text=True,
                           cwd=ROOT, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def test_starting_the_application_imports_neither_alembic_nor_the_postgresql_driver(tmp_path):
    assert imported_at_start(f"sqlite:///{tmp_path / 'start.sqlite3'}") == []


def test_the_deferred_imports_still_work_when_used(tmp_path):
    """The migration commands and the health check import Alembic themselves."""
    program = ("import sys\nfrom app import migrate\nassert 'alembic' not in sys.modules\n"
               "print(sorted(migrate.head_revisions()))\nassert 'alembic' in sys.modules\n")
    child = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip().startswith("['")
