from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "renkei.municipalities"
    verbose_name = "地方公共団体"

    def ready(self):
        from renkei.core import caching, reference_data
        from renkei.municipalities import converters, services

        converters.register()
        caching.register(content=self.label)
        reference_data.register(services.load_reference_data)
