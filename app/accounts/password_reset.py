"""A forgotten password: a single-use link that expires, mailed to the address, and a new password.

Asking answers the same whether or not the address is registered (only a registered one gets a
mail), and is throttled per address (`throttle.admit_account_mail`) so nobody can flood an inbox.
The link's token is stored hashed (`mail_tokens`) and lasts `PASSWORD_RESET_TTL_MINUTES`.
Setting the new password revokes every session and every other mailed link of the account: whoever
knew the old password is out. Following the link also proves the address, so it counts as verified.
"""
from __future__ import annotations

from sqlmodel import select

from app import clock, db
from app.accounts import account_mail, credentials, mail_tokens, throttle
from app.accounts.models import Account, MailTokenPurpose
from app.accounts.passwords import hash_password
from app.accounts.registration import normalise_email


def request_reset(email: str) -> None:
    """Mail a reset link to `email` if an account has it; the caller answers the same either way."""
    email = normalise_email(email)
    with db.own_transaction() as counting:
        refusal = throttle.admit_account_mail(counting, email)
    if refusal:
        raise refusal
    session = db.session()
    account = session.exec(select(Account).where(Account.email == email, Account.erased_at.is_(None))).first()
    if account is not None:
        account_mail.send_reset(session, account)


def complete_reset(raw_token: str, new_password: str) -> Account:
    """Set the new password with the mailed token; hashed before the request's transaction opens."""
    password_hash = hash_password(new_password)
    session = db.session()
    token = mail_tokens.redeem(session, raw_token, MailTokenPurpose.RESET)
    account = session.get(Account, token.account_id)
    account.password_hash = password_hash
    if account.email == token.email and account.email_verified_at is None:
        account.email_verified_at = clock.now()
    session.add(account)
    credentials.revoke_sessions(session, account.id)
    mail_tokens.withdraw(session, account.id)
    account_mail.send_password_changed(session, account)
    return account
