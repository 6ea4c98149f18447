"""Posts removed by a cascade (a thread deleted in the admin) leave the search counts too."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from renkei.board import search
from renkei.board.models import Post


@receiver(pre_delete, sender=Post)
def unindex_deleted_post(sender, instance, **kwargs):
    search.unindex(instance)
