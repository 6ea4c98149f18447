"""sitemap.xml: every kind of public page, each dated by its record's own last change — never by
the day the records were loaded, and not at all where no change time is kept."""

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from renkei.disasters.models import Decision, Disaster
from renkei.municipalities.models import LocalGovernment
from renkei.portal.models import Event, NewsItem, Profile

EDITED_AFTER = dt.timedelta(minutes=1)  # saved again this long after it was written: an edit


def changed(item) -> dt.datetime:
    """A published record's last change: when it went public, or a later edit. A record written
    once (by the records loader, say) is dated by its publication, not by the load."""
    if item.updated_at - item.created_at > EDITED_AFTER:
        return max(item.publish_at, item.updated_at)
    return item.publish_at


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["portal:home", "portal:news_list", "portal:event_list", "portal:agreements", "portal:stats",
                "portal:contact", "portal:join", "disasters:list", "portal:local_governments", "portal:relations",
                "opendata:index", "membership:apply_search", "newsletter:index"]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    def items(self):
        return NewsItem.objects.public().order_by("-publish_at")

    def lastmod(self, item):
        return changed(item)


class EventsSitemap(Sitemap):
    def items(self):
        return Event.objects.public().order_by("-starts_on")

    def lastmod(self, item):
        return changed(item)


class DisastersSitemap(Sitemap):
    """No lastmod: a disaster's page changes with its many records, and no one change time is kept."""

    def items(self):
        return Disaster.objects.public().order_by("-started_on")


class ReportsSitemap(Sitemap):
    """Each 第N報, as confirmed (it never changes after)."""

    def items(self):
        return (Decision.objects.filter(kind=Decision.Kind.REPORT, status=Decision.Status.CONFIRMED,
                                        disaster__is_drill=False)
                .select_related("disaster").order_by("disaster_id", "report_number"))

    def location(self, item):
        return reverse("disasters:report", args=[item.disaster_id, item.report_number])

    def lastmod(self, item):
        return item.confirmed_at


class PrefecturesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(LocalGovernment.objects.prefectures().order_by("code").values_list("code", flat=True))

    def location(self, item):
        return reverse("portal:prefecture", args=[item[:2]])


class LocalGovernmentsSitemap(Sitemap):
    """A municipality's page, dated by its PR page's last edit where it has one."""

    changefreq = "monthly"

    def items(self):
        return LocalGovernment.objects.order_by("code").only("code")

    def lastmod(self, item):
        if not hasattr(self, "_edited"):
            self._edited = dict(Profile.objects.values_list("local_government_id", "updated_at"))
        return self._edited.get(item.code)


# Apps above the portal add theirs in AppConfig.ready() (the newsletter's issues).
SITEMAPS = {"pages": PagesSitemap, "news": NewsSitemap, "events": EventsSitemap, "disasters": DisastersSitemap,
            "reports": ReportsSitemap, "prefectures": PrefecturesSitemap, "local-governments": LocalGovernmentsSitemap}
