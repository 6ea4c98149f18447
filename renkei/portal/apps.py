from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "renkei.portal"
    verbose_name = "公開ポータル"

    def ready(self):
        from renkei.core import caching, reference_data
        from renkei.portal import disaster_mode, search, signals

        caching.register(content=self.label, pages="portal", schedule=signals.next_publication,
                         changed=disaster_mode.changed)
        reference_data.register(search.index_missing_places)
