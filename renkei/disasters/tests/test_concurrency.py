"""The 23 wards answer an enquiry in the same minute: every answer is kept, none overwrites another;
the same form sent twice in the same instant stores one record."""

import datetime as dt
import re
import threading

from django.db import connections
from django.test import Client
from django.utils import timezone

from renkei.disasters.models import Channel, Disaster, Dispatch, EnquiryAnswer, Role
from renkei.disasters.services import coordination
from renkei.municipalities.models import LocalGovernment
from renkei.testing import build_world, make_secretariat, make_staff, sample_disaster, sign_in


def test_twenty_three_wards_answering_at_once_lose_nothing(transactional_db):
    secretariat = make_secretariat()
    disaster = Disaster.objects.create(name="同時回答の試験", kind="earthquake", started_on=dt.date(2026, 11, 20))
    enquiry = coordination.send_enquiry(actor=secretariat, disaster=disaster, question="派遣できますか",
                                        deadline=timezone.now() + dt.timedelta(hours=3))
    wards = list(LocalGovernment.objects.special_wards().order_by("code"))
    # Two staff of 千代田区 answer too: one of the two answers stands, never both, never an error.
    staff = [make_staff(ward.code, f"bousai{i}@example.lg.jp") for i, ward in enumerate(wards)]
    staff.append(make_staff(wards[0].code, "second@example.lg.jp"))
    barrier = threading.Barrier(len(staff))
    errors = []

    def answer(user, quantity):
        try:
            barrier.wait(timeout=20)
            coordination.answer_enquiry(actor=user, enquiry=enquiry, data={"answer": "yes", "quantity": quantity})
        except Exception as error:  # noqa: BLE001 — every failure is reported by the assertion below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(user, n + 1)) for n, user in enumerate(staff)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    answers = {a.ward_id: a for a in EnquiryAnswer.objects.filter(enquiry=enquiry)}
    assert len(answers) == 23
    assert {code: a.quantity for code, a in answers.items() if code != wards[0].code} == {
        ward.code: n + 1 for n, ward in enumerate(wards) if n > 0}
    # 千代田区's row holds one person's answer whole: the quantity that person sent
    chiyoda = answers[wards[0].code]
    assert chiyoda.quantity == [user.pk for user in staff].index(chiyoda.answered_by_id) + 1


def test_the_same_dispatch_sent_twice_at_the_same_moment_is_stored_once(transactional_db):
    """Two requests with the same form in the same instant (a double click on a slow line), each
    on its own database connection: one dispatch."""
    world = build_world()
    quake = sample_disaster()
    ward = make_staff("131016", "bousai@city.chiyoda.lg.jp")
    quake_dispatches = Dispatch.objects.filter(disaster=quake).count()
    client = Client()
    sign_in(client, ward)
    url = f"/members/disasters/{quake.pk}/dispatches/new/"
    once = re.search(r'name="once" value="([^"]*)"', client.get(url).content.decode())[1]
    data = {"channel": Channel.objects.first().pk, "destination": "北海道厚真町", "role": Role.objects.first().pk,
            "persons": "3", "first_day": "2026-11-24", "last_day": "2026-11-30", "status": "planned", "once": once}
    barrier, answers, errors = threading.Barrier(2), [], []

    def send():
        try:
            mine = Client()
            sign_in(mine, ward)
            barrier.wait(timeout=20)
            answers.append(mine.post(url, data).status_code)
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and answers == [302, 302]
    assert Dispatch.objects.filter(disaster=quake).count() == quake_dispatches + 1
    assert world.secretariat  # the world the pages need was there
