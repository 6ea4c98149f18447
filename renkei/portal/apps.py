from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "renkei.portal"
    verbose_name = "公開ポータル"

    def ready(self):
        from renkei.core import caching
        from renkei.core import search as index
        from renkei.portal import disaster_mode, search, signals

        caching.register(content=self.label, pages="portal", schedule=signals.next_publication,
                         changed=disaster_mode.changed)
        for kind in (search.NEWS, search.EVENT, search.PROFILE):
            index.register(kind)
