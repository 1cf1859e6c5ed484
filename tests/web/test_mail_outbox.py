"""Mail goes through an outbox: written in the transaction of the change it reports, sent only
after that commits (by the worker when a queue is configured), never while a transaction holds a
lock, and kept with its error for another try when the mail server fails."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from rq import SimpleWorker
from sqlalchemy import create_engine, text
from sqlmodel import select

from assessor.applications import services
from assessor.applications.lifecycle import transition
from assessor.notifications import OutboxMail, notify
from tests.conftest import factory_submission
from tests.fixtures import SIGNED, TODAY


class Inbox:
    def __init__(self, delay: float = 0.0, during=None):
        self.messages, self.delay, self.during, self.seen_during = [], delay, during, []

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        if self.during is not None:  # what another process could do while this mail is sent
            self.seen_during.append(self.during())
        time.sleep(self.delay)  # a slow mail server
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(app):
    servers = []

    def start(inbox: Inbox) -> Inbox:
        port = _free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
        return inbox

    yield start
    for controller in servers:
        controller.stop()


def _submitted(dbs, engine, people, factory_round):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)
    transition(dbs, engine, application, "submit", people["applicant"], commitment=SIGNED, today=TODAY)
    return application


def test_mail_is_sent_after_the_commit_and_not_at_all_after_a_rollback(app, dbs, people,
                                                                      mail_server):
    inbox = mail_server(Inbox())
    notify(dbs, [people["city_officer"]], zh="回滚的通知", en="rolled back")
    dbs.flush()  # written, as a service's later step would
    assert inbox.messages == []  # nothing before the commit
    dbs.rollback()
    assert inbox.messages == [] and dbs.exec(select(OutboxMail)).all() == []
    notify(dbs, [people["city_officer"]], zh="提交的通知", en="committed")
    dbs.commit()
    assert [m.rcpt_tos for m in inbox.messages] == [[people["city_officer"].email]]
    sent = dbs.exec(select(OutboxMail)).one()
    assert (sent.state, sent.attempts, sent.recipient) == ("sent", 1, people["city_officer"].email)


def test_a_failing_service_sends_nothing(app, dbs, engine, people, factory_round, mail_server):
    inbox = mail_server(Inbox())
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)
    with pytest.raises(RuntimeError):
        transition(dbs, engine, application, "submit", people["applicant"], commitment=SIGNED, today=TODAY,
                   commit=False)  # notified inside the transaction …
        raise RuntimeError("… which then fails before its commit")
    dbs.rollback()
    dbs.commit()
    assert inbox.messages == [] and dbs.exec(select(OutboxMail)).all() == []


def test_a_slow_mail_server_holds_no_database_lock(app, dbs, engine, people, factory_round,
                                                   mail_server):
    url = app.config["DATABASE_URL"]
    other = create_engine(url, connect_args={"timeout": 1} if url.startswith("sqlite") else {})

    def write_meanwhile() -> bool:
        """Another process changes the very row the mailed change wrote, with a short wait."""
        try:
            with other.begin() as connection:
                if other.dialect.name == "postgresql":
                    connection.execute(text("SET LOCAL lock_timeout = '1s'"))
                connection.execute(text("UPDATE application SET updated_at = updated_at"))
            return True
        except Exception:
            return False

    inbox = mail_server(Inbox(delay=1.5, during=write_meanwhile))
    started = time.monotonic()
    _submitted(dbs, engine, people, factory_round)
    assert len(inbox.messages) == 1 and time.monotonic() - started >= 1.5
    assert inbox.seen_during == [True]
    other.dispose()


def test_a_failed_mail_stays_in_the_outbox_and_is_sent_on_the_next_try(
        app, dbs, engine, people, factory_round, mail_server, runner):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port())  # nothing listens there
    application = _submitted(dbs, engine, people, factory_round)
    assert application.state == "submitted"  # the change stands
    waiting = dbs.exec(select(OutboxMail)).one()
    assert (waiting.state, waiting.attempts) == ("pending", 1) and waiting.last_error
    status = runner.invoke(args=["mail", "status"])
    assert "pending 1" in status.output and waiting.recipient in status.output
    retry = runner.invoke(args=["mail", "send"])  # not due yet: it waits a minute
    assert "sent 0" in retry.output
    inbox = mail_server(Inbox())
    retry = runner.invoke(args=["mail", "send", "--now"])
    assert retry.exit_code == 0 and "sent 1" in retry.output
    assert [m.rcpt_tos for m in inbox.messages] == [[people["city_officer"].email]]
    assert "sent 1" in runner.invoke(args=["mail", "status"]).output


def test_with_a_queue_the_worker_sends_after_the_commit(app, dbs, engine, people, factory_round,
                                                        mail_server, test_queue):
    inbox = mail_server(Inbox())
    _submitted(dbs, engine, people, factory_round)
    assert inbox.messages == [] and test_queue.count == 1  # the request did not send it
    SimpleWorker([test_queue], connection=test_queue.connection).work(burst=True)
    assert [m.rcpt_tos for m in inbox.messages] == [[people["city_officer"].email]]
    assert dbs.exec(select(OutboxMail.state)).all() == ["sent"]


def test_a_queue_that_cannot_be_reached_leaves_the_mail_for_a_retry(
        app, dbs, engine, people, factory_round, mail_server, runner):
    inbox = mail_server(Inbox())
    app.config.update(QUEUE_URL="redis://127.0.0.1:1/0", QUEUE_NAME="nowhere")
    application = _submitted(dbs, engine, people, factory_round)
    assert application.state == "submitted" and inbox.messages == []
    assert dbs.exec(select(OutboxMail.state)).all() == ["pending"]
    app.config.update(QUEUE_URL="")
    assert "sent 1" in runner.invoke(args=["mail", "send"]).output
    assert len(inbox.messages) == 1

