"""Keeping the portal's derived data true: the search index follows every write to what public
pages show (news, events, PR pages and membership, disasters, agreements, relations, sources), and
cached pages know when the next scheduled item goes public."""

from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from renkei.core import bulk, trash
from renkei.disasters.models import Disaster
from renkei.membership.models import Member
from renkei.portal import search
from renkei.portal.models import Event, NewsItem, Photo, Profile, Status
from renkei.registry.models import Relation, WideAreaAgreement
from renkei.sources.models import Publication


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


@receiver(post_save, sender=Disaster)
def disaster_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_disaster(instance)


@receiver(m2m_changed, sender=Disaster.affected.through)
def disaster_places_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Disaster):
        search.index_disaster(instance)


@receiver(post_save, sender=WideAreaAgreement)
def agreement_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_agreement(instance)


@receiver(post_save, sender=Relation)
@receiver(post_delete, sender=Relation)
def relation_changed(sender, instance, raw=False, **kwargs):
    """A relation shows on both places' pages: their documents follow."""
    if not raw:
        search.index_places([instance.ward_id, instance.municipality_id])


@receiver(bulk.written, sender=Relation)
def relations_imported(sender, pks, **kwargs):
    places = Relation.objects.filter(pk__in=pks).values_list("ward_id", "municipality_id")
    search.index_places({code for pair in places for code in pair})


@receiver(post_save, sender=Publication)
def publication_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_publication(instance)


@receiver(post_delete, sender=NewsItem)
@receiver(post_delete, sender=Event)
@receiver(post_delete, sender=Profile)
@receiver(post_delete, sender=Disaster)
@receiver(post_delete, sender=WideAreaAgreement)
@receiver(post_delete, sender=Publication)
def removed(sender, instance, **kwargs):
    search.remove(instance)
