"""Board mail, as queued work (django-tasks; the database backend needs no extra server)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from renkei.board.models import Follow, Post, Preference
from renkei.core import reply_addresses
from renkei.core.access import BOARD, allows
from renkei.core.emails import queue_email


def may_read_board(user) -> bool:
    return allows(BOARD, user)


def followers(post: Post):
    """Active people following the post's thread or category, other than its author."""
    user_ids = Follow.objects.filter(Q(thread_id=post.thread_id) | Q(category_id=post.thread.category_id)).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(pk=post.author_id).select_related(
        "local_government__membership")


@task()
def notify_new_post(post_id: int) -> int:
    """Mail at once those who asked for it; the others get the post in their daily digest."""
    post = Post.objects.visible().select_related("thread__category", "organization", "author").filter(pk=post_id).first()
    if post is None:
        return 0
    modes = dict(Preference.objects.values_list("user_id", "mode"))
    sent = 0
    for user in followers(post):
        if modes.get(user.pk, Preference.Mode.DIGEST) == Preference.Mode.IMMEDIATE and may_read_board(user):
            reply = reply_addresses.for_thread(post.thread, user)
            queue_email(to=user.email, name="board-new-post", reply_to=reply,
                        context={"post": post, "thread": post.thread, "user": user, "reply": reply})
            sent += 1
    return sent


def send_digests(now: dt.datetime | None = None) -> int:
    """One plain-text-first mail per person who chose the digest, with the day's new posts."""
    now = now or timezone.now()
    sent = 0
    people = get_user_model().objects.filter(is_active=True, board_follows__isnull=False).distinct().select_related(
        "local_government__membership")
    prefs = {p.user_id: p for p in Preference.objects.all()}
    for user in people:
        pref = prefs.get(user.pk) or Preference.objects.create(user=user)
        if pref.mode != Preference.Mode.DIGEST or not may_read_board(user):
            continue
        since = pref.digest_sent_at or now - dt.timedelta(days=1)
        followed = Follow.objects.filter(user=user)
        posts = list(Post.objects.visible().filter(
            Q(thread__in=followed.values("thread_id")) | Q(thread__category__in=followed.values("category_id")),
            created_at__gt=since, created_at__lte=now,
        ).exclude(author=user).select_related("thread", "organization").order_by("thread_id", "created_at")[:200])
        if posts:
            queue_email(to=user.email, name="board-digest", context={"posts": posts, "user": user, "since": since})
            sent += 1
        pref.digest_sent_at = now
        pref.save(update_fields=["digest_sent_at"])
    return sent
