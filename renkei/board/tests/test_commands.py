"""manage.py send_board_digest: the daily digest of new posts (cron, every morning)."""

import io

import pytest
from django.core.management import call_command

from renkei.board import services
from renkei.board.models import Category
from renkei.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def digest(**options) -> str:
    out = io.StringIO()
    call_command("send_board_digest", stdout=out, **options)
    return out.getvalue()


def test_followers_get_the_days_posts_once(world):
    thread = services.start_thread(author=world.member, category=Category.objects.get(slug="tourism"),
                                   type="information", title="観光の連携先", body="本文")
    services.follow(world.other_member, thread=thread)
    services.reply(author=world.ward, thread=thread, body="千代田区です。ご一緒しましょう。")

    assert digest() == "まとめメール: 2件\n"  # the author follows their thread, and 上川町 follows it
    mail = OutgoingEmail.objects.filter(kind="board-digest", to=world.other_member.email).get()
    assert "観光の連携先" in mail.body_text and "千代田区" in mail.body_text
    assert digest() == "まとめメール: 0件\n"  # nothing new since


def test_no_digest_for_those_who_chose_otherwise_or_have_left(world):
    thread = services.start_thread(author=world.member, category=Category.objects.get(slug="tourism"),
                                   type="information", title="観光", body="本文")
    services.follow(world.other_member, thread=thread)
    services.save_preferences(user=world.other_member, mode="none")
    world.member.is_active = False
    world.member.save()
    services.reply(author=world.ward, thread=thread, body="返信")
    assert digest() == "まとめメール: 0件\n"
    assert not OutgoingEmail.objects.filter(kind="board-digest").exists()
