"""The outbox: one row per message to send, rendered at the moment of the change it tells of."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String, Text
from sqlmodel import Field, SQLModel

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
    subject: str = Field(sa_type=String(300))
    text_body: str = Field(sa_type=Text)
    html_body: str = Field(sa_type=Text)
    dedupe_key: str | None = Field(default=None, sa_type=String(120), unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=MessageStatus.PENDING, sa_type=String(16), index=True)
    attempts: int = Field(default=0, sa_type=Integer)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, index=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=String(500))
