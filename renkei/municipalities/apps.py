from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "renkei.municipalities"
    verbose_name = "地方公共団体"
