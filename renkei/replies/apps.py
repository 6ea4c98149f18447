from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "renkei.replies"
    verbose_name = "メールでの回答"
