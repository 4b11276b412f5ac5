"""The instance folder and the SQLite files readable by their owner only.

They hold the database (every candidate's personal data) and the configuration with its secrets,
so no other account on the machine may read them: the folder is 0700 and the database 0600. The
modes are set explicitly rather than through the umask, which gunicorn or a service manager may
have loosened. SQLite gives its `-wal` and `-shm` files the database file's own mode, so creating
the database file ourselves, empty and 0600, before SQLite opens it covers those too.
"""
from __future__ import annotations

import os
import stat

OWNER_ONLY_FOLDER = 0o700
OWNER_ONLY_FILE = 0o600


def make_private_folder(path: str) -> None:
    """Create `path` as 0700, or take group and other access away from it if it exists and is ours."""
    os.makedirs(path, mode=OWNER_ONLY_FOLDER, exist_ok=True)
    status = os.stat(path)
    if status.st_uid == os.geteuid() and stat.S_IMODE(status.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(status.st_mode) & ~0o077)


def create_private_file(path: str) -> None:
    """Create `path` empty and 0600 unless it exists (an empty file is an empty SQLite database)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY_FILE)
    except (FileExistsError, FileNotFoundError):  # no folder: SQLite will say so when it connects
        return
    os.close(descriptor)
