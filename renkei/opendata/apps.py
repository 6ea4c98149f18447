from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "renkei.opendata"
    verbose_name = "オープンデータ"

    def ready(self):
        from renkei.core import caching

        caching.register(pages="opendata")
