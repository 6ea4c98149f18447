from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "renkei.board"
    verbose_name = "掲示板"
