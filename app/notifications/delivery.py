"""Delivering the outbox over SMTP: at most once per message, retried with back-off, dead after the last try.

Each message goes through three steps, each its own unit of work or none:
1. **claim**: one committed UPDATE moves it from `pending` to `sending` (attempts + 1), so no other
   sender (a second scheduler, an operator's `flask mail send`) can take it;
2. **hand it to the SMTP server**, with no transaction open (a slow server holds no database lock);
3. **mark** it `sent`; or, when the server refused it (4xx or 5xx) or could not be reached,
   `pending` again after a doubling wait (`MAIL_RETRY_FIRST_SECONDS`), or `dead` after
   `MAIL_MAX_ATTEMPTS` tries (logged as an error).

A crash between 1 and 3 leaves the message `sending`, and nobody can know whether the server took
it: it may have queued the message and the process died before reading its "250". Sending it
again could deliver it twice, so it is *not* resent: while a message is `sending` its
`next_attempt_at` is when its claim lapses (`MAIL_SENDING_LEASE_SECONDS` after it), and a sender
that finds a lapsed claim moves the message to `dead` with `last_error` saying it was interrupted,
and logs it. At most once, never silently lost: an operator who has looked for its Message-ID
(stable, built from the message's id) in the mail server's log can requeue it with
`flask mail retry ID`.

A failure to open the connection (the server unreachable, its certificate refused, the
credentials refused) is the server's, not the message's: the message tried is marked like any
failure, and the run stops there (`ConnectionFailed`), so a wrong password or an expired
certificate costs one try of one message per run, not a try of every message in the batch.
TLS always verifies the server's certificate and host name (against `MAIL_CA_FILE` if set,
otherwise the system's authorities).
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from sqlalchemy import select, update
from sqlmodel import Session

from app import clock, db
from app.config import setting
from app.notifications.models import MessageStatus, OutboxMessage

log = logging.getLogger("talentpool.mail")
TABLE = OutboxMessage.__table__
ERROR_LENGTH = TABLE.c.last_error.type.length
INTERRUPTED = "interrupted during delivery: the server may or may not have it; not resent (flask mail retry)"


@dataclass
class Delivery:
    """What one run of the sender did."""

    sent: int = 0
    retried: int = 0
    dead: list[int] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.sent} sent, {self.retried} to retry, {len(self.dead)} dead, "
                f"{len(self.interrupted)} interrupted by an earlier crash")


def message_id(message: OutboxMessage, sender: str) -> str:
    """A Message-ID that is the same every time this message is sent (a receiver can spot a resend)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "talentpool.invalid"
    return f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def compose(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as MIME: plain text, with the HTML as its alternative."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = message_id(message, sender)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text_body)
    mail.add_alternative(message.html_body, subtype="html")
    mail["Content-Language"] = message.language  # after the content: set_content drops Content-* headers
    return mail


class ConnectionFailed(smtplib.SMTPException):
    """The connection to the mail server could not be opened: nothing more can be sent this run."""


class SmtpTransport:
    """One SMTP connection, opened on first use and again after a failure, with TLS as configured."""

    def __init__(self, config):
        self.host, self.port = config["MAIL_HOST"], int(config["MAIL_PORT"])
        self.security = config["MAIL_SECURITY"]
        self.username, self.password = config["MAIL_USERNAME"], config["MAIL_PASSWORD"]
        self.timeout = float(config["MAIL_TIMEOUT_SECONDS"])
        self.ca_file = config.get("MAIL_CA_FILE")
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        """A connection with TLS and login done; ConnectionFailed naming the server and the step otherwise."""
        if not self.host:
            raise ConnectionFailed("MAIL_HOST is not set")
        try:
            return self._open()
        except smtplib.SMTPAuthenticationError as error:
            raise ConnectionFailed(f"{self.host}:{self.port} refused the credentials of {self.username!r} "
                                   f"({error.smtp_code} {error.smtp_error.decode(errors='replace')})") from error
        except ssl.SSLCertVerificationError as error:
            raise ConnectionFailed(f"the certificate of {self.host}:{self.port} was refused "
                                   f"({error.verify_message})") from error
        except (smtplib.SMTPException, OSError) as error:
            raise ConnectionFailed(f"could not connect to {self.host}:{self.port} ({self.security}): "
                                   f"{type(error).__name__}: {error}") from error

    def _open(self) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.security == "tls":
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.security == "starttls":  # a server that offers no STARTTLS is refused, never used in clear
                connection.starttls(context=context)
            if self.username:
                connection.login(self.username, self.password or "")
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, mail: EmailMessage) -> None:
        """Hand `mail` over; any refusal raises (smtplib.SMTPException or OSError) and drops the connection."""
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(mail)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


