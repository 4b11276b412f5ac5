"""Officials' and administrators' accounts, as administrators manage them: list, create, disable, enable.

Every change is recorded in the audit trail in the caller's session, so it lands with the change
or not at all. Disabling revokes the account's tokens at once (its browser sessions too), and
`tokens.authenticate` refuses a disabled account's tokens anyway, so nothing it held keeps working.
An administrator cannot disable their own account: the service must keep one way in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app import clock
from app.accounts import credentials, registration
from app.accounts.models import Account, RecoveryCode, Role, TwoFactor
from app.audit import trail
from app.errors import Conflict, NotFound

STAFF_ROLES = (Role.OFFICIAL, Role.ADMIN)


@dataclass(frozen=True)
class StaffMember:
    """One row of the administrators' list: the account, whether it is enrolled, codes left."""

    account: Account
    enrolled_at: datetime | None
    recovery_codes_left: int


def list_staff(session: Session) -> list[StaffMember]:
    """Administrators first, then officials by state and address."""
    accounts = session.exec(select(Account).where(Account.role.in_([r.value for r in STAFF_ROLES]),
                                                  Account.erased_at.is_(None))).all()
    enrolled = dict(session.exec(select(TwoFactor.account_id, TwoFactor.enrolled_at)).all())
    left: dict[int, int] = {}
    for account_id in session.exec(select(RecoveryCode.account_id).where(RecoveryCode.used_at.is_(None))).all():
        left[account_id] = left.get(account_id, 0) + 1
    ordered = sorted(accounts, key=lambda a: (a.role != Role.ADMIN, a.state_code or "", a.email or ""))
    return [StaffMember(a, enrolled.get(a.id), left.get(a.id, 0)) for a in ordered]


def get(session: Session, account_id: int) -> Account:
    """An official's or administrator's account, or 404."""
    account = session.get(Account, account_id)
    if account is None or account.erased_at is not None or account.role not in STAFF_ROLES:
        raise NotFound("No official or administrator has this id.")
    return account


def create_official(session: Session, actor: Account, email: str, password_hash: str, state_code: str) -> Account:
    """A new official of `state_code` (enrols in two-factor sign-in at their first sign-in)."""
    account = registration.create(session, email, password_hash, Role.OFFICIAL, state_code)
    trail.record(session, actor, "account.create", f"account:{account.id}", state_code=account.state_code,
                 details={"role": account.role, "email": account.email})
    return account


def set_disabled(session: Session, actor: Account, account: Account, disabled: bool) -> None:
    """Disable (revoking every token) or enable `account`; audited. Doing it twice changes nothing."""
    if account.id == actor.id:
        raise Conflict("You cannot disable your own account.")
    if (account.disabled_at is not None) == disabled:
        return
    account.disabled_at = clock.now() if disabled else None
    session.add(account)
    if disabled:
        credentials.revoke_sessions(session, account.id)
    trail.record(session, actor, "account.disable" if disabled else "account.enable", f"account:{account.id}",
                 state_code=account.state_code, details={"email": account.email})
