"""Opaque bearer tokens: random, stored as SHA-256 only, expiring and revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlmodel import Session, select

from app import clock, db
from app.accounts import throttle
from app.accounts.models import Account, Role, Token
from app.accounts.passwords import verify_password
from app.accounts.registration import normalise_email
from app.audit import trail
from app.errors import Unauthorized

BAD_CREDENTIALS = "The e-mail address or the password is wrong."


def digest(raw_token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue(session: Session, email: str, password: str) -> tuple[str, Token]:
    """Exchange credentials for a new token (the raw value is returned once and never stored)."""
    email = normalise_email(email)
    throttle.check(session, email)
    account = session.exec(select(Account).where(Account.email == email)).first()
    if not verify_password(account.password_hash if account else None, password):
        throttle.record_failure(session, email)
        db.keep_on_refusal()  # the failure counts although the answer is 401
        raise Unauthorized(BAD_CREDENTIALS)
    throttle.clear(session, email)
    raw = secrets.token_urlsafe(32)
    now = clock.now()
    token = Token(
        account_id=account.id,
        token_hash=digest(raw),
        created_at=now,
        expires_at=now + timedelta(seconds=current_app.config["TOKEN_TTL_SECONDS"]),
    )
    session.add(token)
    if account.role != Role.CANDIDATE:
        trail.record(session, account, "session.sign_in", f"account:{account.id}", state_code=account.state_code)
    return raw, token


def authenticate(session: Session, raw_token: str) -> tuple[Account, Token] | None:
    """The account and token behind `raw_token`, if it is known, unexpired and not revoked."""
    row = session.exec(
        select(Account, Token).join(Token, Token.account_id == Account.id).where(Token.token_hash == digest(raw_token))
    ).first()
    if row is None:
        return None
    account, token = row
    if token.revoked_at is not None or token.expires_at <= clock.now() or account.erased_at is not None:
        return None
    return account, token


def revoke(session: Session, account: Account, token: Token) -> None:
    """Make `token` unusable from now on."""
    token.revoked_at = clock.now()
    session.add(token)
    if account.role != Role.CANDIDATE:
        trail.record(session, account, "session.sign_out", f"account:{account.id}", state_code=account.state_code)
