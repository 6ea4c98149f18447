from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "renkei.sources"
    verbose_name = "出典"

    def ready(self):
        from renkei.core import caching

        caching.register(content=self.label, pages="sources")
