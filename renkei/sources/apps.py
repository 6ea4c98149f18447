from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "renkei.sources"
    verbose_name = "出典"
