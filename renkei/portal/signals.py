"""Keeping the portal's derived data true: the search index follows every write to the portal's
own content (news, events, PR pages and membership), and cached pages know when the next
scheduled item goes public."""

from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from renkei.core import search as index
from renkei.core import trash
from renkei.membership.models import Member
from renkei.portal import search
from renkei.portal.models import Event, NewsItem, Photo, Profile, Status


def next_publication(now):
    """The earliest publication time still ahead, of news and events."""
    times = [model.objects.filter(status=Status.PUBLISHED, publish_at__gt=now).aggregate(t=Min("publish_at"))["t"]
             for model in (NewsItem, Event)]
    return min((t for t in times if t is not None), default=None)


@receiver(post_save, sender=Member)
def membership_changed(sender, instance, **kwargs):
    """A PR page is public while its municipality is a member."""
    profile = Profile.objects.filter(pk=instance.local_government_id).select_related("local_government").first()
    if profile is not None:
        search.index_profile(profile)


# The search index follows every write, whoever makes it (the editors' forms, the admin).
@receiver(post_save, sender=NewsItem)
def news_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_news(instance)


@receiver(post_save, sender=Event)
def event_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_event(instance)


@receiver(m2m_changed, sender=Event.participants.through)
@receiver(m2m_changed, sender=Event.associations.through)
def event_members_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Event):
        search.index_event(instance)


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_profile(instance)


@receiver(post_save, sender=Photo)
@receiver(post_delete, sender=Photo)
def photo_changed(sender, instance, **kwargs):
    """A news item is found by its photos' alternative text too."""
    if instance.news_id and NewsItem.objects.filter(pk=instance.news_id).exists():
        search.index_news(instance.news)


@receiver(post_delete, sender=Photo)
def photo_deleted(sender, instance, **kwargs):
    """Its files go too, however it was deleted (a cascade from its event included), once the
    deletion has committed: a rolled-back deletion keeps them, and so does one kept in the trash."""
    if trash.keeps_files():
        return  # kept for a restore; the trash's purge removes them
    names = [f.name for f in (instance.large, instance.small) if f]
    storage = instance.large.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


@receiver(post_delete, sender=NewsItem)
def news_deleted(sender, instance, **kwargs):
    index.remove(search.NEWS.key, instance.pk)


@receiver(post_delete, sender=Event)
def event_deleted(sender, instance, **kwargs):
    index.remove(search.EVENT.key, instance.pk)


@receiver(post_delete, sender=Profile)
def profile_deleted(sender, instance, **kwargs):
    index.remove(search.PROFILE.key, instance.pk)
