"""The sender over TLS for real: STARTTLS and implicit TLS to an aiosmtpd server with a certificate from a
throwaway authority (trustme), with AUTH over TLS; a wrong password and a certificate the client must refuse."""
from __future__ import annotations

import logging
import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlmodel import select

from app import create_app, db
from app.notifications import delivery, outbox
from app.notifications.models import MessageStatus, OutboxMessage
from conftest import TEST_SETTINGS, free_port
from service.smtp_capture import CapturingHandler

# Implicit TLS: aiosmtpd's auth_require_tls knows only STARTTLS, so it warns; the authenticator checks TLS.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
USER, PASSWORD = "pool-sender", "correct horse battery staple"


def authenticator(server, _session, _envelope, mechanism, auth_data):
    """aiosmtpd's authenticator: one account, and only over TLS (the transport's SSL object, there
    under STARTTLS and implicit TLS alike); LOGIN and PLAIN both give a LoginPassword."""
    over_tls = server.transport.get_extra_info("ssl_object") is not None
    ok = over_tls and mechanism in ("LOGIN", "PLAIN") and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


class TlsServer:
    """aiosmtpd with a certificate for `identity` signed by `authority`; STARTTLS or implicit TLS; AUTH required."""

    def __init__(self, authority: trustme.CA, security: str, identity: str = "127.0.0.1"):
        self.security, self.port = security, free_port()
        self.handler = CapturingHandler()
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert(identity).configure_cert(server_context)
        smtp_options = dict(authenticator=authenticator, auth_required=True)
        if security == "tls":
            # aiosmtpd's auth_require_tls knows only STARTTLS; the authenticator checks TLS itself.
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                         ssl_context=server_context, auth_require_tls=False, **smtp_options)
        else:
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                         tls_context=server_context, require_starttls=True, auth_require_tls=True,
                                         **smtp_options)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *_exc):
        self.controller.stop()


@pytest.fixture(scope="module")
def authority():
    return trustme.CA()


@pytest.fixture
def ca_file(authority, tmp_path):
    path = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


def app_for(database_url, server: TlsServer, ca_file: str | None, password: str = PASSWORD):
    return create_app({**TEST_SETTINGS, "DATABASE_URL": database_url, "MAIL_HOST": "127.0.0.1",
                       "MAIL_PORT": server.port, "MAIL_SECURITY": server.security, "MAIL_USERNAME": USER,
                       "MAIL_PASSWORD": password, "MAIL_CA_FILE": ca_file, "MAIL_TIMEOUT_SECONDS": 10,
                       "MAIL_FROM": "Talent Pool <pool@example.eu>", "MAIL_MAX_ATTEMPTS": 2,
                       "MAIL_RETRY_FIRST_SECONDS": 60})


def enqueue(app, count=1):
    with app.app_context(), db.unit_of_work() as session:
        return [outbox.enqueue(session, kind="test_message", recipient=f"ana{i}@example.org", language="de").id
                for i in range(count)]


def stored(app):
    with app.app_context(), db.unit_of_work() as session:
        return {row.id: (row.status, row.attempts, row.last_error) for row in session.exec(select(OutboxMessage))}


def send(app):
    with app.app_context():
        return delivery.send_due()


@pytest.fixture(params=["starttls", "tls"])
def security(request):
    return request.param


def test_delivered_over_tls_with_auth(database_url, authority, ca_file, security):
    with TlsServer(authority, security) as server:
        app = app_for(database_url, server, ca_file)
        ids = enqueue(app, 2)
        outcome = send(app)
        assert (outcome.sent, outcome.retried, outcome.dead) == (2, 0, [])
        assert sorted(m["To"] for m in server.handler.messages) == ["ana0@example.org", "ana1@example.org"]
        assert all(status == MessageStatus.SENT for status, _, _ in stored(app).values())
        assert set(stored(app)) == set(ids)
        app.extensions["talentpool.engine"].dispose()


def test_a_wrong_password_is_a_retry_that_names_the_cause_and_stops_the_run(database_url, authority, ca_file,
                                                                           security, frozen_clock, caplog):
    with TlsServer(authority, security) as server:
        app = app_for(database_url, server, ca_file, password="wrong")
        first, second = enqueue(app, 2)
        with caplog.at_level(logging.WARNING, "talentpool.mail"):
            outcome = send(app)
        assert (outcome.sent, outcome.retried, outcome.dead) == (0, 1, [])
        rows = stored(app)
        assert rows[first][:2] == (MessageStatus.PENDING, 1)
        assert "refused the credentials of 'pool-sender'" in rows[first][2] and "535" in rows[first][2]
        assert rows[second][:2] == (MessageStatus.PENDING, 0)  # the run stopped: no try spent on it
        assert "stopping this run" in caplog.text
        frozen_clock.advance(seconds=61)
        assert send(app).retried == 1 and stored(app)[second][:2] == (MessageStatus.PENDING, 1)  # the oldest due
        assert send(app).dead == [first]  # its last try (MAIL_MAX_ATTEMPTS = 2): a dead letter
        assert stored(app)[first][0] == MessageStatus.DEAD and server.handler.messages == []
        app.extensions["talentpool.engine"].dispose()


@pytest.mark.parametrize("refusal", ["unknown authority", "wrong host name"])
def test_a_certificate_the_client_must_refuse_delivers_nothing(database_url, authority, ca_file, security, refusal):
    if refusal == "unknown authority":
        server_ca, client_ca, identity = trustme.CA(), ca_file, "127.0.0.1"
    else:
        server_ca, client_ca, identity = authority, ca_file, "mail.example.org"
    with TlsServer(server_ca, security, identity=identity) as server:
        app = app_for(database_url, server, client_ca)
        [message_id] = enqueue(app)
        outcome = send(app)
        assert (outcome.sent, outcome.retried) == (0, 1) and server.handler.messages == []
        status, attempts, error = stored(app)[message_id]
        assert (status, attempts) == (MessageStatus.PENDING, 1)
        assert "certificate of 127.0.0.1" in error and "was refused" in error
        assert ("unable to get local issuer" if refusal == "unknown authority" else "mismatch") in error.lower()
        app.extensions["talentpool.engine"].dispose()


def test_without_the_ca_file_the_system_authorities_refuse_a_private_certificate(database_url, authority):
    with TlsServer(authority, "starttls") as server:
        app = app_for(database_url, server, None)
        [message_id] = enqueue(app)
        assert send(app).sent == 0 and server.handler.messages == []
        assert "was refused" in stored(app)[message_id][2]
        app.extensions["talentpool.engine"].dispose()
