"""E-mail to people, through the SMTP server the site's settings name (`MAIL_*`).

`send_mail(to, subject, text)` is all a caller needs. Without `MAIL_SERVER` it does nothing
and says so (it returns False); with one, it composes a plain-text message in UTF-8 and hands
it to this process's one background sender, so a request never waits on an SMTP server: a
slow or dead one costs the editor nothing, and the `MAIL_TIMEOUT` bounds how long it holds up
the messages behind it. Nothing here ever raises into a request: a message that cannot be
composed or delivered is logged (logger `bantin.mail`) and dropped, since every message is a
courtesy about something the desk also shows.

Call it after the commit that makes the news true: a message already handed over is not
taken back by a rollback.

smtplib and the e-mail package's composing modules are imported when a message is first
composed or sent: a worker serving readers imports this module (the desk's views name it)
and never sends (BENCHMARKS.md, "Lighter processes").
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message  # already imported by http.server, as is email.utils
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app

if TYPE_CHECKING:
    import smtplib

log = logging.getLogger("bantin.mail")

# Deliveries waiting for the sender; past this, new ones are dropped and logged rather than
# letting a dead server make a process's memory grow.
MAX_WAITING = 500
# Port 465 speaks TLS from the first byte (SMTPS); other ports may upgrade with STARTTLS.
SMTPS_PORT = 465
# How long a command waits at exit for messages still being handed over.
EXIT_WAIT = 15
SUBJECT_MAX = 200


@dataclass(frozen=True)
class Server:
    """Where and how to hand messages over, copied from the app's settings when queued."""

    host: str
    port: int
    username: str
    password: str
    use_tls: bool
    timeout: float


@dataclass(frozen=True)
class Delivery:
    server: Server
    messages: tuple[Message, ...]


def is_enabled() -> bool:
    """Tell whether this site sends e-mail (an SMTP server is configured)."""
    return bool(current_app.config["MAIL_SERVER"])


def send_mail(to: str | Iterable[str], subject: str, text: str) -> bool:
    """Send a plain-text message to one address or several, each its own message, in the
    background. Return whether it was handed to the sender (False: mail is off, or no
    address was usable); delivery problems are logged, never raised."""
    if not is_enabled():
        return False
    try:
        server = server_settings()
    except (TypeError, ValueError) as err:
        log.error("Mail not sent: the MAIL_* settings are not usable (%s)", err)
        return False
    addresses = [to] if isinstance(to, str) else list(to)
    messages = tuple(
        message for address in dict.fromkeys(addresses)
        if (message := compose(address, subject, text)) is not None
    )  # fmt: skip
    if not messages:
        return False
    return OUTBOX.put(Delivery(server, messages))


def server_settings() -> Server:
    config = current_app.config
    return Server(
        host=config["MAIL_SERVER"],
        port=int(config["MAIL_PORT"]),
        username=config["MAIL_USERNAME"] or "",
        password=config["MAIL_PASSWORD"] or "",
        use_tls=bool(config["MAIL_USE_TLS"]),
        timeout=float(config["MAIL_TIMEOUT"]),
    )


def sender() -> str:
    """The From address: MAIL_DEFAULT_SENDER, else the account's name, else a no-reply
    address on the site's own host."""
    config = current_app.config
    for candidate in (config["MAIL_DEFAULT_SENDER"], config["MAIL_USERNAME"]):
        if candidate and "@" in parseaddr(candidate)[1]:
            return candidate
    host = urlsplit(config["SITE_URL"]).hostname or "localhost"
    return f"no-reply@{host}"


