"""Two secretariat members press 承認 on the same application at the same moment."""

import threading

from django.db import connections

from renkei.membership import services
from renkei.membership.models import Application, Member, MembershipEvent
from renkei.testing import make_secretariat


def test_concurrent_approvals_approve_once(transactional_db):
    first, second = make_secretariat("a@example.jp"), make_secretariat("b@example.jp")
    application = Application.objects.create(
        local_government_id="012025", department="企画課", contact_name="函館 太郎",
        phone="0138-21-3111", email="kikaku@city.hakodate.lg.jp", status=Application.Status.PENDING)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(actor):
        try:
            barrier.wait(timeout=10)
            services.approve_application(application_pk=application.pk, actor=actor)
            outcomes.append("approved")
        except services.MembershipError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(actor,)) for actor in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2 and outcomes.count("approved") == 1
    assert any("すでに「承認」" in outcome for outcome in outcomes)
    assert Member.objects.filter(local_government_id="012025").count() == 1
    assert MembershipEvent.objects.filter(member__local_government_id="012025").count() == 1
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_the_reference_database_comes_back_whole_after_a_transactional_test(transactional_db, reference_database):
    """What conftest does when a transactional test (like the one above) has emptied the tables."""
    from django.core.management import call_command

    from renkei.disasters.models import Disaster
    from renkei.municipalities.models import LocalGovernment

    call_command("flush", "--no-input", verbosity=0)
    assert LocalGovernment.objects.count() == 0
    reference_database.restore()
    assert LocalGovernment.objects.count() == 1788 and Disaster.objects.count() == 13
