from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """全国連携NEWS: issues composed from the records (web page and PDF), and vol.1's statements
    loaded as records of the apps below it."""

    name = "renkei.newsletter"
    verbose_name = "全国連携NEWS"

    def ready(self):
        from renkei.core import caching
        from renkei.newsletter import services
        from renkei.newsletter.sitemaps import IssuesSitemap
        from renkei.portal.sitemaps import SITEMAPS

        SITEMAPS["newsletter"] = IssuesSitemap

        caching.register(content=self.label, pages="newsletter", schedule=services.next_issue,
                         changed=services.announce_pending)
