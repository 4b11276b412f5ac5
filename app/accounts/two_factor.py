"""Two-factor sign-in of officials and administrators: TOTP (RFC 6238) codes and recovery codes.

Their accounts decide who is invited to emigrate, so a password alone does not sign them in, on
the web or for an API token (`tokens.issue`). The codes are the ones every authenticator app
shows (pyotp's defaults: HMAC-SHA1, 6 digits, 30-second steps); a code of the step before or
after the server's is accepted, for clocks a little apart, and each step only once.

A code is counted against the limits before it is checked (`throttle.admit_second_factor`, in a
short transaction of its own, as passwords are), and accepted by one conditional UPDATE of the
enrolment's `last_step` (or of the recovery code's `used_at`), so the same code sent twice, even
at the same instant, signs in once.

Enrolment is confirmed with a first code from the app, and only then stored; ten recovery codes
are made at that moment and shown once. An administrator's reset (or `flask accounts reset-2fa`)
removes the enrolment and every token of the account: the next sign-in enrols again.
"""
from __future__ import annotations

import hashlib
import secrets

import pyotp
from pyotp.utils import strings_equal
from sqlalchemy import delete, update
from sqlmodel import Session, select

from app import clock, db
from app.accounts import credentials, throttle
from app.accounts.models import Account, RecoveryCode, Role, TwoFactor
from app.audit import trail
from app.errors import Conflict, InvalidInput, Unauthorized

ROLES = frozenset({Role.OFFICIAL, Role.ADMIN})
ISSUER = "Talent Pool"
STEP_SECONDS = 30  # RFC 6238's default, and every authenticator app's
WINDOW = 1  # steps accepted either side of the server's
RECOVERY_CODE_COUNT = 10
# Recovery codes: 10 characters without look-alikes (no 0/o, 1/l/i), ~49 bits, shown as xxxxx-xxxxx.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

MISSING = ("This account signs in with two factors: send `otp`, the 6-digit code from your authenticator app, "
           "or `recovery_code`, one of your recovery codes.")
NOT_ENROLLED = ("This account must set up two-factor sign-in before it can sign in: sign in on the web "
                "(/sign-in), which leads through the setup.")
WRONG = "The two-factor code is wrong, expired or already used."


class SecondFactorNeeded(Unauthorized):
    """The password was right; a code is missing (or, `enrolled` False, the enrolment is).

    The web's sign-in catches it to ask for the code on a page of its own (`account_id` says whose).
    """

    def __init__(self, account: Account, enrolled: bool):
        super().__init__(MISSING if enrolled else NOT_ENROLLED,
                         {"json": {"otp": [MISSING if enrolled else NOT_ENROLLED]}})
        self.account_id = account.id
        self.email = account.email
        self.enrolled = enrolled


def applies(account: Account) -> bool:
    """Whether `account` needs a second factor to sign in."""
    return account.role in ROLES


def new_secret() -> str:
    """A fresh random secret, base32 (160 bits, RFC 4226's recommendation)."""
    return pyotp.random_base32()


