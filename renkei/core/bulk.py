"""Bulk writes (imports, reference data) send no post_save: whoever writes in bulk says so here,
once, and what derives from the records (the page cache's version, the search index) follows."""

from django.dispatch import Signal

# sent with sender=the model, pks=the rows written
written = Signal()


def wrote(model, pks) -> None:
    written.send(sender=model, pks=list(pks))
