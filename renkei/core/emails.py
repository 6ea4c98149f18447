"""Email: three templates per message, an outbox row per mail, delivery after commit.

`queue_email` writes the message in the caller's transaction, so an approval and its mail
commit together; delivery runs once the transaction has committed. A failing SMTP server
leaves the row `failed` with the error; `manage.py send_emails` (and the secretariat's
outbox page) retries it.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from renkei.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """Subject, text body and HTML body of templates/emails/<name>-{subject,body-text,body-html}."""
    context = {"SITE_URL": settings.SITE_URL.rstrip("/"), **context}
    with translation.override("ja"):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        text = render_to_string(f"emails/{name}-body-text.txt", context)
        html = render_to_string(f"emails/{name}-body-html.html", context)
    return " ".join(subject.split()), text, html


def queue_email(*, to: str, name: str, context: dict, reply_to: str = "") -> OutgoingEmail:
    subject, text, html = render_email(name, context)
    message = OutgoingEmail.objects.create(
        to=to, subject=subject, body_text=text, body_html=html, kind=name, reply_to=reply_to
    )
    transaction.on_commit(lambda: deliver(message.pk))
    return message


def deliver(pk: int) -> bool:
    """Try to send one queued message; True when it went."""
    with transaction.atomic():
        message = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=pk)
            .exclude(status=OutgoingEmail.Status.SENT)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            mail = EmailMultiAlternatives(
                message.subject, message.body_text, settings.DEFAULT_FROM_EMAIL, [message.to],
                reply_to=[message.reply_to] if message.reply_to else None,
                # RFC 3834: responders (out-of-office) do not answer it; an answer to a reply, never
                headers={"Auto-Submitted": "auto-replied" if message.kind.startswith("reply-") else "auto-generated"},
            )
            if message.body_html:
                mail.attach_alternative(message.body_html, "text/html")
            mail.send()
        except Exception as error:  # any transport failure is recorded and retried later
            logger.warning("email %s to %s failed: %s", message.pk, message.to, error)
            message.status = OutgoingEmail.Status.FAILED
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.save(update_fields=["attempts", "status", "last_error"])
            return False
        message.status = OutgoingEmail.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def retry_unsent(limit: int = 100) -> tuple[int, int]:
    """Retry queued and failed messages; returns (sent, still failing)."""
    pending = OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).filter(
        attempts__lt=MAX_ATTEMPTS
    ).order_by("created_at").values_list("pk", flat=True)[:limit]
    sent = failed = 0
    for pk in list(pending):
        if deliver(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
