"""The board's search index follows every write to posts, their files and their threads,
whoever makes it (the board's services, moderation, the admin, a cascade)."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from renkei.board import search
from renkei.board.models import Attachment, Post, Thread


@receiver(post_save, sender=Post)
def post_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_post(instance)


@receiver(post_save, sender=Attachment)
def attachment_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_post(instance.post)


@receiver(post_save, sender=Thread)
def thread_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    """A thread's title and visibility are its posts' too."""
    if raw or created or (update_fields is not None and not {"title", "is_hidden"} & set(update_fields)):
        return
    for post in instance.posts.all():
        search.index_post(post)


@receiver(pre_delete, sender=Post)
def unindex_deleted_post(sender, instance, **kwargs):
    search.unindex(instance)
