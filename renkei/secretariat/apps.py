from django.apps import AppConfig


class SecretariatConfig(AppConfig):
    """The secretariat's back office (事務局): its screens for every daily task, one namespace.

    Views, URLs and templates only; what they do is the domain apps' services.
    """

    name = "renkei.secretariat"
    verbose_name = "事務局"
