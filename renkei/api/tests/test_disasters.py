"""The disaster-support record as JSON: a constant number of queries however many disasters,
funds and recipients there are."""

import datetime as dt

import pytest

from renkei.disasters.models import Channel, Disaster, Dispatch, FundContribution, FundRecipient, Role
from renkei.testing import count_queries

pytestmark = pytest.mark.django_db


def more_disasters(n: int) -> None:
    """Disasters whose dispatch records are complete (their people are counted from the records),
    each with a confirmed dispatch and a fund of two recipients."""
    role, channel = Role.objects.first(), Channel.objects.first()
    for i in range(n):
        disaster = Disaster.objects.create(name=f"試験の地震{i}", kind="earthquake", started_on=dt.date(2020, 1, 1 + i),
                                           dispatch_records_complete=True)
        Dispatch.objects.create(disaster=disaster, ward_id="131016", channel=channel, destination_id="015814", role=role,
                                persons=2 + i, first_day=dt.date(2020, 1, 2), last_day=dt.date(2020, 1, 9),
                                status="done", confirmed_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC))
        fund = FundContribution.objects.create(disaster=disaster, kind="recovery_fund", amount_yen=3_000_000)
        for position, code in enumerate(("015814", "014575"), start=1):
            FundRecipient.objects.create(contribution=fund, position=position, local_government_id=code,
                                         amount_yen=1_500_000)


def test_the_list_of_disasters_counts_people_in_one_query_whatever_their_number(client):
    before = count_queries(client, "/api/v1/disasters")
    more_disasters(5)
    assert count_queries(client, "/api/v1/disasters") == before
    found = {d["name"]: d["totals"] for d in client.get("/api/v1/disasters").json()}
    assert found["試験の地震4"] == {"people": 6, "funds_yen": 3_000_000}


def test_a_disaster_s_funds_read_in_a_constant_number_of_queries(client):
    more_disasters(1)
    disaster = Disaster.objects.get(name="試験の地震0")
    one = count_queries(client, f"/api/v1/disasters/{disaster.pk}/funds")
    for _ in range(3):
        fund = FundContribution.objects.create(disaster=disaster, kind="donation", amount_yen=1_000)
        FundRecipient.objects.create(contribution=fund, position=1, association_id=None, local_government_id="012025",
                                     amount_yen=1_000)
    assert count_queries(client, f"/api/v1/disasters/{disaster.pk}/funds") == one
    funds = client.get(f"/api/v1/disasters/{disaster.pk}/funds").json()
    assert [r["name"] for r in funds[0]["recipients"]] == ["北海道厚真町", "北海道上川町"]
