from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from renkei.disasters.models import Disaster
from renkei.municipalities.models import LocalGovernment
from renkei.portal.models import Event, NewsItem


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["portal:home", "portal:news_list", "portal:event_list", "portal:agreements", "portal:stats",
                "portal:contact", "portal:join", "disasters:list", "portal:local_governments", "portal:relations",
                "opendata:index", "membership:apply_search"]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    def items(self):
        return NewsItem.objects.public().order_by("-publish_at")

    def lastmod(self, item):
        return max(item.publish_at, item.updated_at)


class EventsSitemap(Sitemap):
    def items(self):
        return Event.objects.public().order_by("-starts_on")

    def lastmod(self, item):
        return max(item.publish_at, item.updated_at)


class DisastersSitemap(Sitemap):
    def items(self):
        return Disaster.objects.public().order_by("-started_on")


class LocalGovernmentsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return LocalGovernment.objects.order_by("code").only("code")


SITEMAPS = {"pages": PagesSitemap, "news": NewsSitemap, "events": EventsSitemap, "disasters": DisastersSitemap,
            "local-governments": LocalGovernmentsSitemap}
