from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """全国連携NEWS: the newsletter's statements loaded as records of the apps below it."""

    name = "renkei.newsletter"
    verbose_name = "全国連携NEWS"
