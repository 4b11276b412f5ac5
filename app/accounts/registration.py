"""Accounts: candidates register themselves; officials and administrators come from the CLI."""
from __future__ import annotations

import uuid

from sqlmodel import Session, select

from app import clock, db
from app.accounts import throttle
from app.accounts.models import Account, Role
from app.accounts.passwords import hash_password
from app.errors import Conflict, InvalidInput, NotFound
from app.states.models import MemberState


def normalise_email(email: str) -> str:
    """One spelling per address, so `Ana@X.eu` and `ana@x.eu` are one account."""
    return email.strip().lower()


def sign_up(email: str, password: str, address: str) -> Account:
    """Register a candidate from client `address`, within the registration limit.

    The registration is counted in its own short transaction and the password hashed before the
    request's session opens its write transaction, so no database lock is held during the hash.
    """
    with db.own_transaction() as counting:
        refusal = throttle.admit_registration(counting, address)
    if refusal:
        raise refusal
    return create(db.session(), email, hash_password(password))


def create(session: Session, email: str, password_hash: str, role: Role = Role.CANDIDATE,
           state_code: str | None = None) -> Account:
    """A new account (flushed, so it has its id); an official must name the one state they work for.

    Takes the password's hash, computed by the caller before any transaction opens. Two requests
    registering one address at once get what two in a row get: one account, and one 409.
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
    )
    db.add_or_conflict(session, account, taken)
    return account


def get(session: Session, account_id: int) -> Account:
    """The account, or 404."""
    account = session.get(Account, account_id)
    if account is None or account.erased_at is not None:
        raise NotFound("No such account.")
    return account
