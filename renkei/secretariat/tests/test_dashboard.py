"""The secretariat's start page reaches every daily task and says what waits."""

import re

import pytest
from django.urls import reverse

from renkei.board import services as board
from renkei.board.models import Category
from renkei.inquiries.models import Inquiry
from renkei.testing import get_within, sample_member_event, sign_in

pytestmark = pytest.mark.django_db

DAILY_TASKS = ["secretariat:disasters", "secretariat:disaster_mode",
               "secretariat:applications", "secretariat:members", "secretariat:wards",
               "secretariat:news_list", "newsletter_editing:list",
               "secretariat:event_list", "secretariat:inquiry_list", "secretariat:import", "portal:relations",
               "secretariat:moderation", "secretariat:outbox", "secretariat:audit_log", "secretariat:trash", "admin:index",
               "accounts:recovery_codes", "board:index"]


def test_every_daily_task_is_one_link_away(client, world):
    sign_in(client, world.secretariat)
    # the session, the user, the device, a count per waiting kind, the queue's health in one
    page = get_within(client, "/secretariat/", queries=16, contains="対応を待っているもの").content.decode()
    links = set(re.findall(r'href="([^"?#]+)', page))
    missing = [name for name in DAILY_TASKS if reverse(name) not in links]
    assert missing == []
    # PR pages: each member's is edited from the list of members
    assert reverse("secretariat:profile_edit", args=["015814"]) in client.get("/secretariat/members/").content.decode()


def test_what_waits_is_counted(client, world):
    sample_member_event()
    Inquiry.objects.create(desk="project", name="x", email="x@example.jp", subject="件名", body="b", sender_key="k",
                           status=Inquiry.Status.HELD)
    thread = board.start_thread(author=world.member, category=Category.objects.get(slug="other"),
                                type="information", title="題", body="本文")
    board.report(reporter=world.other_member, post=thread.posts.get(), reason="宣伝です")
    sign_in(client, world.secretariat)
    page = client.get("/secretariat/").content.decode()

    def count(label: str) -> str:
        return re.search(label + r'</span><span class="figures__value">(\d+)', page).group(1)

    assert count("承認待ちのイベント") == "1"
    assert count("保留中のお問い合わせ") == "1"
    assert count("未処理の通報（掲示板）") == "1"
    assert count("未対応のお問い合わせ") == "0"
