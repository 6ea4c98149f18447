"""The app's SMTP service on loopback: each message handed to receive() with its envelope's
recipients. Postfix relays the reply domain to it in production (deploy/postfix/, the
renkei-mail service); `make run` starts it so a reply can be sent from any mail client.

A message is answered 250 only once it is kept (recorded, refused or held); when the database
cannot be reached, 451, and the sending server keeps the message and tries again.
"""

import logging

from aiosmtpd.controller import Controller
from django.db import close_old_connections

from renkei.replies.services import receive

logger = logging.getLogger(__name__)

# The name the service greets with: never the mail server's own (Postfix refuses to relay to a
# server that greets with its own name: "loops back to myself").
GREETING = "renkei-replies"


class Handler:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from asgiref.sync import sync_to_async

        raw = envelope.original_content or envelope.content
        try:
            await sync_to_async(_receive, thread_sensitive=False)(raw, list(envelope.rcpt_tos), envelope.mail_from)
        except Exception:  # the database away, a disk full: the sender's server keeps it and retries
            logger.exception("a reply could not be kept; the sending server will retry")
            return "451 4.3.0 Temporary failure, please try again later"
        return "250 2.0.0 OK"


def _receive(raw: bytes, recipients: list[str], sender: str) -> None:
    close_old_connections()
    try:
        receive(raw, recipients=recipients, envelope_sender=sender)
    finally:
        close_old_connections()


def start(host: str = "127.0.0.1", port: int = 2525) -> Controller:
    controller = Controller(Handler(), hostname=host, port=port, decode_data=False, server_hostname=GREETING)
    controller.start()
    return controller
