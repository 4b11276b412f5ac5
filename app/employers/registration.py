"""An organisation registers with its first person's account; that person adds colleagues.

Registering reuses the candidates' registration (`accounts.registration`): the same throttle, the
password hashed before the transaction opens, the same 202 whether or not the e-mail address was
known (a known address's owner is told someone tried, and no employer is created), and the same
verification link (`accounts.verification`), mailed with the employer's own words. The employer
is `pending` until an official of its state verifies it (`control.verify`).

A registration number already registered in that state is a 409 before the address is looked
at, so the answer says nothing about the address; which organisations are registered is public
(candidates see employers' names).

A colleague is a new account of role `employer` under the same employer, without a password: the
mailed invitation is a single-use link (a password-reset token, `accounts.mail_tokens`) to choose
one, and following it proves the address (`accounts.password_reset.complete_reset`).
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlmodel import Session, select

from app import clock, db
from app.accounts import account_mail, language, mail_tokens, registration
from app.accounts.models import Account, MailTokenPurpose, Role
from app.audit import trail
from app.employers.models import Employer, EmployerMember, EmployerStatus
from app.errors import Conflict, Forbidden
from app.notifications import outbox

INVITATION_TTL = timedelta(days=7)
VERIFY_PAGE = "/employer/verify"
INVITATION_PAGE = "/employer/invitation"
ALREADY = "An employer with this registration number is registered in {state} already; ask its people to add you."
NOT_VERIFIED = "Your organisation can add colleagues once its member state has verified it, and not while it is suspended."


def new_reference() -> str:
    return secrets.token_hex(8)


def register(organisation: dict, email: str, password: str, address: str) -> Employer | None:
    """Register `organisation` (name, state, registration_number, contact_name, address) with its
    first person's account; None when `email` was registered already (its owner was told)."""
    password_hash = registration.admit_and_hash(password, address)
    session = db.session()
    number = organisation["registration_number"].strip()
    if session.exec(select(Employer.id).where(Employer.state_code == organisation["state"],
                                              Employer.registration_number == number)).first() is not None:
        raise Conflict(ALREADY.format(state=organisation["state"]),
                       {"json": {"registration_number": ["Already registered."]}})
    account = registration.open_account(email, password_hash, Role.EMPLOYER)
    if account is None:
        return None
    now = clock.now()
    employer = Employer(reference=new_reference(), name=organisation["name"].strip(), state_code=organisation["state"],
                        registration_number=number, contact_name=organisation["contact_name"].strip(),
                        address=organisation["address"].strip(), status=EmployerStatus.PENDING.value, created_at=now)
    db.add_or_conflict(session, employer, Conflict(ALREADY.format(state=organisation["state"]),
                                                   {"json": {"registration_number": ["Already registered."]}}))
    session.add(EmployerMember(account_id=account.id, employer_id=employer.id, added_at=now))
    account_mail.send_verification(session, account, account.email, kind="employer_verify", page=VERIFY_PAGE)
    trail.record(session, account, "employer.register", f"employer:{employer.reference}",
                 state_code=employer.state_code, details={"name": employer.name})
    return employer


def invite(session: Session, actor: Account, employer: Employer, email: str) -> None:
    """Add a colleague to `employer` and mail them a link to choose their password; the same outcome
    for the caller when the address is registered already (its owner is told instead)."""
    if employer.status != EmployerStatus.VERIFIED:
        raise Forbidden(NOT_VERIFIED)
    try:
        colleague = language.remember(registration.create(session, email, None, Role.EMPLOYER))
    except Conflict:
        owner = session.exec(select(Account).where(Account.email == registration.normalise_email(email))).one()
        account_mail.send_already_registered(session, owner)
        return
    session.add(EmployerMember(account_id=colleague.id, employer_id=employer.id, added_at=clock.now()))
    raw = mail_tokens.issue(session, colleague, MailTokenPurpose.RESET, colleague.email, INVITATION_TTL)
    outbox.enqueue(session, kind="employer_invitation", recipient=colleague.email,
                   language=account_mail.request_language(), account_id=colleague.id,
                   context={"link": account_mail.link(INVITATION_PAGE, raw), "employer": employer.name,
                            "days": INVITATION_TTL.days})
    trail.record(session, actor, "employer.member_invite", f"employer:{employer.reference}",
                 state_code=employer.state_code, details={"account": colleague.reference})
