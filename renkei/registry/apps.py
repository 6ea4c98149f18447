from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "renkei.registry"
    verbose_name = "連携台帳"
