from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "renkei.registry"
    verbose_name = "連携台帳"

    def ready(self):
        from renkei.core import caching, imports, reference_data
        from renkei.core import search as index
        from renkei.registry import search, services, signals  # noqa: F401  (signals keep the index true)
        from renkei.registry.imports import AssociationMembersImport, RelationsImport

        caching.register(content=self.label, pages="registry")
        reference_data.register(services.load_reference_data)
        reference_data.register(search.index_missing_places)
        index.register(search.AGREEMENT)
        index.register(search.PLACE)
        imports.register(RelationsImport())
        imports.register(AssociationMembersImport())
