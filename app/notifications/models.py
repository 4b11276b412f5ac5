"""The outbox: one row per message to send, rendered at the moment of the change it tells of.

What a message says (`OutboxBody`) is stored apart from whom it goes to (`OutboxMessage`): a round
tells thousands of candidates the same thing in a few languages, and they share those few bodies.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String, Text
from sqlmodel import Field, Relationship, SQLModel

from app.storage.tables import UTCDateTime


class MessageStatus(StrEnum):
    """`pending` waits for the sender; `sending` is claimed by one; `sent` and `dead` are final.

    A `sending` message's `next_attempt_at` is when its claim lapses; one still `sending` then was
    cut off by a crash and becomes `dead`, not resent (`app.notifications.delivery`).
    """

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


class OutboxBody(SQLModel, table=True):
    """What one or more messages say: subject, plain text and HTML, rendered once.

    A round's 10,000 invitations in three languages are three bodies, not 10,000 copies of about
    1.4 KB each, which the round's one transaction used to write (and parse, on SQLite, from one
    JSON text) at 0.4 s of its 1.1 s at a 1M pool. A body shared by many messages was rendered from
    values shared by all of them (`candidate_notices`), so it holds nothing personal; a message
    rendered for one person (a mailed link, a name) has a body of its own. A body goes when its
    last message goes: erasure deletes the erased person's at once, the nightly retention any other.
    """

    __tablename__ = "outbox_body"

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(sa_type=String(300))
    text_body: str = Field(sa_type=Text)
    html_body: str = Field(sa_type=Text)


class OutboxMessage(SQLModel, table=True):
    """A message rendered in its recipient's language, kept until delivered (then for a while, as proof).

    The text is rendered when the event happens, not when it is sent, so a mail says what was true
    then. `dedupe_key` names the event ("invitation-reminder-14:812"): a job that runs twice, or
    two processes that race, add one message, not two. `account_id` ties it to an account for the
    candidate's page of events, the data export and erasure; account messages sent before an
    account exists (a registration attempt on a known address) have none.
    """

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", ondelete="CASCADE", index=True)
    kind: str = Field(sa_type=String(48))
    recipient: str = Field(sa_type=String(254))
    language: str = Field(sa_type=String(8))
    body_id: int = Field(foreign_key="outbox_body.id", index=True)
    dedupe_key: str | None = Field(default=None, sa_type=String(120), unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=MessageStatus.PENDING, sa_type=String(16), index=True)
    attempts: int = Field(default=0, sa_type=Integer)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, index=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=String(500))
    # Loaded with the message (one join): every reader of a message wants what it says.
    body: OutboxBody = Relationship(sa_relationship_kwargs={"lazy": "joined", "innerjoin": True})

    @property
    def subject(self) -> str:
        return self.body.subject

    @property
    def text_body(self) -> str:
        return self.body.text_body

    @property
    def html_body(self) -> str:
        return self.body.html_body
