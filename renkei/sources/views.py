from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, access
from renkei.sources.models import Publication


@access(PUBLIC)
@require_safe
def publication_detail(request, slug: str):
    publication = get_object_or_404(Publication, slug=slug)
    errata = publication.errata.select_related("content_type")
    return render(request, "sources/publication.html", {"publication": publication, "errata": errata})
