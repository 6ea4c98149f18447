"""The publications' documents in the search index follow every write."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from renkei.core import search as index
from renkei.sources import search
from renkei.sources.models import Publication


@receiver(post_save, sender=Publication)
def publication_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_publication(instance)


@receiver(post_delete, sender=Publication)
def publication_deleted(sender, instance, **kwargs):
    index.remove(search.SOURCE.key, instance.pk)
