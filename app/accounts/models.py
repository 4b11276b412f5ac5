"""Who can sign in: candidates (self-registered), officials (one member state) and administrators."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Integer, String
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime


class Role(StrEnum):
    """What an account may reach: candidates only `/me`, officials only their own state, employers
    only their own organisation."""

    CANDIDATE = "candidate"
    OFFICIAL = "official"
    ADMIN = "admin"
    EMPLOYER = "employer"  # acts for one organisation (`app.employers.models.EmployerMember`)


class Account(SQLModel, table=True):
    """The candidate id used everywhere (rounds, invitations) is this stable integer `id`.

    Erasure keeps the row with `email` and `password_hash` cleared, so records a round must keep
    still point at a candidate, now known only by the random `reference`. A self-registered
    candidate's `email_verified_at` stays empty until they follow the link mailed to them, and
    until then their profile is left out of every ranking (`ranking_runs.rerank`).
    """

    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(sa_type=String(32), unique=True)
    email: str | None = Field(default=None, sa_type=String(254), unique=True)
    password_hash: str | None = Field(default=None, sa_type=String(255))
    role: str = Field(sa_type=String(16))
    state_code: str | None = Field(default=None, foreign_key="member_state.code", sa_type=String(2))
    created_at: datetime = Field(sa_type=UTCDateTime)
    # Indexed: a draw reads the erased candidates of a ranking run (`rounds.execution`).
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    email_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set by an administrator (`app.accounts.staff`): no sign-in, and its tokens stop working.
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The language the person last used the pages in (registration, profile save): their mails are in it.
    language: str = Field(default="en", sa_type=String(8), sa_column_kwargs={"server_default": "en"})


class MailTokenPurpose(StrEnum):
    """What a mailed link does: prove an address (the account's, or the one it moves to), or reset the password."""

    VERIFY = "verify"
    RESET = "reset"


class MailToken(SQLModel, table=True):
    """A single-use secret mailed in a link (`app.accounts.mail_tokens`); only its SHA-256 is stored.

    `email` is the address the link was sent to: the one it proves (a new address, for a change).
    """

    __tablename__ = "mail_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    purpose: str = Field(sa_type=String(16))
    token_hash: str = Field(sa_type=String(64), unique=True)
    email: str = Field(sa_type=String(254))
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Token(SQLModel, table=True):
    """A bearer token; only its SHA-256 is stored, so a database leak yields no usable token."""

    __tablename__ = "token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(sa_type=String(64), unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """One failed sign-in; kept in the database so every gunicorn worker sees the same count."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=String(254), index=True)
    failed_at: datetime = Field(sa_type=UTCDateTime)


class SignInThrottle(SQLModel, table=True):
    """One attempt counter of the sign-in and registration limits (`app.accounts.throttle`).

    `scope` says what is counted: attempts on one account from one address (`pair`), from one
    address on any account (`address`), on one account from anywhere (`account`), registrations
    from one address (`register`); the other key column is '' where it does not apply. Times are
    milliseconds since the epoch, so the limiter's one UPSERT can do its arithmetic in SQL on
    either database.
    """

    __tablename__ = "sign_in_throttle"

    scope: str = Field(sa_type=String(16), primary_key=True)
    account: str = Field(sa_type=String(254), primary_key=True)
    address: str = Field(sa_type=String(64), primary_key=True, index=True)
    attempts: int = Field(sa_type=Integer)
    last_attempt_ms: int = Field(sa_type=BigInteger)
    locked_until_ms: int = Field(sa_type=BigInteger)


class TwoFactor(SQLModel, table=True):
    """An official's or administrator's TOTP secret (`app.accounts.two_factor`), once confirmed.

    `last_step` is the RFC 6238 time step of the last code accepted: a code is accepted only for a
    later step, by one conditional UPDATE, so a code read over someone's shoulder (or sent twice at
    once) is refused the second time. The secret is stored as it is, as every TOTP server must:
    it is what the codes are computed from.
    """

    __tablename__ = "two_factor"

    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    secret: str = Field(sa_type=String(64))
    enrolled_at: datetime = Field(sa_type=UTCDateTime)
    last_step: int = Field(sa_type=BigInteger)


class RecoveryCode(SQLModel, table=True):
    """A single-use recovery code; only its SHA-256 is kept (the codes are random, like tokens)."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(sa_type=String(64), unique=True)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
