"""Opaque bearer tokens: random, stored as SHA-256 only, expiring and revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlmodel import Session, select

from app import clock, db
from app.accounts import throttle, two_factor
from app.accounts.models import Account, Role, Token
from app.accounts.passwords import verify_password
from app.accounts.registration import normalise_email
from app.audit import trail
from app.errors import Unauthorized

BAD_CREDENTIALS = "The e-mail address or the password is wrong."
DISABLED = "This account has been disabled; ask an administrator."


def digest(raw_token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue(email: str, password: str, address: str, *, otp: str | None = None,
          recovery_code: str | None = None) -> tuple[str, Token]:
    """Exchange credentials, sent from client `address`, for a new token (its raw value is returned
    once and never stored); the token is added to the request's session.

    The attempt is counted and the account read in a short transaction of its own, the password is
    checked with no transaction open, and only then does the request's session write (the token,
    or the record of the failure): no database lock is held during the argon2 hash. Officials and
    administrators also need `otp` or `recovery_code` (`two_factor.check`; without one it raises
    `SecondFactorNeeded`, which the web's sign-in turns into its second step).
    """
    email = normalise_email(email)
    with db.own_transaction() as counting:
        refusal = throttle.admit_sign_in(counting, email, address)
        account = None if refusal else counting.exec(select(Account).where(Account.email == email)).first()
    if refusal:
        raise refusal
    if not verify_password(account.password_hash if account else None, password):
        session = db.session()
        throttle.record_failure(session, email)
        db.keep_on_refusal()  # the failure's record stays although the answer is 401
        raise Unauthorized(BAD_CREDENTIALS)
    if account.disabled_at is not None:
        raise Unauthorized(DISABLED)
    if two_factor.applies(account):
        two_factor.check(account, address, otp=otp, recovery_code=recovery_code)
    return grant(account, address)


def issue_after_password(account_id: int, address: str, *, otp: str | None = None,
                         recovery_code: str | None = None, enrol_secret: str | None = None):
    """The web's second step: the password of `account_id` was right moments ago (the signed browser
    session says so, `web/official/sign_in_code.py`); now a code, or a first code with `enrol_secret`.

    Returns (raw token, token, recovery codes: a list after an enrolment, else None).
    """
    with db.own_transaction() as reading:
        account = reading.get(Account, account_id)
    if account is None or account.erased_at is not None or account.disabled_at is not None:
        raise Unauthorized(DISABLED)
    codes = None
    if enrol_secret is not None:
        codes = two_factor.enrol(account, enrol_secret, otp or "", address)
    else:
        two_factor.check(account, address, otp=otp, recovery_code=recovery_code)
    raw, token = grant(account, address)
    return raw, token, codes


def grant(account: Account, address: str) -> tuple[str, Token]:
    """A new token for `account`, whose credentials were all right (in the request's session)."""
    session = db.session()
    throttle.signed_in(session, account.email, address)
    account = session.merge(account, load=False)
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
    if (token.revoked_at is not None or token.expires_at <= clock.now() or account.erased_at is not None
            or account.disabled_at is not None):
        return None
    return account, token


def revoke(session: Session, account: Account, token: Token) -> None:
    """Make `token` unusable from now on."""
    token.revoked_at = clock.now()
    session.add(token)
    if account.role != Role.CANDIDATE:
        trail.record(session, account, "session.sign_out", f"account:{account.id}", state_code=account.state_code)
