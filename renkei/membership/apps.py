from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "renkei.membership"
    verbose_name = "会員"
