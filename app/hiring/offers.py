"""Job offers: made by an employer after the candidate accepted its interest, answered by the
candidate; an accepted offer from a verified employer is a *verified offer*, the only kind that
earns the grid's job-offer points (`verified_offers`).

The offer is for the vacancy's own state and occupation (an employer cannot offer points at a
state it is not established in). A candidate holds at most one accepted offer at a time. An
offer is withdrawn by its employer or, for abuse, by an official of its state (with a reason,
audited, the candidate told); an employer's suspension withdraws the offers not yet answered and
stops the accepted ones from counting. Each change of an offer that counts re-encodes the
candidate's record in the same unit of work (`verified_offers.refresh_record`), so the next
ranking sees it.
"""
from __future__ import annotations

from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.employers.models import Employer, EmployerStatus, Vacancy
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.hiring import interest as interests
from app.hiring import verified_offers
from app.hiring.models import Interest, InterestStatus, JobOffer, OfferStatus
from app.employers import membership

NO_OFFER = "There is no job offer {id} for you."
NO_INTEREST = "Your organisation has no interest {id}."
NOT_SHARED = "The candidate has not accepted this interest; an offer follows an accepted interest."
OFFERED_ALREADY = "An offer was made for this interest already."
NOT_OPEN = "This offer is {status}; only an offer not yet answered can be answered."
HOLDS_ONE = "You have accepted another job offer already; only one offer counts at a time."
EMPLOYER_NOT_VERIFIED = "This employer is {status}: its offers cannot be accepted now."
NOT_WITHDRAWABLE = "This offer is {status}; only an offer made or accepted can be withdrawn."
NO_STATE_OFFER = "Your state has no job offer {id}."
REASON_NEEDED = "Say why the offer is withdrawn."


def make(session: Session, account: Account, interest_id: int) -> JobOffer:
    """The employer offers the job of the interest's vacancy to the candidate who accepted it."""
    employer = membership.employer_of(session, account)
    if employer.status != EmployerStatus.VERIFIED:
        raise Forbidden(interests.NOT_VERIFIED.format(status=employer.status))
    interest = session.get(Interest, interest_id)
    if interest is None or interest.employer_id != employer.id:
        raise NotFound(NO_INTEREST.format(id=interest_id))
    if interest.status != InterestStatus.ACCEPTED:
        raise Conflict(NOT_SHARED)
    if session.exec(select(JobOffer).where(JobOffer.interest_id == interest.id)).first() is not None:
        raise Conflict(OFFERED_ALREADY)
    vacancy = session.get(Vacancy, interest.vacancy_id)
    offer = JobOffer(interest_id=interest.id, vacancy_id=vacancy.id, employer_id=employer.id,
                     candidate_id=interest.candidate_id, state_code=vacancy.state_code,
                     occupation=vacancy.occupation, made_at=clock.now())
    session.add(offer)
    session.flush()
    trail.record(session, account, "offer.make", f"offer:{offer.id}", state_code=offer.state_code,
                 details={"vacancy": vacancy.reference})
    interests.tell_candidate(session, session.get(Account, offer.candidate_id), "offer_received",
                             employer=employer.name, title=vacancy.title, state=offer.state_code)
    return offer


def _own(session: Session, account: Account, offer_id: int) -> JobOffer:
    offer = session.get(JobOffer, offer_id)
    if offer is None or offer.candidate_id != account.id:
        raise NotFound(NO_OFFER.format(id=offer_id))
    return offer


def accept(session: Session, account: Account, offer_id: int) -> JobOffer:
    """Accept: from a verified employer this is a verified offer, counted from the next ranking."""
    offer = _own(session, account, offer_id)
    if offer.status != OfferStatus.OFFERED:
        raise Conflict(NOT_OPEN.format(status=offer.status))
    employer = session.get(Employer, offer.employer_id)
    if employer.status != EmployerStatus.VERIFIED:
        raise Conflict(EMPLOYER_NOT_VERIFIED.format(status=employer.status))
    if session.exec(select(JobOffer).where(JobOffer.candidate_id == account.id,
                                           JobOffer.status == OfferStatus.ACCEPTED.value)).first() is not None:
        raise Conflict(HOLDS_ONE)
    offer.status, offer.answered_at = OfferStatus.ACCEPTED.value, clock.now()
    session.add(offer)
    session.flush()
    verified_offers.refresh_record(session, account.id)
    trail.record(session, account, "offer.accept", f"offer:{offer.id}", state_code=offer.state_code)
    return offer


def decline(session: Session, account: Account, offer_id: int) -> JobOffer:
    offer = _own(session, account, offer_id)
    if offer.status != OfferStatus.OFFERED:
        raise Conflict(NOT_OPEN.format(status=offer.status))
    offer.status, offer.answered_at = OfferStatus.DECLINED.value, clock.now()
    session.add(offer)
    trail.record(session, account, "offer.decline", f"offer:{offer.id}", state_code=offer.state_code)
    return offer


