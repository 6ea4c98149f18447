"""The disasters' documents in the search index follow every write, whoever makes it."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from renkei.core import search as index
from renkei.disasters import search
from renkei.disasters.models import Disaster


@receiver(post_save, sender=Disaster)
def disaster_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_disaster(instance)


@receiver(m2m_changed, sender=Disaster.affected.through)
def disaster_places_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Disaster):
        search.index_disaster(instance)


@receiver(post_delete, sender=Disaster)
def disaster_deleted(sender, instance, **kwargs):
    index.remove(search.DISASTER.key, instance.pk)
