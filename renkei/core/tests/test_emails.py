"""The outbox delivers what was queued, with the headers it was given."""


def test_a_reply_to_address_reaches_the_message(db):
    from django.core import mail

    from renkei.core.emails import deliver
    from renkei.core.models import OutgoingEmail

    message = OutgoingEmail.objects.create(to="desk@example.jp", subject="件名", body_text="本文", kind="test",
                                           reply_to="visitor@example.jp")
    assert deliver(message.pk)
    assert mail.outbox[-1].reply_to == ["visitor@example.jp"]
