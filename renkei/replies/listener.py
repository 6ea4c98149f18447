"""A small SMTP server on loopback that hands each message to receive() — `make run`'s stand-in
for Postfix (which pipes to `manage.py receive_mail` in production), and what the tests send to
with smtplib."""

from aiosmtpd.controller import Controller
from django.db import close_old_connections

from renkei.replies.services import receive


class Handler:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from asgiref.sync import sync_to_async

        await sync_to_async(_receive, thread_sensitive=False)(envelope.original_content or envelope.content)
        return "250 OK"


def _receive(raw: bytes) -> None:
    close_old_connections()
    try:
        receive(raw)
    finally:
        close_old_connections()


def start(host: str = "127.0.0.1", port: int = 2525) -> Controller:
    controller = Controller(Handler(), hostname=host, port=port, decode_data=False)
    controller.start()
    return controller
