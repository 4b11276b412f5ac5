"""The pool's notices to candidates, enqueued in bulk in the transaction of the change they tell of.

A round invites thousands at once and the nightly job expires or reminds as many, so these are
written as one `INSERT ... SELECT ... ON CONFLICT (dedupe_key) DO NOTHING` per chunk, the rows
sent as columns (`app.storage.column_insert`), on the caller's connection, not one
`outbox.enqueue` per person. A notice's text depends only on its kind, its recipient's language
and a few shared values (the state, the deadline), so each distinct (language, context) is
rendered and stored once (`models.OutboxBody`) and its messages share it: a round of 5,000 in
three languages renders and stores three bodies. Every notice carries a dedupe key naming its
event, so a job run twice adds none (and keeps none of the bodies it stored for them).

Kinds (templates in `templates/mail/`): `invitation_issued`, `invitation_reminder` (days = 14 or 3),
`invitation_expired`, `profile_expiring`, `profile_expired`, `pool_removal` (reason), `acceptance_withdrawn`,
`application_progress`, `misrepresentation_recorded`, `misrepresentation_lifted`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from app import clock
from app.accounts.models import Account
from app.notifications.models import MessageStatus, OutboxMessage
from app.notifications.outbox import add_body, delete_unused_bodies, render
from app.storage.column_insert import insert_columns

CHUNK = 2000


@dataclass(frozen=True)
class Notice:
    """One candidate to tell of one event: `context` holds only values shared by many (hashable)."""

    account_id: int
    dedupe_key: str
    context: tuple = field(default=())


def notice(account_id: int, dedupe_key: str, **context) -> Notice:
    return Notice(account_id, dedupe_key, tuple(sorted(context.items())))


def enqueue_all(connection: Connection, kind: str, notices: list[Notice]) -> int:
    """Add one message of `kind` per notice (its account's address and language); returns how many
    were new. Erased accounts (no address) are skipped. Never commits: the caller's transaction."""
    if not notices:
        return 0
    bodies: dict[tuple, int] = {}  # (language, context) -> the body its messages share
    now = clock.now()
    table = OutboxMessage.__table__
    added = 0
    for start in range(0, len(notices), CHUNK):
        chunk = notices[start:start + CHUNK]
        accounts = Account.__table__
        addresses = {row.id: (row.email, row.language) for row in connection.execute(
            select(accounts.c.id, accounts.c.email, accounts.c.language)
            .where(accounts.c.id.in_({n.account_id for n in chunk}))) if row.email}
        columns: dict[str, list] = {name: [] for name in ("account_id", "recipient", "language", "body_id",
                                                          "dedupe_key")}
        for item in chunk:
            if item.account_id not in addresses:
                continue
            email, language = addresses[item.account_id]
            key = (language, item.context)
            if key not in bodies:
                bodies[key] = add_body(connection, render(kind, language, dict(item.context)))
            for name, value in zip(columns, (item.account_id, email, language, bodies[key], item.dedupe_key)):
                columns[name].append(value)
        if columns["account_id"]:
            statement = insert_columns(connection, table, columns, {
                "kind": kind, "created_at": now, "status": MessageStatus.PENDING.value, "attempts": 0,
                "next_attempt_at": now})
            # Counted from RETURNING: a skipped duplicate returns no row, on both databases.
            added += len(connection.execute(
                statement.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id)).all())
    if added < len(notices):  # a job run again: bodies whose every message was there already
        delete_unused_bodies(connection, bodies.values())
    return added
