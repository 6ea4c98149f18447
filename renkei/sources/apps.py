from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "renkei.sources"
    verbose_name = "出典"

    def ready(self):
        from renkei.core import caching
        from renkei.core import search as index
        from renkei.sources import search, signals  # noqa: F401  (signals keep the index true)

        caching.register(content=self.label, pages="sources")
        index.register(search.SOURCE)
