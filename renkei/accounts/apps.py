from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renkei.accounts"
    verbose_name = "アカウント"

    def ready(self):
        from renkei.accounts import signals  # noqa: F401  (audit of sign-ins)
