import pytest

from renkei.core import audit
from renkei.core.models import AuditEntry
from renkei.portal.models import NewsItem
from renkei.testing import make_secretariat, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client):
    user = make_secretariat()
    sign_in(client, user)
    return user


def test_log_action_records_who_what_and_changes(secretariat):
    item = NewsItem.objects.first()
    entry = audit.log_action(actor=secretariat, action="portal.news.changed", obj=item,
                             changes={"title": ["旧", "新"]})
    assert entry.actor == secretariat and entry.actor_repr == "jimukyoku@example.jp"
    assert entry.object_id == str(item.pk) and entry.object_repr == item.title
    assert entry.changes == {"title": ["旧", "新"]}
    assert entry.at is not None


def test_anonymous_actions_are_attributed_to_the_system():
    entry = audit.log_action(actor=None, action="sources.loaded")
    assert entry.actor is None and entry.actor_repr == "system"


def test_diff_lists_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


def test_the_entry_survives_the_account(secretariat):
    audit.log_action(actor=secretariat, action="x.y")
    secretariat.delete()
    entry = AuditEntry.objects.get(action="x.y")
    assert entry.actor is None and entry.actor_repr == "jimukyoku@example.jp"


def test_admin_changes_are_audited_with_changed_fields(client, secretariat):
    item = NewsItem.objects.first()
    response = client.post(f"/admin/portal/newsitem/{item.pk}/change/", {
        "title": "新しい見出し", "lead": item.lead, "status": "published",
        "publish_at_0": item.published_on.isoformat(), "publish_at_1": "00:00:00",
        "body": item.body, "source": item.source_id, "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="portal.newsitem.changed")
    assert entry.actor == secretariat
    assert entry.changes == {"title": [item.title, "新しい見出し"]}


def test_admin_deletions_are_audited(client, secretariat):
    item = NewsItem.objects.first()
    client.post(f"/admin/portal/newsitem/{item.pk}/delete/", {"post": "yes"})
    entry = AuditEntry.objects.get(action="portal.newsitem.deleted")
    assert entry.changes["title"] == [item.title, None]


def test_reference_data_and_the_audit_log_cannot_be_edited_in_the_admin(client, secretariat):
    assert client.get("/admin/municipalities/localgovernment/131016/change/").status_code == 200
    response = client.post("/admin/municipalities/localgovernment/131016/change/", {"name": "x"})
    assert response.status_code == 403
    assert client.get("/admin/municipalities/localgovernment/add/").status_code == 403
    audit.log_action(actor=secretariat, action="x.y")
    entry = AuditEntry.objects.get(action="x.y")
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_changed_fields_names_form_fields_and_keeps_other_keys_as_recorded():
    from renkei.core.templatetags.renkei import changed_fields
    from renkei.disasters.models import Disaster
    from renkei.testing import sample_disaster

    disaster = sample_disaster()
    assert isinstance(disaster, Disaster)
    # "funds" is a reverse relation of a disaster, "reason" no field at all, "name" a field.
    entry = audit.log_action(actor=None, action="disasters.changed", obj=disaster,
                             changes={"name": ["旧", "新"], "funds": [0, 1], "reason": "誤り"})
    assert changed_fields(entry) == f"{Disaster._meta.get_field('name').verbose_name}、funds、reason"
