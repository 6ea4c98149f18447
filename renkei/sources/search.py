"""The publications in the one search index (renkei.core.search): found by title and publisher."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.core import search

SOURCE = search.Kind("source", _("出典"), position=7)


def index_publication(publication) -> None:
    search.store(SOURCE.key, publication.pk, title=publication.title,
                 url=reverse("sources:publication", args=[publication.slug]), day=publication.published_on,
                 parts=[publication.title, publication.publisher], visible_from=search.ALWAYS)
