"""A department's relay usually wants TLS and a login: the connection checks the relay's
certificate (against the system's CAs or SMTP_CA_FILE) and logs in when SMTP_USERNAME is set.
A relay whose certificate cannot be checked gets no mail: it waits in the outbox with the error."""

import datetime
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlmodel import select

from assessor.notifications import OutboxMail, notify
from tests.web.test_mail_outbox import Inbox, _free_port


def _self_signed(folder):
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试邮件中继")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class Logins:
    def __init__(self):
        self.seen = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.seen.append((auth_data.login, auth_data.password))
        if auth_data.password == b"relay-secret":
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False,
                          message="535 5.7.8 Authentication credentials invalid")


@pytest.fixture
def relay(app, tmp_path):
    controllers = []

    def start(**options):
        inbox, logins, port = Inbox(), Logins(), _free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=logins,
                                **options)
        controller.start()
        controllers.append(controller)
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
        return inbox, logins

    yield start
    for controller in controllers:
        controller.stop()


def _send(dbs, people):
    notify(dbs, [people["city_officer"]], zh="经中继发送的通知", en="sent through the relay")
    dbs.commit()
    return dbs.exec(select(OutboxMail)).one()


def test_mail_goes_through_starttls_to_a_relay_with_the_departments_ca_and_a_login(
        app, dbs, people, relay, tmp_path):
    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    inbox, logins = relay(tls_context=context, require_starttls=True)
    app.config.update(SMTP_SECURITY="starttls", SMTP_CA_FILE=str(cert_file),
                      SMTP_USERNAME="assessor", SMTP_PASSWORD="relay-secret")
    sent = _send(dbs, people)
    assert sent.state == "sent"
    assert [m.rcpt_tos for m in inbox.messages] == [[people["city_officer"].email]]
    assert logins.seen == [(b"assessor", b"relay-secret")]


def test_a_relay_whose_certificate_cannot_be_checked_gets_no_mail(app, dbs, people, relay,
                                                                 tmp_path):
    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    inbox, _ = relay(tls_context=context, require_starttls=True)
    app.config.update(SMTP_SECURITY="starttls")  # the system's CAs do not know this relay
    waiting = _send(dbs, people)
    assert inbox.messages == []
    assert waiting.state == "pending" and "CERTIFICATE_VERIFY_FAILED" in waiting.last_error


def test_a_wrong_password_keeps_the_mail_for_another_try(app, dbs, people, relay):
    inbox, logins = relay(auth_require_tls=False, auth_exclude_mechanism=["LOGIN"])
    app.config.update(SMTP_USERNAME="assessor", SMTP_PASSWORD="wrong")
    waiting = _send(dbs, people)
    assert inbox.messages == [] and logins.seen == [(b"assessor", b"wrong")]
    assert waiting.state == "pending" and "SMTPAuthenticationError" in waiting.last_error
