"""The barred address: a keyed hash of a barred candidate's e-mail address, so erasing the account and
registering again with the same address does not escape a misrepresentation bar.

Kept on the finding (`Misrepresentation.address_digest`) for the bar's duration only: written
when the finding is recorded, cleared when it is lifted, and cleared by the nightly retention
(`purge`) once the bar has ended. It is HMAC-SHA-256 of the normalised address under the app's
`SECRET_KEY` (with a label of its own, so it is no other use's hash): without the key nobody can
test an address against it, and it names nobody by itself. It is still personal data (a
pseudonymised identifier, GDPR recital 26), kept for a legal reason (the state's finding and its
consequence in the pool), as the privacy notice says. Rotating `SECRET_KEY` makes the kept hashes
match nothing: rotate only with that in mind.

Registration and an address change check it and answer as they always do (the same 202; nothing
says the address is barred), and mail the address's owner what the bar is and how to contest it.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import current_app
from sqlalchemy import or_, update
from sqlmodel import Session, select

from app.handoff.models import Misrepresentation

LABEL = b"talentpool/misrepresentation-bar/v1:"


def digest(email: str) -> str:
    """The keyed hash of `email` (normalised as registration normalises it), 64 hex digits."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, LABEL + email.strip().lower().encode(), hashlib.sha256).hexdigest()


def bar_on(session: Session, email: str, now: datetime) -> Misrepresentation | None:
    """The bar in force on `email`'s owner, if a finding keeps its hash and has not ended or been lifted."""
    table = Misrepresentation
    return session.exec(select(table).where(table.address_digest == digest(email), table.lifted_at.is_(None),
                                            table.barred_until > now)
                        .order_by(table.barred_until.desc())).first()


def purge(session: Session, now: datetime) -> int:
    """Clear the hashes of bars that ended or were lifted; how many."""
    table = Misrepresentation.__table__
    return session.exec(update(table).where(table.c.address_digest.is_not(None), or_(
        table.c.lifted_at.is_not(None), table.c.barred_until <= now)).values(address_digest=None)).rowcount
