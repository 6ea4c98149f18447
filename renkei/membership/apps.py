from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "renkei.membership"
    verbose_name = "会員"

    def ready(self):
        from renkei.core import caching

        caching.register(content=self.label)  # who is a member shows on public pages
