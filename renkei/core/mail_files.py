"""Mail in development: one readable file per message under var/mail.

Django's console backend prints MIME-encoded mail into the server log, where nobody reads it.
This backend writes each message as `<time>-<n>.txt` (headers decoded, the text body as
written) and, when the message has an HTML alternative, `<time>-<n>.html` beside it, so a
person opens the folder and reads what the portal sent.
"""

import itertools
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_counter = itertools.count(1)
_lock = threading.Lock()


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        self.folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            self._write(message)
        return len(email_messages)

    def _write(self, message) -> None:
        with _lock:
            stem = f"{timezone.localtime():%Y%m%d-%H%M%S}-{next(_counter):04d}"
        headers = [
            ("From", message.from_email),
            ("To", ", ".join(message.to)),
            ("Reply-To", ", ".join(message.reply_to)),
            ("Subject", message.subject),
            ("Date", f"{timezone.localtime():%Y-%m-%d %H:%M:%S %z}"),
        ]
        lines = [f"{name}: {value}" for name, value in headers if value]
        text = "\n".join(lines) + "\n\n" + message.body
        (self.folder / f"{stem}.txt").write_text(text, encoding="utf-8")
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                (self.folder / f"{stem}.html").write_text(content, encoding="utf-8")
