"""The right to erasure.

The profile (and the newest ranking run's copy of its record), the consent to be found, employers' interest, job offers and stored matches, the tokens and mailed links, the failed sign-ins, every message of the outbox (sent
or not: a message not yet sent is not sent), and the e-mail address and password go. The account
row itself stays, emptied: its integer id is the candidate id that invitation-round records point
at, and a finished round must stay explainable (who was invited at which cut-off). After erasure
that id leads only to the random `reference`: those records are pseudonymised, and pseudonymised
records are still personal data (GDPR recital 26), kept under the rounds' own retention.
"""
from __future__ import annotations

from sqlmodel import Session, delete, or_, select

from app import clock
from app.accounts import throttle
from app.accounts.models import Account, MailToken, Token
from app.employers.models import EmployerMember
from app.hiring import match_generations
from app.hiring.models import Findability, Interest, JobOffer
from app.notifications import outbox
from app.notifications.models import OutboxMessage
from app.profiles.models import Profile
from app.ranking_runs import run_pool


def erase(session: Session, account: Account) -> None:
    """Erase `account`'s personal data (the caller has checked it is the person's own)."""
    session.exec(select(Account.id).where(Account.id == account.id).with_for_update()).one()
    session.exec(delete(Profile).where(Profile.account_id == account.id))
    # The hiring steps: with the profile gone no verified offer is ranked; their rows go too.
    match_generations.forget(session, account.id)
    # The newest ranking run's copy of the record it scored (its entries stay, as the entry rows do).
    run_pool.scrub(session.connection(), [account.id])
    session.exec(delete(JobOffer).where(JobOffer.candidate_id == account.id))
    session.exec(delete(Interest).where(Interest.candidate_id == account.id))
    session.exec(delete(Findability).where(Findability.account_id == account.id))
    session.exec(delete(Token).where(Token.account_id == account.id))
    session.exec(delete(MailToken).where(MailToken.account_id == account.id))
    session.exec(delete(EmployerMember).where(EmployerMember.account_id == account.id))
    # The notices hold the address and what happened to the person; unsent ones must not go out either.
    # So do the bodies only they said (one rendered for this person: a mailed link, a name).
    theirs = OutboxMessage.account_id == account.id
    if account.email is not None:
        theirs = or_(theirs, OutboxMessage.recipient == account.email)
    bodies = session.exec(select(OutboxMessage.body_id).where(theirs)).all()
    session.exec(delete(OutboxMessage).where(theirs))
    outbox.delete_unused_bodies(session.connection(), bodies)
    if account.email is not None:
        throttle.forget(session, account.email)
    account.email = None
    account.password_hash = None
    account.erased_at = clock.now()
    session.add(account)
