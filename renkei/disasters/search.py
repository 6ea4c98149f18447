"""The disasters' public pages in the one search index (renkei.core.search): found by name, kind,
summary and the places struck; a drill (訓練) is never found."""

from django.utils.translation import gettext_lazy as _

from renkei.core import search
from renkei.municipalities.names import spoken

DISASTER = search.Kind("disaster", _("災害支援"), position=4)


def index_disaster(disaster) -> None:
    search.store(DISASTER.key, disaster.pk, title=disaster.name, url=disaster.get_absolute_url(), day=disaster.started_on,
                 parts=[disaster.name, disaster.get_kind_display(), disaster.summary,
                        *(part for lg in disaster.affected.select_related("prefecture") for part in spoken(lg))],
                 visible_from=None if disaster.is_drill else search.ALWAYS)
