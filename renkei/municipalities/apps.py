from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "renkei.municipalities"
    verbose_name = "地方公共団体"

    def ready(self):
        from renkei.core import caching

        caching.register(content=self.label, pages="municipalities")
