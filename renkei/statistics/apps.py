from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """数字で見る: figures that combine the registry and the membership, and their charts."""

    name = "renkei.statistics"
    verbose_name = "数字で見る"
