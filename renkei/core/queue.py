"""Is the queued work (mail, board notifications) being done? What the secretariat's start page
shows, so that a stopped worker is seen by people, not found days later."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

STUCK_AFTER = dt.timedelta(minutes=5)  # the worker takes a task within seconds when it runs


@dataclass
class QueueHealth:
    waiting: int  # tasks due and not taken
    oldest: dt.datetime | None  # when the longest-waiting one was due
    failed_today: int

    @property
    def stuck(self) -> bool:
        return self.oldest is not None and timezone.now() - self.oldest > STUCK_AFTER

    @property
    def minutes(self) -> int:
        return int((timezone.now() - self.oldest).total_seconds() // 60) if self.oldest else 0


def health() -> QueueHealth:
    """One query: the tasks due and not taken, the longest wait, the failures of the last day."""
    from django.db.models import Case, Count, F, Min, Q, When
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    due = Q(status=TaskResultStatus.READY) & (Q(run_after=get_date_max()) | Q(run_after__lte=now))
    # Due since it was queued (run_after holds the far future's marker), or since its time came.
    due_at = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    found = DBTaskResult.objects.aggregate(
        waiting=Count("pk", filter=due), oldest=Min(due_at, filter=due),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - dt.timedelta(days=1))))
    return QueueHealth(waiting=found["waiting"], oldest=found["oldest"], failed_today=found["failed"])
