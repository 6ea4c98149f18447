from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from renkei.sources.models import Erratum


def with_errata(objects):
    """Records of one model, each with `errata`: what its sources printed wrongly about it (正誤),
    in one query. Returns the records as a list."""
    objects = list(objects)
    if not objects:
        return objects
    content_type = ContentType.objects.get_for_model(objects[0])
    found = defaultdict(list)
    for erratum in Erratum.objects.filter(
        content_type=content_type, object_id__in=[str(o.pk) for o in objects]
    ).select_related("publication"):
        found[erratum.object_id].append(erratum)
    for obj in objects:
        obj.errata = found.get(str(obj.pk), [])
    return objects
