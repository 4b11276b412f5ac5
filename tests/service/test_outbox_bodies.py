"""Messages share what they say: one stored body per rendered text, none left once its messages go.

On both databases: the bulk notices of one event share a body per language and say exactly what a
message enqueued alone says; a job run twice and a duplicate event leave no body behind; erasure
deletes the bodies only the erased person's messages said and keeps the ones others still share;
retention deletes the bodies of the messages it purges; the migration from messages that carried
their own text keeps every message's words, down and up.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import select

from app import clock, db
from app.accounts.models import Account
from app.notifications import outbox
from app.notifications.candidate_notices import enqueue_all, notice
from app.notifications.models import MessageStatus, OutboxBody, OutboxMessage
from app.privacy import erasure, retention

CONTEXT = {"state": "DE", "round": "DE-20261204T1000Z", "deadline": dt.datetime(2026, 12, 24, 12, tzinfo=dt.UTC),
           "limit": 3}
BEFORE = "ranking_runs_0003"


def _accounts(app, make_account, languages: list[str]) -> list[int]:
    ids = [make_account()["id"] for _ in languages]
    with app.app_context(), db.unit_of_work() as session:
        for account_id, language in zip(ids, languages):
            account = session.get(Account, account_id)
            account.language = language
            session.add(account)
    return ids


def _invite(app, ids: list[int], event: str = "round-1") -> int:
    with app.app_context(), db.unit_of_work() as session:
        return enqueue_all(session.connection(), "invitation_issued",
                           [notice(i, f"{event}:{i}", **CONTEXT) for i in ids])


def _messages(app) -> list[OutboxMessage]:
    with app.app_context(), db.unit_of_work() as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def _body_ids(app) -> set[int]:
    with app.app_context(), db.unit_of_work() as session:
        return set(session.exec(select(OutboxBody.id)).all())


def test_bulk_notices_share_a_body_per_language_and_say_what_one_message_says(app, make_account):
    languages = ["en", "fr", "de", "fr", "en", "de", "en"]
    ids = _accounts(app, make_account, languages)
    assert _invite(app, ids) == len(ids)
    messages = _messages(app)
    assert [m.account_id for m in messages] == ids
    assert len({m.body_id for m in messages}) == len(set(languages)) == len(_body_ids(app))
    with app.app_context(), db.unit_of_work() as session:  # the same event for one person, the other way
        alone = {language: outbox.enqueue(session, kind="invitation_issued", recipient="x@example.eu",
                                          language=language, context=CONTEXT)
                 for language in set(languages)}
        said = {language: (m.subject, m.text_body, m.html_body) for language, m in alone.items()}
    for message, language in zip(messages, languages):
        assert message.language == language
        assert (message.subject, message.text_body, message.html_body) == said[language]
    assert said["fr"] != said["en"] != said["de"]


def test_a_job_run_twice_and_a_duplicate_event_leave_no_body_behind(app, make_account):
    ids = _accounts(app, make_account, ["en", "fr"])
    _invite(app, ids)
    bodies = _body_ids(app)
    assert _invite(app, ids) == 0  # the same event again: no message, and the bodies it stored deleted
    assert _body_ids(app) == bodies
    with app.app_context(), db.unit_of_work() as session:
        first = outbox.enqueue(session, kind="test_message", recipient="a@example.eu", language="en",
                               dedupe_key="event:1")
        again = outbox.enqueue(session, kind="test_message", recipient="a@example.eu", language="en",
                               dedupe_key="event:1")
    assert first is not None and again is None
    assert _body_ids(app) == bodies | {first.body_id}
    assert len(_messages(app)) == 3


def test_erasure_deletes_the_bodies_only_the_person_had_and_keeps_shared_ones(app, make_account):
    ids = _accounts(app, make_account, ["en", "en", "fr"])
    _invite(app, ids)
    with app.app_context(), db.unit_of_work() as session:
        account = session.get(Account, ids[2])  # alone in French: that body is theirs only
        own = outbox.enqueue(session, kind="test_message", recipient=account.email, language="fr",
                             account_id=account.id)
        theirs = {m.body_id for m in session.exec(select(OutboxMessage).where(OutboxMessage.account_id == ids[2]))}
    shared = {m.body_id for m in _messages(app) if m.account_id == ids[0]}
    assert own.body_id in theirs and len(theirs) == 2 and not theirs & shared
    with app.app_context(), db.unit_of_work() as session:
        erasure.erase(session, session.get(Account, ids[2]))
    assert _body_ids(app) == shared
    assert [m.account_id for m in _messages(app)] == ids[:2]
    assert all(m.text_body for m in _messages(app))


def test_retention_deletes_the_bodies_of_the_messages_it_purges(app, make_account):
    ids = _accounts(app, make_account, ["en", "de"])
    _invite(app, ids)
    with app.app_context(), db.unit_of_work() as session:
        kept = outbox.enqueue(session, kind="test_message", recipient="a@example.eu", language="en")
        table = OutboxMessage.__table__
        session.exec(sa.update(table).where(table.c.id != kept.id).values(
            status=MessageStatus.SENT.value, created_at=clock.now() - dt.timedelta(days=40)))
    with app.app_context(), db.unit_of_work() as session:
        assert retention.purge_messages(session, clock.now(), 30) == 2
    assert [m.id for m in _messages(app)] == [kept.id]
    assert _body_ids(app) == {kept.body_id}


OLD = sa.table("outbox_message", sa.column("id"), sa.column("subject"), sa.column("text_body"),
               sa.column("html_body"), sa.column("recipient"))


def test_the_migration_keeps_every_messages_words_down_and_up(app, runner, make_account):
    ids = _accounts(app, make_account, ["en", "fr", "en"])
    _invite(app, ids)
    said = {m.id: (m.subject, m.text_body, m.html_body) for m in _messages(app)}
    result = runner.invoke(args=["db", "downgrade", BEFORE])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine().begin() as connection:
        old = connection.execute(sa.select(OLD)).all()
        assert {row.id: (row.subject, row.text_body, row.html_body) for row in old} == said
        # A message as the old code wrote it, its words its own.
        now = clock.now()
        connection.execute(sa.text(
            "INSERT INTO outbox_message (account_id, kind, recipient, language, subject, text_body, html_body, "
            "dedupe_key, created_at, status, attempts, next_attempt_at) VALUES (NULL, 'test_message', "
            "'old@example.eu', 'de', 'Betreff', 'Text\n', '<p>HTML</p>', NULL, :now, 'pending', 0, :now)"),
            {"now": now})
        written = connection.execute(sa.select(OLD.c.id).where(OLD.c.recipient == "old@example.eu")).scalar_one()
    said[written] = ("Betreff", "Text\n", "<p>HTML</p>")

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    messages = _messages(app)
    assert {m.id: (m.subject, m.text_body, m.html_body) for m in messages} == said
    assert len(_body_ids(app)) == len(said)  # one each: the migration shares none
    _invite(app, ids, event="round-2")  # new bodies get new ids (PostgreSQL's sequence moved on)
    assert len(_messages(app)) == len(said) + len(ids)
    assert len(_body_ids(app)) == len(said) + 2
