"""A real SMTP server for tests (aiosmtpd on a free local port) that keeps what it receives.

The `inbox` fixture (tests/conftest.py) starts one and points the test's app at it; messages
arrive through the site's own background sender (`mail.OUTBOX`), as in production.
"""

import importlib.util
import logging
import socket
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from importlib.metadata import distribution

import mail


def import_aiosmtpd():
    """Import aiosmtpd, which imports its dependency atpublic under the name `public`: the
    name of Bantin's readers' module. During the import only, `public` is atpublic."""
    folder = distribution("atpublic").locate_file("public")
    spec = importlib.util.spec_from_file_location(
        "public", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    ours = sys.modules.get("public")
    sys.modules["public"] = atpublic = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult
    finally:
        if ours is None:
            del sys.modules["public"]
        else:
            sys.modules["public"] = ours
    return Controller, AuthResult


Controller, AuthResult = import_aiosmtpd()
# aiosmtpd logs every connection at INFO; its warnings are enough in a failed test's output.
logging.getLogger("mail.log").setLevel(logging.WARNING)

USERNAME = "bantin@hoason.example"
PASSWORD = "mat-khau-hop-thu"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An SMTP server that accepts mail for anyone and keeps it; it checks an account's
    password when the client signs in (`with_account`: the site is set to sign in)."""

    def __init__(self, with_account: bool = False):
        self.received: list[EmailMessage] = []
        self.logins: list[tuple[str, str]] = []
        self.with_account = with_account
        # AUTH offered without TLS (127.0.0.1 only); a wrong password gets a 535 from it.
        options = {"authenticator": self.authenticate, "auth_require_tls": False}
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port(), **options)

    def start(self) -> "Inbox":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    async def handle_DATA(self, server, session, envelope):
        self.received.append(BytesParser(policy=policy.default).parsebytes(envelope.content))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == (USERNAME, PASSWORD), handled=False)

    def settings(self) -> dict:
        """The MAIL_* settings of a site that sends through this server."""
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.controller.port,
            "MAIL_USE_TLS": False,
            "MAIL_USERNAME": USERNAME if self.with_account else "",
            "MAIL_PASSWORD": PASSWORD if self.with_account else "",
            "MAIL_DEFAULT_SENDER": "UBND xã Hòa Sơn <no-reply@hoason.example>",
        }

    def messages(self, timeout: float = 10) -> list[EmailMessage]:
        """Everything received once the site's sender has handed over what it queued."""
        assert mail.OUTBOX.wait(timeout), "the site's mail sender did not finish"
        return list(self.received)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages() if m["To"].addresses[0].addr_spec == address]