def compose(address: str, subject: str, text: str) -> Message | None:
    """Build one message, or log and return None when the address is not one."""
    from email.header import Header  # lazy, as smtplib: see the module's docstring
    from email.headerregistry import Address
    from email.mime.text import MIMEText

    address = (address or "").strip()
    try:
        to = Address(addr_spec=address)
        if not to.domain:
            raise ValueError("no domain")
        name, from_address = parseaddr(sender())
        message = MIMEText(text, "plain", "utf-8")
        message["From"] = formataddr((name, from_address), charset="utf-8")
        message["To"] = to.addr_spec
        # email.header.Header, not EmailMessage: the newer API, folding a long Vietnamese
        # subject into several encoded words, drops the space where it splits (Python 3.11).
        message["Subject"] = Header(" ".join(subject.split())[:SUBJECT_MAX], "utf-8")
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or None)
        # RFC 3834: out-of-office robots must not answer a notice.
        message["Auto-Submitted"] = "auto-generated"
    # IndexError: the standard library's address parser raises it on some broken addresses.
    except (ValueError, TypeError, IndexError) as err:
        log.warning("Mail to %r not sent: not a usable address (%s)", address, err)
        return None
    return message


def deliver(delivery: Delivery) -> None:
    """Hand the messages to the SMTP server over one connection; log what fails."""
    import smtplib  # lazy: see the module's docstring

    server = delivery.server
    try:
        with connect(server) as smtp:
            for message in delivery.messages:
                hand_over(smtp, message)
    except (OSError, smtplib.SMTPException) as err:
        names = ", ".join(str(message["To"]) for message in delivery.messages)
        log.error("Mail to %s not sent: %s:%s answered %r", names, server.host, server.port, err)


def connect(server: Server) -> smtplib.SMTP:
    """Open a connection, encrypted as the settings say, signed in when they name an account."""
    import smtplib  # lazy: see the module's docstring
    import ssl

    smtps = server.port == SMTPS_PORT
    if smtps:
        smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout,
                                context=ssl.create_default_context())  # fmt: skip
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    try:
        if server.use_tls and not smtps:
            smtp.starttls(context=ssl.create_default_context())
        if server.username:
            smtp.login(server.username, server.password)
    except BaseException:
        smtp.close()  # refused TLS or password: the connection is not handed back
        raise
    return smtp


def hand_over(smtp: smtplib.SMTP, message: Message) -> None:
    """Send one message; a refused recipient does not stop the others."""
    import smtplib  # lazy: see the module's docstring

    try:
        smtp.send_message(message)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as err:
        log.error("Mail to %s refused: %r", message["To"], err)
    else:
        log.info("Mail to %s sent: %s", message["To"], message["Subject"])


class Outbox:
    """One background sender per process, fed by a bounded queue.

    A thread rather than sending after the response: a worker that sent after each response
    would still be busy (up to the timeout) while readers wait for it. Started on the first
    message, and again in a child process after a fork (threads do not survive one); at exit
    the process waits a little for what is still queued, so a `flask` command's mail leaves.
    """

    def __init__(self) -> None:
        self.hooked = False
        self.reset()

    def reset(self) -> None:
        """Start afresh: a new queue and no sender (also in a child after a fork, whose copy
        of the parent's locks may be held by a thread that no longer exists)."""
        self.queue: queue.Queue[Delivery] = queue.Queue(MAX_WAITING)
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def put(self, delivery: Delivery) -> bool:
        self.start()
        try:
            self.queue.put_nowait(delivery)
        except queue.Full:
            log.error("Mail not sent: %d messages already wait for the server", MAX_WAITING)
            return False
        return True

    def start(self) -> None:
        with self.lock:
            if not self.hooked:
                self.hooked = True
                atexit.register(self.wait, EXIT_WAIT)
                if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
                    os.register_at_fork(after_in_child=self.reset)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="bantin-mail", daemon=True)
                self.thread.start()

    def run(self) -> None:
        while True:
            delivery = self.queue.get()
            try:
                deliver(delivery)
            except Exception:  # the sender must outlive any one bad message: log it, go on
                log.exception("Mail not sent: unexpected error")
            finally:
                self.queue.task_done()

    def wait(self, timeout: float) -> bool:
        """Wait until every queued message was handed over or given up; False on timeout."""
        deadline = time.monotonic() + timeout
        done = self.queue.all_tasks_done
        with done:
            while self.queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                done.wait(remaining)
        return True


OUTBOX = Outbox()
