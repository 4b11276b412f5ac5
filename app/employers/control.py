"""A member state's control of its employers: verify, suspend with a reason, lift the suspension.

Only officials of the employer's own state act on it (`administration.own_state` for the state of
the path, then a 404 for an employer of another state: an official learns nothing of other states'
employers). Each action is audited with the employer's state and mailed to the employer's people
in their languages, in the same transaction.

A suspension closes the employer's published vacancies at once (drafts stay, unpublishable) and
hands what is in flight to the hiring steps (`app.hiring.on_employer_suspended`: pending interest
and unanswered offers withdrawn, accepted offers kept for the state to judge). Lifting it lets the
employer publish again; vacancies closed by the suspension stay closed (their candidates were
told), so the employer publishes anew.
"""
from __future__ import annotations

from sqlalchemy import case
from sqlmodel import Session, select

from app import clock, hiring
from app.accounts.models import Account
from app.audit import trail
from app.config import setting
from app.employers import membership, vacancies
from app.employers.models import Employer, EmployerStatus, Vacancy, VacancyStatus
from app.errors import Conflict, InvalidInput, NotFound
from app.notifications import outbox

NO_SUCH = "Your state has no employer {id}."
NOBODY_VERIFIED = "Nobody acting for this employer has verified their e-mail address yet; verify it after they have."


def of_state(session: Session, code: str) -> list[Employer]:
    """The state's employers: pending first (the ones waiting for an official), then suspended, then verified."""
    order = case({EmployerStatus.PENDING.value: 0, EmployerStatus.SUSPENDED.value: 1}, value=Employer.status, else_=2)
    return list(session.exec(select(Employer).where(Employer.state_code == code)
                             .order_by(order, Employer.created_at, Employer.id)).all())


def get(session: Session, code: str, employer_id: int) -> Employer:
    """Employer `employer_id` of state `code`, or 404 (another state's is as unknown as none)."""
    employer = session.get(Employer, employer_id)
    if employer is None or employer.state_code != code:
        raise NotFound(NO_SUCH.format(id=employer_id))
    return employer


def _tell(session: Session, employer: Employer, kind: str, **context) -> None:
    sign_in = f"{setting('PUBLIC_URL').rstrip('/')}/sign-in"
    for person in membership.people(session, employer.id):
        if person.email:
            outbox.enqueue(session, kind=kind, recipient=person.email, language=person.language,
                           account_id=person.id, context={"employer": employer.name, "sign_in": sign_in, **context})


def _locked(session: Session, employer: Employer) -> Employer:
    session.exec(select(Employer.id).where(Employer.id == employer.id).with_for_update()).one()
    session.refresh(employer)
    return employer


def verify(session: Session, official: Account, employer: Employer) -> Employer:
    """Verify a pending employer (409 if it is not pending, or if none of its people proved an address)."""
    employer = _locked(session, employer)
    if employer.status != EmployerStatus.PENDING:
        raise Conflict("Only a pending employer is verified; this one is verified or suspended already.")
    if not any(person.email_verified_at for person in membership.people(session, employer.id)):
        raise Conflict(NOBODY_VERIFIED)
    employer.status = EmployerStatus.VERIFIED.value
    employer.verified_at, employer.verified_by = clock.now(), official.id
    session.add(employer)
    trail.record(session, official, "employer.verify", f"employer:{employer.reference}", state_code=employer.state_code)
    _tell(session, employer, "employer_verified")
    return employer


def suspend(session: Session, official: Account, employer: Employer, reason: str) -> Employer:
    """Suspend a verified employer with `reason`: its published vacancies close, the hiring steps in
    flight are handed to `hiring.on_employer_suspended`, its people are told why."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why the employer is suspended.", {"json": {"reason": ["Required."]}})
    employer = _locked(session, employer)
    if employer.status != EmployerStatus.VERIFIED:
        raise Conflict("Only a verified employer can be suspended.")
    now = clock.now()
    employer.status = EmployerStatus.SUSPENDED.value
    employer.suspended_at, employer.suspended_by, employer.suspension_reason = now, official.id, reason
    session.add(employer)
    published = session.exec(select(Vacancy).where(Vacancy.employer_id == employer.id,
                                                   Vacancy.status == VacancyStatus.PUBLISHED.value)).all()
    for vacancy in published:
        vacancies.close_now(session, official, vacancy, "suspension")
    hiring.on_employer_suspended(session, employer.id, reason)
    trail.record(session, official, "employer.suspend", f"employer:{employer.reference}",
                 state_code=employer.state_code, details={"reason": reason, "vacancies_closed": len(published)})
    _tell(session, employer, "employer_suspended", reason=reason)
    return employer


def reinstate(session: Session, official: Account, employer: Employer) -> Employer:
    """Lift a suspension: the employer is verified again and may publish."""
    employer = _locked(session, employer)
    if employer.status != EmployerStatus.SUSPENDED:
        raise Conflict("This employer is not suspended.")
    reason = employer.suspension_reason
    employer.status = EmployerStatus.VERIFIED.value
    employer.suspended_at = employer.suspended_by = employer.suspension_reason = None
    session.add(employer)
    trail.record(session, official, "employer.reinstate", f"employer:{employer.reference}",
                 state_code=employer.state_code, details={"suspension_reason": reason})
    _tell(session, employer, "employer_reinstated")
    return employer
