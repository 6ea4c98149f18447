from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "renkei.portal"
    verbose_name = "公開ポータル"

    def ready(self):
        from renkei.core import caching
        from renkei.portal import signals

        caching.register(content=self.label, pages="portal", schedule=signals.next_publication)
