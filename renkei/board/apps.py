from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "renkei.board"
    verbose_name = "掲示板"

    def ready(self):
        from renkei.board import signals  # noqa: F401  (keeps search counts true on cascades)
