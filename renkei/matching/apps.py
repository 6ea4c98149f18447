from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "renkei.matching"
    verbose_name = "連携マッチング"

    def ready(self):
        from renkei.core import caching, reference_data
        from renkei.matching import services

        caching.register(content=self.label)  # a wish marked public shows on its body's PR page
        reference_data.register(services.load_reference_data)