def abandon_interrupted(session: Session, now: datetime) -> list[int]:
    """Move messages whose `sending` claim lapsed to `dead` (see the module's docstring); their ids."""
    rows = session.execute(update(TABLE).where(TABLE.c.status == MessageStatus.SENDING.value,
                                               TABLE.c.next_attempt_at <= now)
                           .values(status=MessageStatus.DEAD.value, last_error=INTERRUPTED)
                           .returning(TABLE.c.id)).scalars().all()
    return sorted(rows)


def claim(session: Session, now: datetime, lease: timedelta) -> OutboxMessage | None:
    """Take the oldest due pending message: `sending`, attempts + 1, its claim lapsing at now + lease.

    The UPDATE re-checks `status = 'pending'`, so of two senders racing for one message one gets it
    (PostgreSQL re-evaluates the condition after the other's commit; SQLite's write transactions
    are serial). SKIP LOCKED lets a second sender on PostgreSQL take the next message instead of waiting.
    """
    due = (select(TABLE.c.id).where(TABLE.c.status == MessageStatus.PENDING.value, TABLE.c.next_attempt_at <= now)
           .order_by(TABLE.c.next_attempt_at, TABLE.c.id).limit(1).with_for_update(skip_locked=True))
    message_id_ = session.execute(due).scalar_one_or_none()
    if message_id_ is None:
        return None
    taken = session.execute(update(TABLE).where(TABLE.c.id == message_id_, TABLE.c.status == MessageStatus.PENDING.value)
                            .values(status=MessageStatus.SENDING.value, attempts=TABLE.c.attempts + 1,
                                    next_attempt_at=now + lease).returning(TABLE.c.id)).scalar_one_or_none()
    return None if taken is None else session.get(OutboxMessage, taken)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: the first delay, doubling."""
    return timedelta(seconds=float(setting("MAIL_RETRY_FIRST_SECONDS")) * 2 ** (attempts - 1))


def _still_mine(message_id_: int):
    return (TABLE.c.id == message_id_) & (TABLE.c.status == MessageStatus.SENDING.value)


def mark_sent(session: Session, message_id_: int, now: datetime) -> None:
    session.execute(update(TABLE).where(_still_mine(message_id_))
                    .values(status=MessageStatus.SENT.value, sent_at=now, last_error=None))


def mark_failed(session: Session, message: OutboxMessage, error: BaseException, now: datetime) -> bool:
    """Back to `pending` after the back-off, or `dead` after the last try; whether it is dead."""
    text = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    dead = message.attempts >= int(setting("MAIL_MAX_ATTEMPTS"))
    values = ({"status": MessageStatus.DEAD.value} if dead else
              {"status": MessageStatus.PENDING.value, "next_attempt_at": now + retry_delay(message.attempts)})
    session.execute(update(TABLE).where(_still_mine(message.id)).values(last_error=text, **values))
    return dead


def send_due(transport: SmtpTransport | None = None, limit: int | None = None) -> Delivery:
    """Deliver due messages, one claim at a time, at most `limit` (`MAIL_BATCH`); in an app context.

    One claim at a time, not a batch: a crash then leaves at most one message in doubt.
    """
    from_ = setting("MAIL_FROM")
    lease = timedelta(seconds=float(setting("MAIL_SENDING_LEASE_SECONDS")))
    limit = int(setting("MAIL_BATCH")) if limit is None else limit
    transport = transport or SmtpTransport(current_app.config)
    outcome = Delivery()
    with db.unit_of_work() as session:
        outcome.interrupted = abandon_interrupted(session, clock.now())
    for message_id_ in outcome.interrupted:
        log.error("message %s was interrupted during delivery by a crash; dead, not resent", message_id_)
    try:
        for _ in range(limit):
            with db.unit_of_work() as session:
                message = claim(session, clock.now(), lease)
                mail = None if message is None else compose(message, from_)
            if message is None:
                break
            try:
                transport.send(mail)
            except (smtplib.SMTPException, OSError) as error:
                with db.unit_of_work() as session:
                    dead = mark_failed(session, message, error, clock.now())
                stop = isinstance(error, ConnectionFailed)
                if dead:
                    outcome.dead.append(message.id)
                    log.error("message %s (%s) is dead after %s tries: %s", message.id, message.kind,
                              message.attempts, error)
                else:
                    outcome.retried += 1
                    log.warning("message %s (%s) not delivered (try %s): %s", message.id, message.kind,
                                message.attempts, error)
                if stop:
                    log.error("mail server unavailable, stopping this run: %s", error)
                    break
            else:
                with db.unit_of_work() as session:
                    mark_sent(session, message.id, clock.now())
                outcome.sent += 1
    finally:
        transport.close()
    return outcome


def requeue(session: Session, message_id_: int) -> bool:
    """Put a dead message back to `pending` with a fresh count of tries (`flask mail retry`)."""
    return session.execute(update(TABLE).where(TABLE.c.id == message_id_, TABLE.c.status == MessageStatus.DEAD.value)
                           .values(status=MessageStatus.PENDING.value, attempts=0, next_attempt_at=clock.now())
                           ).rowcount == 1
