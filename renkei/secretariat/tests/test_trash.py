"""Deleted, not gone: for TRASH_DAYS the secretariat puts back what was deleted (削除したもの → 元に戻す)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from renkei.core import trash
from renkei.core.models import AuditEntry, TrashedItem
from renkei.portal.models import Event, NewsItem
from renkei.portal.tests.test_publishing import event_data, news_data
from renkei.registry.models import Relation
from renkei.testing import get_within, jpeg, sample_relation, sign_in, text

pytestmark = pytest.mark.django_db


def test_a_deleted_news_item_comes_back_whole_with_its_photo(client, world, django_capture_on_commit_callbacks):
    sign_in(client, world.secretariat)
    client.post("/secretariat/news/new/", news_data(photo_1=jpeg(), photo_alt_1="会場の様子"))
    item = NewsItem.objects.get(title="交流会を開きます")
    photo = item.photos.get()
    public, anonymous = f"/news/{item.pk}/", client.__class__()
    assert anonymous.get(public).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/secretariat/news/{item.pk}/delete/", follow=True)
    assert "30日間は「削除したもの」から元に戻せます" in text(response)
    assert anonymous.get(public).status_code == 404
    assert "交流会を開きます" not in text(anonymous.get("/search/", {"q": "交流会"}))

    listing = get_within(client, "/secretariat/trash/", queries=9, contains="交流会を開きます").content.decode()
    kept = trash.kept_until(TrashedItem.objects.get())
    assert "お知らせ「交流会を開きます」" in listing and "関連する記録 1件を含む" in listing
    assert f"令和{kept.year - 2018}年" in listing  # the keeping time, in 和暦

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/secretariat/trash/{TrashedItem.objects.get().pk}/restore/", follow=True)
    assert "お知らせ「交流会を開きます」を元に戻しました" in text(response)
    restored = NewsItem.objects.get(pk=item.pk)
    assert restored.title == item.title and restored.publish_at == item.publish_at
    assert restored.photos.get().alt == "会場の様子" and photo.large.storage.exists(photo.large.name)
    assert anonymous.get(public).status_code == 200
    assert "交流会を開きます" in text(anonymous.get("/search/", {"q": "交流会"}))
    assert not TrashedItem.objects.exists()
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="portal.news.")
            .order_by("at", "id")] == ["portal.news.created", "portal.news.deleted", "portal.news.restored"]
    assert "元に戻す（復元）" in text(client.get("/secretariat/audit/", {"q": "交流会"}))


def test_an_event_comes_back_with_the_municipalities_taking_part(client, world):
    sign_in(client, world.secretariat)
    client.post("/secretariat/events/new/", event_data())
    event = Event.objects.get(title="厚真町フェア")
    taking_part = sorted(event.participants.values_list("code", flat=True))
    assert len(taking_part) == 2
    client.post(f"/secretariat/events/{event.pk}/delete/")
    assert not Event.objects.filter(pk=event.pk).exists()
    trash.restore(TrashedItem.objects.get(), actor=world.secretariat)
    assert sorted(Event.objects.get(pk=event.pk).participants.values_list("code", flat=True)) == taking_part
    assert "厚真町フェア" in text(client.__class__().get("/events/"))


def test_a_ward_deletes_a_relation_and_the_secretariat_puts_it_back(client, world):
    relation = sample_relation()
    fields = set(relation.fields.values_list("pk", flat=True))
    sign_in(client, world.ward)
    page = text(client.get(f"/relations/{relation.pk}/delete/"))
    assert "30日間、事務局が「削除したもの」の画面から元に戻せます" in page
    client.post(f"/relations/{relation.pk}/delete/")
    assert not Relation.objects.filter(pk=relation.pk).exists()
    assert client.get("/secretariat/trash/").status_code == 403  # the ward asks the secretariat
    secretariat = client.__class__()
    sign_in(secretariat, world.secretariat)
    secretariat.post(f"/secretariat/trash/{TrashedItem.objects.get().pk}/restore/")
    back = Relation.objects.get(pk=relation.pk)
    assert (back.ward_id, back.municipality_id, back.started_on) == (relation.ward_id, relation.municipality_id,
                                                                     relation.started_on)
    assert set(back.fields.values_list("pk", flat=True)) == fields


def test_a_restore_that_would_collide_is_refused_and_writes_nothing(client, world):
    relation = sample_relation()
    trash.delete(relation, actor=world.secretariat, action="registry.relation.deleted")
    again = sample_relation()  # the same relation entered anew meanwhile
    item = TrashedItem.objects.get()
    sign_in(client, world.secretariat)
    response = client.post(f"/secretariat/trash/{item.pk}/restore/")
    assert response.status_code == 400
    assert "元に戻せません。同じものがすでに登録されているか" in text(response)
    assert list(Relation.objects.filter(ward_id=relation.ward_id, municipality_id=relation.municipality_id,
                                        kind=relation.kind)) == [again]
    assert TrashedItem.objects.filter(pk=item.pk).exists()
    assert not AuditEntry.objects.filter(action="registry.relation.restored").exists()


def test_after_the_keeping_time_nothing_comes_back_and_the_purge_removes_it(client, world):
    relation = sample_relation()
    item = trash.delete(relation, actor=world.secretariat, action="registry.relation.deleted")
    later = timezone.now() + dt.timedelta(days=30, minutes=1)
    TrashedItem.objects.filter(pk=item.pk).update(deleted_at=timezone.now() - dt.timedelta(days=30, minutes=1))
    sign_in(client, world.secretariat)
    assert "この30日間に削除したものはありません" in text(client.get("/secretariat/trash/"))
    response = client.post(f"/secretariat/trash/{item.pk}/restore/")
    assert response.status_code == 400 and "削除から30日を過ぎたため、元に戻せません" in text(response)
    assert not Relation.objects.filter(pk=relation.pk).exists()
    assert trash.purge(now=later - dt.timedelta(days=1)) == 1
    assert not TrashedItem.objects.exists()


def test_purge_trash_keeps_what_is_within_the_keeping_time(world, capsys):
    trash.delete(sample_relation(), actor=world.secretariat, action="registry.relation.deleted")
    call_command("purge_trash")
    assert "完全に削除: 0件" in capsys.readouterr().out and TrashedItem.objects.count() == 1


def test_a_deletion_in_the_admin_can_be_put_back_too(client, world):
    item = NewsItem.objects.order_by("pk").first()
    sign_in(client, world.secretariat)
    response = client.post(f"/admin/portal/newsitem/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not NewsItem.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.filter(action="portal.newsitem.deleted", object_id=str(item.pk)).exists()
    trash.restore(TrashedItem.objects.get(), actor=world.secretariat)
    assert NewsItem.objects.get(pk=item.pk).title == item.title


def test_a_restore_pointing_at_something_gone_is_refused_before_commit(client, world):
    """Foreign keys are checked at commit; the restore checks them itself, so the secretariat gets a
    message instead of a failed commit."""
    import json

    item = trash.delete(sample_relation(), actor=world.secretariat, action="registry.relation.deleted")
    rows = json.loads(item.records)
    relation = next(row for row in rows if row["model"] == "registry.relation")
    relation["fields"]["municipality"] = "999999"  # a municipality no longer in the reference data
    TrashedItem.objects.filter(pk=item.pk).update(records=json.dumps(rows))
    sign_in(client, world.secretariat)
    response = client.post(f"/secretariat/trash/{item.pk}/restore/")
    assert response.status_code == 400 and "関係する記録が削除されています" in text(response)
    assert not Relation.objects.filter(municipality_id="999999").exists()
