from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "renkei.board"
    verbose_name = "掲示板"

    def ready(self):
        from renkei.board import search, services, signals  # noqa: F401  (signals keep the index true on cascades)
        from renkei.core import reference_data
        from renkei.core import search as index

        reference_data.register(services.load_reference_data)
        index.register(index.Kind(search.KIND, "掲示板の投稿", members_only=True))
