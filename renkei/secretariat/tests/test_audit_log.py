"""The audit log as a page: searchable by words, area and dates; readable names for actions."""

import datetime as dt

import pytest
from django.utils import timezone

from renkei.core.audit import log_action
from renkei.core.models import AuditEntry
from renkei.testing import get_within, sign_in, text

pytestmark = pytest.mark.django_db


def entries(world):
    log_action(actor=world.member, action="board.post.deleted", obj=world.member)
    log_action(actor=world.secretariat, action="membership.application.approved", obj=world.other_member)
    old = log_action(actor=world.ward, action="registry.relation.created", obj=world.ward)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))


def test_the_log_is_listed_newest_first_with_readable_actions(client, world):
    entries(world)
    sign_in(client, world.secretariat)
    page = get_within(client, "/secretariat/audit/", queries=9, contains="掲示板: 削除").content.decode()
    assert "会員: 承認" in page and "連携台帳: 作成" in page
    assert page.index("board.post.deleted") < page.index("registry.relation.created")


def test_the_log_is_searched_by_words_area_and_dates(client, world):
    entries(world)
    sign_in(client, world.secretariat)
    by_word = text(client.get("/secretariat/audit/", {"q": "lead@town.atsuma"}))
    assert "board.post.deleted" in by_word and "membership.application.approved" not in by_word
    by_area = text(client.get("/secretariat/audit/", {"area": "registry"}))
    assert "registry.relation.created" in by_area and "board.post.deleted" not in by_area
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    recent = text(client.get("/secretariat/audit/", {"since": since}))
    assert "board.post.deleted" in recent and "registry.relation.created" not in recent


def test_a_malformed_date_is_explained(client, world):
    sign_in(client, world.secretariat)
    response = client.get("/secretariat/audit/", {"until": "2026-02-30"})
    assert response.status_code == 400 and "2026年2月30日は存在しない日付です" in response.content.decode()


def test_only_the_secretariat_reads_the_log(client, world):
    sign_in(client, world.ward)
    assert client.get("/secretariat/audit/").status_code == 403
