"""Queued work is done even when the worker dies, and a stopped worker is seen by the secretariat."""

import datetime as dt
import sys

import pytest
from django.test import Client
from django.utils import timezone

from renkei.testing import sign_in
from renkei.worker import supervise


def test_the_worker_is_started_again_when_it_stops(tmp_path):
    """A worker that crashes (here: exits 1 at once) is started again, with growing pauses."""
    runs = tmp_path / "runs"
    command = [sys.executable, "-c", f"open({str(runs)!r}, 'a').write('x'); raise SystemExit(1)"]
    assert supervise(command, restarts=3, pause=0.01, most=0.05) == 3
    assert runs.read_text() == "xxxx"  # the first start and three more


@pytest.mark.django_db
def test_a_queue_left_waiting_warns_the_secretariat(world, settings):
    from django_tasks_db.models import DBTaskResult

    from renkei.core import queue

    client = Client()
    sign_in(client, world.secretariat)
    assert "自動の処理が止まっています" not in client.get("/secretariat/").content.decode()

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from renkei.board.tasks import notify_new_post

    for pk in range(12):
        notify_new_post.enqueue(pk)  # as a reply does, with no worker to take them
    assert queue.health().waiting == 12 and not queue.health().stuck
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=42))
    health = queue.health()
    assert health.stuck and health.minutes == 42
    page = client.get("/secretariat/").content.decode()
    assert "自動の処理が止まっています" in page and "12件の処理が42分以上待っています" in page
