"""Single-use secrets mailed in links: address verification, password reset, a change of address.

Random (32 bytes, URL-safe), never stored: the table keeps their SHA-256, so a copy of the
database opens no account. Random rather than signed (itsdangerous): a signed token cannot be
used up, and a reset link must work once. `redeem` uses one with one UPDATE that matches only an
unused, unexpired token of the right purpose, so two clicks racing get one success.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session

from app import clock
from app.accounts.models import Account, MailToken, MailTokenPurpose
from app.errors import InvalidInput

TABLE = MailToken.__table__
LINK_UNUSABLE = "This link has expired or has been used already. Ask for a new one."


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(session: Session, account: Account, purpose: MailTokenPurpose, email: str, ttl: timedelta) -> str:
    """A new token for `account` (the earlier unused ones of `purpose` stop working); its raw value."""
    now = clock.now()
    withdraw(session, account.id, purpose)
    raw = secrets.token_urlsafe(32)
    session.add(MailToken(account_id=account.id, purpose=purpose.value, token_hash=digest(raw), email=email,
                          created_at=now, expires_at=now + ttl))
    session.flush()
    return raw


def redeem(session: Session, raw: str, purpose: MailTokenPurpose, field: str = "token") -> MailToken:
    """Use the token up and return it; 422 naming `field` if it is unknown, used, expired or of another purpose."""
    now = clock.now()
    used = session.execute(update(TABLE).where(
        TABLE.c.token_hash == digest(raw or ""), TABLE.c.purpose == purpose.value,
        TABLE.c.used_at.is_(None), TABLE.c.expires_at > now).values(used_at=now).returning(TABLE.c.id)
    ).scalar_one_or_none()
    if used is None:
        raise InvalidInput(LINK_UNUSABLE, {"json": {field: [LINK_UNUSABLE]}})
    return session.get(MailToken, used)


def withdraw(session: Session, account_id: int, purpose: MailTokenPurpose | None = None) -> int:
    """Make `account_id`'s unused tokens (of `purpose`, or all) unusable; how many."""
    statement = update(TABLE).where(TABLE.c.account_id == account_id, TABLE.c.used_at.is_(None))
    if purpose is not None:
        statement = statement.where(TABLE.c.purpose == purpose.value)
    return session.execute(statement.values(used_at=clock.now())).rowcount
