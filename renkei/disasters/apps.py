from django.apps import AppConfig


class DisastersConfig(AppConfig):
    name = "renkei.disasters"
    verbose_name = "災害支援"
