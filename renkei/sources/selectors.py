from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from renkei.sources.models import Erratum


def errata_by_object(objects) -> dict[str, list[Erratum]]:
    """The errata of a list of records of one model, keyed by primary key (one query)."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(objects[0])
    found = defaultdict(list)
    for erratum in Erratum.objects.filter(
        content_type=content_type, object_id__in=[str(o.pk) for o in objects]
    ).select_related("publication"):
        found[erratum.object_id].append(erratum)
    return dict(found)
