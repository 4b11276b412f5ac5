"""Accounts: candidates register themselves; officials and administrators come from the CLI."""
from __future__ import annotations

import uuid

from sqlmodel import Session, select

from app import clock, db
from app.accounts import account_mail, language, throttle
from app.accounts.models import Account, Role
from app.accounts.passwords import hash_password
from app.errors import Conflict, InvalidInput, NotFound
from app.states.models import MemberState


def normalise_email(email: str) -> str:
    """One spelling per address, so `Ana@X.eu` and `ana@x.eu` are one account."""
    return email.strip().lower()


def sign_up(email: str, password: str, address: str) -> None:
    """Register a candidate from client `address`, within the registration limit; the same outcome
    for the caller whether or not `email` is registered already, so registering reveals nobody.

    A new address gets an unverified account and a verification link; a known one gets nothing
    new, and its owner a message saying someone tried (with the way to sign in or reset). The new
account keeps the request's language for the mails that follow (`language.remember`). Both
    paths hash the password and enqueue one message, so they take about as long. The registration
    is counted in its own short transaction and the password hashed before the request's session
    opens its write transaction, so no database lock is held during the hash.
    """
    account = open_account(email, admit_and_hash(password, address))
    if account is not None:
        account_mail.send_verification(db.session(), account, account.email)


def admit_and_hash(password: str, address: str) -> str:
    """Count a registration from `address` (429 past the limit) in its own transaction, then hash
    `password` with no transaction open: the first half of every self-registration."""
    with db.own_transaction() as counting:
        refusal = throttle.admit_registration(counting, address)
    if refusal:
        raise refusal
    return hash_password(password)


def open_account(email: str, password_hash: str, role: Role = Role.CANDIDATE) -> Account | None:
    """The new unverified account of `email` in the request's session, or None when the address is
    registered already, whose owner is then told someone tried (the caller answers the same)."""
    session = db.session()
    try:
        return language.remember(create(session, email, password_hash, role))
    except Conflict:  # registered already (or by a request racing this one)
        owner = session.exec(select(Account).where(Account.email == normalise_email(email))).one()
        account_mail.send_already_registered(session, owner)
        return None


def create(session: Session, email: str, password_hash: str | None, role: Role = Role.CANDIDATE,
           state_code: str | None = None, *, verified: bool = False) -> Account:
    """A new account (flushed, so it has its id); an official must name the one state they work for.

    Takes the password's hash, computed by the caller before any transaction opens. Two requests
    registering one address at once get what two in a row get: one account, and one 409.
    `verified`: the address counts as proven (an operator created the account); otherwise the
    owner must follow the mailed link before their profile is ranked.
    """
    email = normalise_email(email)
    if role == Role.OFFICIAL:
        if state_code is None or session.get(MemberState, state_code) is None:
            raise InvalidInput(f"An official needs the code of an EU member state, not {state_code!r}.",
                               {"json": {"state": ["Unknown member state."]}})
    elif state_code is not None:
        raise InvalidInput("Only officials are bound to a member state.", {"json": {"state": ["Not allowed."]}})
    taken = Conflict("An account with this e-mail address already exists; sign in instead.",
                     {"json": {"email": ["Already registered."]}})
    if session.exec(select(Account.id).where(Account.email == email)).first() is not None:
        raise taken
    account = Account(
        reference=uuid.uuid4().hex,
        email=email,
        password_hash=password_hash,
        role=role,
        state_code=state_code,
        created_at=clock.now(),
        email_verified_at=clock.now() if verified else None,
    )
    db.add_or_conflict(session, account, taken)
    return account


def get(session: Session, account_id: int) -> Account:
    """The account, or 404."""
    account = session.get(Account, account_id)
    if account is None or account.erased_at is not None:
        raise NotFound("No such account.")
    return account
