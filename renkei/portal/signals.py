"""Keeping the portal's derived data true: the search index follows membership, and cached
pages know when the next scheduled item goes public."""

from django.db.models import Min
from django.db.models.signals import post_save
from django.dispatch import receiver

from renkei.membership.models import Member
from renkei.portal import search
from renkei.portal.models import Event, NewsItem, Profile, Status


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
