"""What needs the password typed again, and what ends sessions: password change, sign out everywhere.

A session left open on a shared computer must not be enough to erase the account, change its
address or its password, so those ask for the password again (`confirm_password`), counted by the
same sign-in limits as a sign-in (a stolen session cannot guess it faster than a stranger). The
check follows `tokens.issue`: the attempt is counted in its own short transaction, the argon2 hash
runs with no transaction open, and only then does the request's session write.
"""
from __future__ import annotations

from sqlalchemy import update
from sqlmodel import select

from app import clock, db
from app.accounts import account_mail, mail_tokens, throttle
from app.accounts.models import Account, Role, Token
from app.accounts.passwords import hash_password, verify_password
from app.audit import trail
from app.errors import InvalidInput

WRONG_PASSWORD = "The password is wrong."


def revoke_sessions(session, account_id: int, keep: int | None = None) -> int:
    """Revoke `account_id`'s live bearer tokens (all, or all but `keep`); how many."""
    tokens = Token.__table__
    statement = update(tokens).where(tokens.c.account_id == account_id, tokens.c.revoked_at.is_(None))
    if keep is not None:
        statement = statement.where(tokens.c.id != keep)
    return session.execute(statement.values(revoked_at=clock.now())).rowcount


def confirm_password(account: Account, password: str, address: str, field: str = "password") -> Account:
    """The account again (reloaded in the request's session) if `password` is its password; else 422
    on `field` (the failure is recorded and counted, as a failed sign-in is). Ends the request's
    transaction first: call it before writing anything."""
    account_id, email = account.id, account.email
    db.end_read()
    with db.own_transaction() as counting:
        refusal = throttle.admit_sign_in(counting, email, address)
        stored = counting.exec(select(Account.password_hash).where(Account.id == account_id)).first()
    if refusal:
        raise refusal
    session = db.session()
    if not verify_password(stored, password):
        throttle.record_failure(session, email)
        db.keep_on_refusal()
        raise InvalidInput(WRONG_PASSWORD, {"json": {field: [WRONG_PASSWORD]}})
    throttle.signed_in(session, email, address)
    return session.get(Account, account_id)


def change_password(account: Account, token: Token | None, current: str, new: str, address: str) -> None:
    """Set a new password once the current one is confirmed; every other session and mailed link ends
    (the one making the change, `token`, stays signed in)."""
    new_hash = hash_password(new)
    account = confirm_password(account, current, address, field="current_password")
    session = db.session()
    account.password_hash = new_hash
    session.add(account)
    revoke_sessions(session, account.id, keep=token.id if token is not None else None)
    mail_tokens.withdraw(session, account.id)
    account_mail.send_password_changed(session, account)
    if account.role != Role.CANDIDATE:
        trail.record(session, account, "account.password_change", f"account:{account.id}",
                     state_code=account.state_code)


def sign_out_everywhere(session, account: Account) -> int:
    """Revoke every session of the account, this one included; how many."""
    revoked = revoke_sessions(session, account.id)
    if account.role != Role.CANDIDATE:
        trail.record(session, account, "session.sign_out_everywhere", f"account:{account.id}",
                     state_code=account.state_code)
    return revoked
