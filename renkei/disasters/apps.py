from django.apps import AppConfig


class DisastersConfig(AppConfig):
    name = "renkei.disasters"
    verbose_name = "災害支援"

    def ready(self):
        from renkei.core import caching, reference_data
        from renkei.disasters import imports, reference
        from renkei.registry import imports as registry_imports

        caching.register(content=self.label, pages="disasters")
        reference_data.register(reference.load_reference_data)
        for kind in imports.KINDS:
            registry_imports.register(kind)
