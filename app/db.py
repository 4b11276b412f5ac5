"""Engines, the per-request session, and the unit of work.

Every request is one unit of work: its session commits once, in an `after_request` hook, before
the response leaves, and only if the response is not an error (an error rolls everything
back). A commit the database refuses becomes the usual error response. Every CLI command and
scheduler job step is one unit of work too, through `unit_of_work()`. Service functions never
commit, so an action and its audit event land together or not at all.

SQLite is the default store, so it is configured to behave well under several gunicorn workers:
WAL (readers never block the writer), a busy timeout (a second writer waits instead of failing),
foreign keys enforced, and every write request runs in a `BEGIN IMMEDIATE` transaction, which
takes the write lock up front: two concurrent read-then-write requests then serialise instead of
one failing with "database is locked" when it tries to upgrade its read lock.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from app.errors import ServiceError
from app.private_files import create_private_file

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEEP_ON_REFUSAL = "db_keep_on_refusal"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for a plain `postgresql://` URL (SQLAlchemy would otherwise pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, busy_timeout_ms: int = 10_000, foreign_keys: bool = True, pool_size: int = 5,
                max_overflow: int = 10) -> Engine:
    """An engine for `url`; on SQLite with the pragmas and transaction control described above.

    `pool_size` connections stay open: a web process wants one per thread, since a request beyond
    the pool opens a connection (on SQLite with its pragmas) and closes it again; measured at
    25 requests a second, that was a tenth of a worker's CPU with SQLAlchemy's default of 5."""
    url = normalise_url(url)
    pooling = {"pool_size": pool_size, "max_overflow": max_overflow}
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **pooling)
    database = make_url(url).database
    in_memory = not database or database == ":memory:" or database.startswith("file:")
    if not in_memory:
        create_private_file(database)  # 0600, and so its -wal and -shm files
    engine = create_engine(url, connect_args={"check_same_thread": False}, **({} if in_memory else pooling))

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def init_app(app: Flask) -> None:
    """Create the application's engines and close the request's session after each request."""
    engine = make_engine(app.config["DATABASE_URL"], busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
                         pool_size=app.config["DATABASE_POOL_SIZE"], max_overflow=app.config["DATABASE_POOL_OVERFLOW"])
    app.extensions["talentpool.engine"] = engine
    app.extensions["talentpool.write_engine"] = engine.execution_options(sqlite_immediate=True)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current application's engine."""
    return current_app.extensions["talentpool.engine"]


def session(*, write: bool | None = None) -> Session:
    """The request's one session, committed at its end; writes get `BEGIN IMMEDIATE` on SQLite.

    `write` defaults to "is this a POST/PUT/PATCH/DELETE request". Commands and jobs use
    `unit_of_work()` instead.
    """
    if "db_session" not in g:
        if write is None:
            write = has_request_context() and request.method in WRITE_METHODS and not _view_reads_first()
        key = "talentpool.write_engine" if write else "talentpool.engine"
        g.db_session = Session(current_app.extensions[key], expire_on_commit=False)
    return g.db_session


def reads_first(view):
    """Mark a write view whose slow work (scoring, say) comes before its writes.

    Its request session starts as a read one (a plain `BEGIN`: no write lock), and the view calls
    `begin_write()` once the slow part is done, so that on SQLite the one database write lock is
    held only for the writes themselves, not for a grid compilation or a score. The request still
    commits once, at its end.
    """
    view.db_reads_first = True
    return view


def _view_reads_first() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:  # a MethodView: the method's own function carries the mark
        view = getattr(view_class, request.method.lower(), None)
    return getattr(view, "db_reads_first", False)


def begin_write() -> Session:
    """End the request's read transaction and go on in a write one (`BEGIN IMMEDIATE` on SQLite).

    Only for a `reads_first` view, before it has written anything. The read snapshot is given up
    rather than upgraded: in WAL mode a read transaction that tries to write after another
    connection committed fails at once ("database is locked", no busy wait), so whatever the
    writes depend on (does the row exist, in what state) must be read again after this call;
    objects loaded before reload on their next use.
    """
    db_session = session()
    if db_session.new or db_session.dirty or db_session.deleted:
        raise RuntimeError("begin_write() after the request has already changed something")
    db_session.rollback()
    db_session.bind = current_app.extensions["talentpool.write_engine"]
    return db_session


def keep_on_refusal() -> None:
    """Commit this unit of work although it ends in a refusal (a ServiceError, 4xx).

    Only for a change that is the refusal's own record: a failed sign-in is counted, and the
    answer is still 401.
    """
    setattr(g, KEEP_ON_REFUSAL, True)


def end_read() -> None:
    """End the request's transaction before it has written anything (its objects reload on next use).

    For a view that must call something owning its own short transaction (the sign-in throttle)
    after it has only read: on SQLite the request's open write transaction would otherwise wait
    on it until the busy timeout."""
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One CLI command's, or one scheduler job step's, write session, committed once at the end.

    An exception rolls it all back and propagates (a ServiceError after `keep_on_refusal()`
    commits first).
    """
    g.pop(KEEP_ON_REFUSAL, None)
    session = Session(current_app.extensions["talentpool.write_engine"], expire_on_commit=False)
    try:
        yield session
    except ServiceError:
        if g.pop(KEEP_ON_REFUSAL, False):
            session.commit()
        else:
            session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    else:
        session.commit()
    finally:
        session.close()


@contextmanager
def own_transaction() -> Iterator[Session]:
    """A short write transaction of its own, beside the request's, committed when the block ends.

    For a record that must stand whatever the request's outcome, and that concurrent requests must
    see before this one does slow work: the sign-in limits count an attempt here, commit, and only
    then spend an argon2 hash on the password, outside any transaction (on SQLite a write
    transaction holds the one database write lock for as long as it is open).
    """
    session = Session(current_app.extensions["talentpool.write_engine"], expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def add_or_conflict(session: Session, row, conflict: ServiceError) -> None:
    """Insert `row` now, in a savepoint; a unique violation (a concurrent insert won) raises `conflict`.

    The caller has already looked for the row and raises the same `conflict` when it finds one, so
    the request that loses a race gets the answer a sequential one gets, not a generic 409 or a
    500; the savepoint keeps the rest of the transaction usable.
    """
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise conflict from None


def init_request_commit(app: Flask) -> None:
    """Commit each request's session at its end; call last, so the hook runs before every other
    `after_request` hook and a refused commit's error response still passes through them."""
    app.after_request(_end_request)


def _end_request(response: Response) -> Response:
    db_session = g.get("db_session")
    keep = g.pop(KEEP_ON_REFUSAL, False) and response.status_code < 500
    if db_session is None:
        return response
    if response.status_code >= 400 and not keep:
        db_session.rollback()
        return response
    try:
        db_session.commit()
    except SQLAlchemyError as error:
        db_session.rollback()
        # The app's handler for it (app.errors), or, for none, Flask's 500 path (logged).
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def _close_session(_exc=None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
