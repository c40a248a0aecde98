"""A real SMTP server on loopback (aiosmtpd) that records what it accepted and can be told
to answer 451 for a while, refuse some recipients with 550, answer slowly, refuse
connections, run a hook (such as killing a worker) while a message is being transmitted or
once it is accepted, or lose its answer to an accepted message: by closing the connection
before the 250, or sending the 250 only after the client has given up (RFC 1047)."""

import asyncio
import email
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Accepted:
    recipient: str
    message_id: str
    subject: str
    body: str
    attachments: list[tuple[str, str, bytes]]
    peer: tuple = ()  # the client's address and port: one per SMTP connection


@dataclass
class SinkBehaviour:
    temporary_failure_until: float = 0.0
    refused: set[str] = field(default_factory=set)
    on_data: Callable[[int], bool] | None = None  # returns True to drop the message
    reply_delay: float = 0.0  # seconds before answering a message's end (a slow relay)
    # Called with (the message's number, its recipients) once it is accepted: "drop" to
    # close the connection instead of answering, "late" to answer after ``late_by`` s.
    lose_reply: Callable[[int, list[str]], str | None] | None = None
    late_by: float = 0.0
    after_accept: Callable[[int], None] | None = None  # runs before the 250 is sent


class Handler:
    def __init__(self, behaviour: SinkBehaviour):
        self.behaviour = behaviour
        self.accepted: list[Accepted] = []
        self.data_seen = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.behaviour.refused:
            return "550 5.1.1 Mailbox unavailable: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_seen += 1
            seen = self.data_seen
        if time.monotonic() < self.behaviour.temporary_failure_until:
            return "451 4.3.0 Temporary local problem, try again later"
        if self.behaviour.reply_delay:
            await asyncio.sleep(self.behaviour.reply_delay)
        if self.behaviour.on_data is not None and self.behaviour.on_data(seen):
            return "451 4.3.0 Connection lost while the message was transmitted"
        message = email.message_from_bytes(envelope.content)
        body, attachments = "", []
        for part in message.walk():
            if part.get_content_maintype() == "multipart":
                continue
            if part.get_filename():
                attachments.append(
                    (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
                )
            elif part.get_content_type() == "text/plain":
                body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.accepted.append(
                    Accepted(
                        recipient=recipient.lower(),
                        message_id=message["Message-ID"],
                        subject=str(message["Subject"]),
                        body=body,
                        attachments=attachments,
                        peer=tuple(session.peer),
                    )
                )
        if self.behaviour.after_accept is not None:
            self.behaviour.after_accept(seen)
        lost = self.behaviour.lose_reply and self.behaviour.lose_reply(
            seen, [r.lower() for r in envelope.rcpt_tos]
        )
        if lost == "drop":
            server.transport.close()  # the message is kept, the client never hears so
            await asyncio.sleep(3600)  # cancelled as the connection goes
        elif lost == "late":
            await asyncio.sleep(self.behaviour.late_by)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    def __init__(self):
        self.behaviour = SinkBehaviour()
        self.handler = Handler(self.behaviour)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.listening = False

    def start(self) -> "SmtpSink":
        self.controller.start()
        self.listening = True
        return self

    def stop(self) -> None:
        if self.listening:
            self.controller.stop()
            self.listening = False

    def refuse_connections(self) -> None:
        """Stops listening: connections are refused until ``listen_again``."""
        self.stop()

    def listen_again(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.start()

    @property
    def messages_seen(self) -> int:
        """How many messages were transmitted (whatever the answer)."""
        with self.handler.lock:
            return self.handler.data_seen

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def accepted(self) -> list[Accepted]:
        with self.handler.lock:
            return list(self.handler.accepted)
