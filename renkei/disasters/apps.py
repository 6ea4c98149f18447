from django.apps import AppConfig


class DisastersConfig(AppConfig):
    name = "renkei.disasters"
    verbose_name = "災害支援"

    def ready(self):
        from renkei.core import caching

        caching.register(content=self.label, pages="disasters")