def provisioning_uri(email: str, secret: str) -> str:
    """The `otpauth://` URI an authenticator app reads from the enrolment QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def _step_now() -> int:
    return int(clock.now().timestamp()) // STEP_SECONDS


def _normalise_otp(code: str) -> str:
    return "".join(code.split())


def _matching_step(secret: str, code: str, after_step: int) -> int | None:
    """The step within the window, later than `after_step`, whose code `code` is; else None."""
    code, totp, now = _normalise_otp(code), pyotp.TOTP(secret), _step_now()
    found = None
    for step in range(now - WINDOW, now + WINDOW + 1):  # every step compared: timing says nothing
        if strings_equal(totp.generate_otp(step), code) and step > after_step and found is None:
            found = step
    return found


def code_at(secret: str, step: int) -> str:
    """The code of `step` (for the development command and tests)."""
    return pyotp.TOTP(secret).generate_otp(step)


def unused_code(session: Session, account: Account) -> str | None:
    """The current code for `account`, or the next step's if the current one was used; None if both were.

    For `flask accounts otp` in development and for tests, which sign in more often than every 30 s.
    Never the previous step's: it would stop being accepted a moment later.
    """
    enrolment = session.get(TwoFactor, account.id)
    if enrolment is None:
        return None
    now = _step_now()
    first = max(now, enrolment.last_step + 1)
    return code_at(enrolment.secret, first) if first <= now + WINDOW else None


def is_enrolled(session: Session, account_id: int) -> bool:
    return session.get(TwoFactor, account_id) is not None


def _recovery_digest(code: str) -> str:
    """What is kept of a recovery code: SHA-256 suffices, as for tokens, because the codes are random."""
    return hashlib.sha256("".join(code.lower().replace("-", "").split()).encode()).hexdigest()


def _new_recovery_codes(session: Session, account_id: int) -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(account_id=account_id, code_hash=_recovery_digest(raw)))
    return codes


def _count_attempt(account: Account, address: str) -> TwoFactor | None:
    """Count one code attempt in its own transaction (raising when over the limits); the enrolment."""
    with db.own_transaction() as counting:
        enrolment = counting.get(TwoFactor, account.id)
        refusal = throttle.admit_second_factor(counting, account.email, address)
    if refusal:
        raise refusal
    return enrolment


def check(account: Account, address: str, *, otp: str | None, recovery_code: str | None) -> None:
    """Accept one code for `account` (whose password was right), from client `address`, or raise.

    Raises SecondFactorNeeded when no code came (or the account is not enrolled), TooManyAttempts
    over the limits, Unauthorized for a wrong or used code. Must run before the request's session
    writes: on SQLite the attempt's own transaction would otherwise wait for it.
    """
    if not otp and not recovery_code:
        with db.own_transaction() as reading:
            enrolled = is_enrolled(reading, account.id)
        raise SecondFactorNeeded(account, enrolled)
    enrolment = _count_attempt(account, address)
    if enrolment is None:
        raise SecondFactorNeeded(account, False)
    session = db.session()
    if otp:
        step = _matching_step(enrolment.secret, otp, enrolment.last_step)
        accepted = step is not None and session.execute(
            update(TwoFactor).where(TwoFactor.account_id == account.id, TwoFactor.last_step < step)
            .values(last_step=step)).rowcount == 1
        field = "otp"
    else:
        accepted = session.execute(
            update(RecoveryCode).where(RecoveryCode.account_id == account.id,
                                       RecoveryCode.code_hash == _recovery_digest(recovery_code),
                                       RecoveryCode.used_at.is_(None))
            .values(used_at=clock.now())).rowcount == 1
        field = "recovery_code"
        if accepted:
            trail.record(session, account, "two_factor.recovery_code_use", f"account:{account.id}",
                         state_code=account.state_code, details={"left": remaining_recovery_codes(session, account.id)})
    if not accepted:
        raise Unauthorized(WRONG, {"json": {field: [WRONG]}})
    throttle.second_factor_passed(session, account.email, address)


def remaining_recovery_codes(session: Session, account_id: int) -> int:
    return len(session.exec(select(RecoveryCode.id).where(RecoveryCode.account_id == account_id,
                                                          RecoveryCode.used_at.is_(None))).all())


def enrol(account: Account, secret: str, code: str, address: str) -> list[str]:
    """Store `secret` for `account` once `code` proves the app has it; the recovery codes, shown once.

    The code is counted like any other; a wrong one is a 422 on the `otp` field (the person is
    setting up, not signing in). Enrolling twice (two tabs) is a conflict.
    """
    enrolment = _count_attempt(account, address)
    taken = Conflict("Two-factor sign-in is already set up for this account.", {"json": {"otp": ["Already set up."]}})
    if enrolment is not None:
        raise taken
    step = _matching_step(secret, code, -1)
    if step is None:
        raise InvalidInput(WRONG, {"json": {"otp": [WRONG]}})
    session = db.session()
    db.add_or_conflict(session, TwoFactor(account_id=account.id, secret=secret, enrolled_at=clock.now(),
                                          last_step=step), taken)
    codes = _new_recovery_codes(session, account.id)
    throttle.second_factor_passed(session, account.email, address)
    trail.record(session, account, "two_factor.enrol", f"account:{account.id}", state_code=account.state_code)
    return codes


def enrol_with_secret(session: Session, account_id: int, secret: str) -> None:
    """Enrol without a first code (the demonstration accounts' fixed development secret)."""
    session.add(TwoFactor(account_id=account_id, secret=secret, enrolled_at=clock.now(), last_step=0))


def reset(session: Session, actor: Account | None, account: Account) -> None:
    """Remove `account`'s enrolment and recovery codes and revoke its tokens (audited, `actor` None: CLI)."""
    if not applies(account):
        raise InvalidInput("Only officials and administrators sign in with two factors.")
    session.execute(delete(TwoFactor).where(TwoFactor.account_id == account.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    credentials.revoke_sessions(session, account.id)
    trail.record(session, actor, "two_factor.reset", f"account:{account.id}", state_code=account.state_code,
                 details={"email": account.email})

