from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "renkei.registry"
    verbose_name = "連携台帳"

    def ready(self):
        from renkei.core import caching

        caching.register(content=self.label, pages="registry")
