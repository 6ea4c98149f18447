from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from renkei.portal.models import NewsItem


class NewsFeed(Feed):
    """お知らせ as an Atom feed."""

    feed_type = Atom1Feed
    title = "特別区全国連携プロジェクト お知らせ"
    link = "/news/"
    subtitle = "東京23区と全国の自治体の連携・交流のお知らせ"
    # RFC 4287 §4.1.1: a feed without an author in every entry names one for the feed.
    author_name = "特別区長会"
    author_link = "https://www.tokyo23city-kuchokai.jp/"

    def items(self):
        return NewsItem.objects.public().order_by("-publish_at", "-id")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead or item.body[:200]

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.publish_at, item.updated_at)
