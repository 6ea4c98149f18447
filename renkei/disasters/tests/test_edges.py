"""What a tired clerk does on the worst day — pastes, clicks twice, saves again — never breaks
the record: a clear message and a 400, one record for one intention, nothing lost."""

import pytest

from renkei.core.models import AuditEntry
from renkei.disasters.models import Disaster
from renkei.testing import sample_disaster, sign_in, text

pytestmark = pytest.mark.django_db


def test_a_second_disaster_with_a_name_already_used_gets_the_forms_message(client, world):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    before, audited = Disaster.objects.count(), AuditEntry.objects.count()
    response = client.post("/secretariat/disasters/new/", {"name": quake.name, "kind": "earthquake",
                                                           "started_on": "令和8年11月21日"})
    assert response.status_code == 400
    assert "同じ名前の災害がすでに登録されています" in text(response)
    assert Disaster.objects.count() == before
    assert AuditEntry.objects.count() == audited
    other = Disaster.objects.exclude(pk=quake.pk).first()
    renamed = client.post(f"/secretariat/disasters/{other.pk}/edit/", {
        "name": quake.name, "kind": other.kind, "started_on": other.started_on.isoformat()})
    assert renamed.status_code == 400 and Disaster.objects.get(pk=other.pk).name == other.name


@pytest.mark.parametrize("amount", ["²", "①", "፩"])
def test_a_recipients_amount_in_digits_of_another_kind_is_refused_by_line(client, world, amount):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    response = client.post(f"/secretariat/disasters/{quake.pk}/funds/new/", {
        "kind": "recovery_fund", "amount_yen": "1000000", "recipients": f"北海道厚真町 {amount}", "share_rule": "equal"})
    assert response.status_code == 400
    assert "1行目「北海道厚真町" in text(response) and "半角か全角の数字" in text(response)
    assert quake.funds.count() == 1


def test_amounts_as_excel_and_clerks_write_them_are_read(client, world):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    response = client.post(f"/secretariat/disasters/{quake.pk}/funds/new/", {
        "kind": "donation", "amount_yen": "３０，０００，０００円", "recipients": "北海道厚真町 3,000万円",
        "share_rule": "equal"})
    assert response.status_code == 302
    fund = quake.funds.latest("pk")
    assert fund.amount_yen == 30_000_000 and fund.recipients.get().amount_yen == 30_000_000
