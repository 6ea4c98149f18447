from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "renkei.board"
    verbose_name = "掲示板"

    def ready(self):
        from renkei.board import services, signals  # noqa: F401  (signals keep search counts true on cascades)
        from renkei.core import reference_data

        reference_data.register(services.load_reference_data)
