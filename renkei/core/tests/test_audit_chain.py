"""The audit log is a chain: an entry edited or deleted afterwards, even straight in the
database, is found by `manage.py audit_verify`."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renkei.core.audit import log_action, verify
from renkei.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            log_action(actor=world.secretariat, action="registry.agreement.changed", obj=world.member,
                       changes={"note": [None, f"変更 {n}"]})
    entries = list(AuditEntry.objects.filter(seq__isnull=False).order_by("seq"))
    assert entries and all(e.digest for e in entries) and verify() == []
    return entries


def test_an_intact_log_verifies(chain, capsys):
    call_command("audit_verify")
    assert "無傷です" in capsys.readouterr().out


def test_an_entry_edited_in_the_database_is_found(chain):
    victim = chain[-3]
    AuditEntry.objects.filter(pk=victim.pk).update(changes={"note": [None, "書き換え"]})  # as SQL would
    with pytest.raises(CommandError, match="1件の問題"):
        call_command("audit_verify")
    assert any(f"記録 {victim.pk}" in problem and "書き換えられた" in problem for problem in verify())


def test_an_entry_deleted_is_found_and_so_is_a_cut_tail(chain):
    AuditEntry.objects.filter(pk=chain[1].pk).delete()
    assert any("削除された可能性" in problem for problem in verify())


def test_the_last_entries_cut_off_are_found(chain):
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    assert any("末尾が削除された" in problem for problem in verify())


def test_deleting_an_account_does_not_break_the_chain(chain, world):
    """The actor's link empties when an account is deleted; the entry's text stays and is what the
    hash covers."""
    AuditEntry.objects.filter(pk__in=[e.pk for e in chain]).update(actor=None)
    assert verify() == []


def test_purging_old_entries_keeps_the_rest_verifiable(chain, settings):
    import datetime as dt

    from django.utils import timezone

    from renkei.core.audit import purge

    AuditEntry.objects.filter(pk__in=[e.pk for e in chain[:3]]).update(at=timezone.now() - dt.timedelta(days=800))
    assert purge(days=730) >= 3
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in chain[:3]]).exists()
    assert verify() == []
    with pytest.raises(ValueError, match="1年以上"):
        purge(days=90)
