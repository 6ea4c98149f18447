from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renkei.core"
    label = "core"
    verbose_name = "共通"

    def ready(self):
        from renkei.core import caching

        caching.connect_signals()
