from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "renkei.registry"
    verbose_name = "連携台帳"

    def ready(self):
        from renkei.core import caching, reference_data
        from renkei.registry import services

        caching.register(content=self.label, pages="registry")
        reference_data.register(services.load_reference_data)
