"""Who acts for which employer: an account of role `employer` and its one `EmployerMember` row.

Every employer route and page starts here, so a person reaches their own organisation and
nothing of another's: the employer comes from the signed-in account, never from the request.
"""
from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import Account, Role
from app.employers.models import Employer, EmployerMember
from app.errors import Forbidden

NO_EMPLOYER = "This account acts for no employer."


def employer_of(session: Session, account: Account) -> Employer:
    """The employer `account` acts for, or 403."""
    if account.role != Role.EMPLOYER:
        raise Forbidden(NO_EMPLOYER)
    employer = session.exec(select(Employer).join(EmployerMember, EmployerMember.employer_id == Employer.id)
                            .where(EmployerMember.account_id == account.id)).first()
    if employer is None:
        raise Forbidden(NO_EMPLOYER)
    return employer


def people(session: Session, employer_id: int) -> list[Account]:
    """The accounts acting for `employer_id` (erased ones left out), oldest first."""
    return list(session.exec(select(Account).join(EmployerMember, EmployerMember.account_id == Account.id)
                             .where(EmployerMember.employer_id == employer_id, Account.erased_at.is_(None))
                             .order_by(EmployerMember.added_at, Account.id)).all())
