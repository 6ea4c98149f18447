"""The registry's documents in the search index follow every write to agreements and relations,
whoever makes it (the services, the admin, an import)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from renkei.core import bulk
from renkei.core import search as index
from renkei.registry import search
from renkei.registry.models import Relation, WideAreaAgreement


@receiver(post_save, sender=WideAreaAgreement)
def agreement_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_agreement(instance)


@receiver(post_delete, sender=WideAreaAgreement)
def agreement_deleted(sender, instance, **kwargs):
    index.remove(search.AGREEMENT.key, instance.pk)


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
