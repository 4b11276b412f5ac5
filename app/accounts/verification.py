"""Proving an e-mail address: the link mailed at registration, again on request, and for a new address.

Until the account's address is verified its profile can be filled and scored but is left out of
every ranking run (`ranking_runs.rerank.read_pool_records`), and so out of every round. A change
of address takes effect only when the link mailed to the *new* address is followed: until then
the old, verified address stays, so a typo cannot lock anyone out.
"""
from __future__ import annotations

from sqlmodel import Session, select

from app import clock, db
from app.accounts import account_mail, mail_tokens, throttle
from app.accounts.models import Account, MailTokenPurpose
from app.accounts.registration import normalise_email
from app.handoff import barred_addresses
from app.errors import Conflict, InvalidInput

TAKEN = "Another account uses this e-mail address now; ask for a new link from your account."


def verify(session: Session, raw_token: str) -> Account:
    """Use a verification link: the address it was sent to becomes the account's, verified."""
    token = mail_tokens.redeem(session, raw_token, MailTokenPurpose.VERIFY)
    account = session.get(Account, token.account_id)
    if account is None or account.erased_at is not None:
        raise InvalidInput(mail_tokens.LINK_UNUSABLE, {"json": {"token": [mail_tokens.LINK_UNUSABLE]}})
    if token.email != account.email:
        if session.exec(select(Account.id).where(Account.email == token.email)).first() is not None:
            raise InvalidInput(TAKEN, {"json": {"token": [TAKEN]}})
        if account.email is not None:
            throttle.forget(session, account.email)
        account.email = token.email
        db.add_or_conflict(session, account, InvalidInput(TAKEN, {"json": {"token": [TAKEN]}}))
    account.email_verified_at = clock.now()
    session.add(account)
    return account


def resend(account: Account) -> None:
    """Mail the verification link again (throttled per address); nothing if it is verified already."""
    if account.email_verified_at is not None:
        raise Conflict("This e-mail address is verified already.")
    account_id, email = account.id, account.email
    db.end_read()  # the count's own transaction must not wait on this request's (SQLite: one writer)
    with db.own_transaction() as counting:
        refusal = throttle.admit_account_mail(counting, email)
    if refusal:
        raise refusal
    session = db.session()
    account_mail.send_verification(session, session.get(Account, account_id), email)


def request_address_change(session: Session, account: Account, new_email: str) -> None:
    """Mail a link to `new_email`; the same answer whether or not another account has it (whose
    owner is told instead; an address a misrepresentation bar keeps gets a message saying so). The
    caller has checked the password."""
    new_email = normalise_email(new_email)
    if new_email == account.email:
        raise InvalidInput("This is your e-mail address already.", {"json": {"email": ["Already yours."]}})
    owner = session.exec(select(Account).where(Account.email == new_email)).first()
    if owner is not None:
        account_mail.send_already_registered(session, owner)
        return
    bar = barred_addresses.bar_on(session, new_email, clock.now())
    if bar is not None and bar.candidate_id != account.id:  # another account may not take a barred address
        account_mail.send_barred(session, new_email, bar)
        return
    account_mail.send_verification(session, account, new_email)
