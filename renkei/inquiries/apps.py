from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "renkei.inquiries"
    verbose_name = "お問い合わせ"
