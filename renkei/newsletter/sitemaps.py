from django.contrib.sitemaps import Sitemap

from renkei.newsletter.models import Issue


class IssuesSitemap(Sitemap):
    """全国連携NEWS, each issue as published (frozen then)."""

    def items(self):
        return Issue.objects.public().only("volume", "published_at").order_by("volume")

    def lastmod(self, item):
        return item.published_at
