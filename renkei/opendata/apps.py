from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "renkei.opendata"
    verbose_name = "オープンデータ"
