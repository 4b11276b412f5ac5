"""Limits on sign-in and registration attempts, counted in the database by one atomic UPSERT each.

What is limited, and why each limit is keyed as it is (values from `app.config`, README "Limits"):
- `pair` (account, client address): `SIGN_IN_PAIR_LIMIT` attempts, then one attempt per growing
  delay (`THROTTLE_FIRST_DELAY_SECONDS`, doubling, at most `THROTTLE_MAX_DELAY_SECONDS`). This is
  what stops one attacker guessing one password; it does not touch the owner at another address.
- `address` (client address, any account): `SIGN_IN_ADDRESS_LIMIT`, then the same growing delays;
  against password spraying, one guess each over many accounts.
- `account` (account, any address): a ceiling, `SIGN_IN_ACCOUNT_LIMIT`, past which the account takes
  one attempt per `SIGN_IN_ACCOUNT_SPACING_SECONDS`. It slows a distributed guesser and never
  blocks: the owner, at a fresh address, is at most that many seconds (Retry-After) from getting in.
- `register` (client address): `REGISTRATION_ADDRESS_LIMIT` registrations, then growing delays.
- `mail` (an e-mail address, from anywhere): `ACCOUNT_MAIL_LIMIT` account mails asked for it
  (password reset, verification resent), then growing delays: nobody can flood an inbox through us.
A count starts again after `THROTTLE_WINDOW_SECONDS` without attempts. A successful sign-in
forgets its pair and gives back its attempt to `address` and `account`, so those count failures.

An attempt is counted *before* the password is checked, in one `INSERT ... ON CONFLICT DO UPDATE
... WHERE locked_until <= now RETURNING attempts` (SQLite 3.35+ and PostgreSQL), in a short
transaction of its own that commits before the slow argon2 check (`db.own_transaction`). The
UPSERT holds the row (PostgreSQL) or the database (SQLite, `BEGIN IMMEDIATE`) until that commit,
and the attempt that reaches a limit sets the lock in the same transaction, so however many
requests arrive at once, at most the limit of them get their password checked.

Why not Flask-Limiter: its storages are memory (one count per gunicorn worker, so an attacker
spreading over workers gets several times the limit), Redis, Memcached or MongoDB, none of which
this service runs; it counts requests where we need failures per account *and* per address with
give-back on success. The database every worker shares is the one storage we have.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app import clock
from app.accounts.models import LoginFailure, SignInThrottle
from app.errors import TooManyAttempts

TABLE = SignInThrottle.__table__
ADDRESS_LENGTH = TABLE.c.address.type.length


@dataclass(frozen=True)
class Limit:
    """`attempts` free attempts, then one per delay: `first_delay` seconds, times `growth` each time."""

    scope: str
    attempts: int
    first_delay: float
    growth: float
    max_delay: float
    window: float

    def delay(self, over: int) -> float:
        """Seconds of lock after the attempt that is `over` >= 1 attempts at or past the limit."""
        return min(self.max_delay, self.first_delay * self.growth ** (over - 1))


def _limits() -> dict[str, Limit]:
    config = current_app.config
    window = float(config["THROTTLE_WINDOW_SECONDS"])
    first, longest = float(config["THROTTLE_FIRST_DELAY_SECONDS"]), min(window, float(config["THROTTLE_MAX_DELAY_SECONDS"]))
    spacing = float(config["SIGN_IN_ACCOUNT_SPACING_SECONDS"])
    return {
        "pair": Limit("pair", int(config["SIGN_IN_PAIR_LIMIT"]), first, 2.0, longest, window),
        "address": Limit("address", int(config["SIGN_IN_ADDRESS_LIMIT"]), first, 2.0, longest, window),
        "account": Limit("account", int(config["SIGN_IN_ACCOUNT_LIMIT"]), spacing, 1.0, spacing, window),
        "register": Limit("register", int(config["REGISTRATION_ADDRESS_LIMIT"]), first, 2.0, longest, window),
        "mail": Limit("mail", int(config["ACCOUNT_MAIL_LIMIT"]), first, 2.0, longest, window),
        # Two-factor codes (`admit_second_factor`): the pair as for passwords, the account locked too.
        "code_pair": Limit("code_pair", int(config["SIGN_IN_PAIR_LIMIT"]), first, 2.0, longest, window),
        "code_account": Limit("code_account", int(config["SECOND_FACTOR_ACCOUNT_LIMIT"]), first, 2.0, longest, window),
    }


def _now_ms() -> int:
    return int(clock.now().timestamp() * 1000)


def client_address(remote_addr: str | None) -> str:
    """The address the limits key on: `request.remote_addr` (ProxyFix's, behind trusted proxies)."""
    return (remote_addr or "unknown")[:ADDRESS_LENGTH]


def _upsert(session: Session, values: dict, set_: dict, where):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(TABLE).values(**values).on_conflict_do_update(
        index_elements=[TABLE.c.scope, TABLE.c.account, TABLE.c.address], set_=set_, where=where)
    return session.execute(statement.returning(TABLE.c.attempts)).first()


def _key(limit: Limit, account: str, address: str):
    return (TABLE.c.scope == limit.scope) & (TABLE.c.account == account) & (TABLE.c.address == address)


def _take(session: Session, limit: Limit, account: str, address: str, now: int) -> int | None:
    """Count one attempt; None if admitted, else the seconds until the next one may be made."""
    stale = TABLE.c.last_attempt_ms <= now - int(limit.window * 1000)
    row = _upsert(session,
                  {"scope": limit.scope, "account": account, "address": address, "attempts": 1,
                   "last_attempt_ms": now, "locked_until_ms": 0},
                  {"attempts": case((stale, 1), else_=TABLE.c.attempts + 1), "last_attempt_ms": now},
                  TABLE.c.locked_until_ms <= now)
    if row is None:  # locked: not counted, not admitted
        locked_until = session.execute(select(TABLE.c.locked_until_ms).where(_key(limit, account, address))).scalar_one()
        return max(1, math.ceil((locked_until - now) / 1000))
    over = row.attempts - limit.attempts + 1
    if over >= 1:  # this attempt is the last before a lock: admitted, and locks the next ones out
        session.execute(update(TABLE).where(_key(limit, account, address))
                        .values(locked_until_ms=now + int(limit.delay(over) * 1000)))
    return None


def _refuse(retry_after: int, what: str) -> TooManyAttempts:
    return TooManyAttempts(f"Too many {what}; try again in {retry_after} seconds.", retry_after)


def admit_sign_in(session: Session, email: str, address: str) -> TooManyAttempts | None:
    """Count a sign-in attempt against each limit in turn; the refusal to raise, if one refuses.

    Returned rather than raised so the caller commits the counts first. A limit that refuses stops
    the count there: an attacker locked out of their pair does not use up the owner's account ceiling.
    """
    limits, now = _limits(), _now_ms()
    for limit, account, key_address, what in ((limits["pair"], email, address, "failed sign-ins for this account"),
                                              (limits["address"], "", address, "failed sign-ins from your address"),
                                              (limits["account"], email, "", "failed sign-ins for this account")):
        retry_after = _take(session, limit, account, key_address, now)
        if retry_after is not None:
            return _refuse(retry_after, what)
    return None


def admit_registration(session: Session, address: str) -> TooManyAttempts | None:
    """Count a registration from `address`; the refusal to raise, if over the limit."""
    retry_after = _take(session, _limits()["register"], "", address, _now_ms())
    return None if retry_after is None else _refuse(retry_after, "registrations from your address")


def admit_account_mail(session: Session, email: str) -> TooManyAttempts | None:
    """Count an account mail asked for `email` (normalised); the refusal to raise, if over the limit."""
    retry_after = _take(session, _limits()["mail"], email, "", _now_ms())
    return None if retry_after is None else _refuse(retry_after, "messages asked for this address")


def signed_in(session: Session, email: str, address: str) -> None:
    """After the right password: forget the pair, and give the attempt back to the address and account."""
    session.execute(delete(TABLE).where(_key(_limits()["pair"], email, address)))
    for scope, account, key_address in (("address", "", address), ("account", email, "")):
        session.execute(update(TABLE).where(TABLE.c.scope == scope, TABLE.c.account == account,
                                            TABLE.c.address == key_address, TABLE.c.attempts > 0)
                        .values(attempts=TABLE.c.attempts - 1))


def admit_second_factor(session: Session, email: str, address: str) -> TooManyAttempts | None:
    """Count a two-factor code attempt (pair, then account); the refusal to raise, if one refuses.

    Unlike a password's, the account-wide limit locks with growing delays rather than spacing
    attempts: a 6-digit code spaced at one try every few seconds from many addresses would fall
    within days. Only someone who already has the password can spend this account's attempts.
    """
    limits, now = _limits(), _now_ms()
    for limit, key_address in ((limits["code_pair"], address), (limits["code_account"], "")):
        retry_after = _take(session, limit, email, key_address, now)
        if retry_after is not None:
            return _refuse(retry_after, "wrong codes for this account")
    return None


def second_factor_passed(session: Session, email: str, address: str) -> None:
    """After the right code: forget the pair, and give the attempt back to the account."""
    limits = _limits()
    session.execute(delete(TABLE).where(_key(limits["code_pair"], email, address)))
    session.execute(update(TABLE).where(_key(limits["code_account"], email, ""), TABLE.c.attempts > 0)
                    .values(attempts=TABLE.c.attempts - 1))


def record_failure(session: Session, email: str) -> None:
    """Keep a record of one failed sign-in (in the caller's unit of work, kept although it refuses)."""
    session.add(LoginFailure(email=email, failed_at=clock.now()))


def lift(session: Session, *, email: str | None = None, address: str | None = None) -> int:
    """Remove the counts and locks on `email` and/or `address` (`flask accounts unthrottle`); how many."""
    conditions = []
    if email is not None:
        conditions.append(TABLE.c.account == email)
    if address is not None:
        conditions.append(TABLE.c.address == address)
    if not conditions:
        return 0
    return session.execute(delete(TABLE).where(or_(*conditions))).rowcount


def forget(session: Session, email: str) -> None:
    """Remove every record of `email`'s sign-ins (erasure)."""
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    session.execute(delete(TABLE).where(TABLE.c.account == email))


def purge(session: Session, before_ms: int) -> int:
    """Delete counters untouched since `before_ms` (retention); how many."""
    return session.execute(delete(TABLE).where(TABLE.c.last_attempt_ms < before_ms,
                                               TABLE.c.locked_until_ms < before_ms)).rowcount