def _withdraw(session: Session, actor: Account | None, offer: JobOffer, reason: str, by: str) -> JobOffer:
    reason = reason.strip()
    if not reason:
        raise InvalidInput(REASON_NEEDED, {"json": {"reason": [REASON_NEEDED]}})
    if offer.status not in (OfferStatus.OFFERED, OfferStatus.ACCEPTED):
        raise Conflict(NOT_WITHDRAWABLE.format(status=offer.status))
    counted = offer.status == OfferStatus.ACCEPTED
    offer.status, offer.withdrawn_at, offer.withdrawal_reason = OfferStatus.WITHDRAWN.value, clock.now(), reason
    session.add(offer)
    session.flush()
    if counted:
        verified_offers.refresh_record(session, offer.candidate_id)
    trail.record(session, actor, "offer.withdraw", f"offer:{offer.id}", state_code=offer.state_code,
                 details={"reason": reason, "by": by})
    vacancy = session.get(Vacancy, offer.vacancy_id)
    interests.tell_candidate(session, session.get(Account, offer.candidate_id), "offer_withdrawn",
                             employer=session.get(Employer, offer.employer_id).name, title=vacancy.title,
                             state=offer.state_code, reason=reason)
    return offer


def withdraw_by_employer(session: Session, account: Account, offer_id: int, reason: str) -> JobOffer:
    employer = membership.employer_of(session, account)
    offer = session.get(JobOffer, offer_id)
    if offer is None or offer.employer_id != employer.id:
        raise NotFound(NO_OFFER.format(id=offer_id))
    return _withdraw(session, account, offer, reason, "employer")


def withdraw_by_official(session: Session, official: Account, code: str, offer_id: int, reason: str) -> JobOffer:
    """An official of the offer's state withdraws it for abuse (404 for another state's offer)."""
    offer = session.get(JobOffer, offer_id)
    if offer is None or offer.state_code != code:
        raise NotFound(NO_STATE_OFFER.format(id=offer_id))
    return _withdraw(session, official, offer, reason, "official")


def of_candidate(session: Session, candidate_id: int) -> list[tuple[JobOffer, Vacancy, Employer]]:
    return list(session.exec(
        select(JobOffer, Vacancy, Employer).join(Vacancy, Vacancy.id == JobOffer.vacancy_id)
        .join(Employer, Employer.id == JobOffer.employer_id)
        .where(JobOffer.candidate_id == candidate_id).order_by(JobOffer.id.desc())).all())


def of_employer(session: Session, employer_id: int) -> list[tuple[JobOffer, Vacancy, Employer]]:
    return list(session.exec(
        select(JobOffer, Vacancy, Employer).join(Vacancy, Vacancy.id == JobOffer.vacancy_id)
        .join(Employer, Employer.id == JobOffer.employer_id)
        .where(JobOffer.employer_id == employer_id).order_by(JobOffer.id.desc())).all())


def of_state(session: Session, code: str) -> list[tuple[JobOffer, Vacancy, Employer]]:
    """The offers made by employers of state `code`, newest first (for its officials)."""
    return list(session.exec(
        select(JobOffer, Vacancy, Employer).join(Vacancy, Vacancy.id == JobOffer.vacancy_id)
        .join(Employer, Employer.id == JobOffer.employer_id)
        .where(JobOffer.state_code == code).order_by(JobOffer.id.desc())).all())


def is_verified(offer: JobOffer, employer: Employer) -> bool:
    return offer.status == OfferStatus.ACCEPTED and employer.status == EmployerStatus.VERIFIED


def view(offer: JobOffer, vacancy: Vacancy, employer: Employer) -> dict:
    return {"id": offer.id, "status": offer.status, "verified": is_verified(offer, employer),
            "state": offer.state_code, "occupation": offer.occupation, "made_at": offer.made_at,
            "answered_at": offer.answered_at, "withdrawn_at": offer.withdrawn_at,
            "withdrawal_reason": offer.withdrawal_reason, "employer": employer.name,
            "vacancy": {"reference": vacancy.reference, "title": vacancy.title}}


def on_employer_suspended(session: Session, employer_id: int, reason: str) -> None:
    """Pending interest and offers not yet answered are withdrawn (candidates told); accepted offers
    stay on record for the state to judge, but no longer count: the candidates' records lose them now."""
    now = clock.now()
    for row in session.exec(select(Interest).where(Interest.employer_id == employer_id,
                                                   Interest.status == InterestStatus.PENDING.value)).all():
        row.status, row.answered_at = InterestStatus.WITHDRAWN.value, now
        session.add(row)
    for offer in session.exec(select(JobOffer).where(JobOffer.employer_id == employer_id,
                                                     JobOffer.status == OfferStatus.OFFERED.value)).all():
        _withdraw(session, None, offer, reason, "suspension")
    session.flush()
    for candidate_id in session.exec(select(JobOffer.candidate_id).where(
            JobOffer.employer_id == employer_id, JobOffer.status == OfferStatus.ACCEPTED.value)).all():
        verified_offers.refresh_record(session, candidate_id)
