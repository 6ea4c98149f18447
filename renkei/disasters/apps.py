from django.apps import AppConfig


class DisastersConfig(AppConfig):
    name = "renkei.disasters"
    verbose_name = "災害支援"

    def ready(self):
        from renkei.core import caching, imports, reference_data
        from renkei.core import search as index
        from renkei.disasters import reference, search, signals  # noqa: F401  (signals keep the index true)
        from renkei.disasters.imports import DispatchesImport, FundsImport

        caching.register(content=self.label, pages="disasters")
        reference_data.register(reference.load_reference_data)
        imports.register(DispatchesImport())
        imports.register(FundsImport())
        index.register(search.DISASTER)
