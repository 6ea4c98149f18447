from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "renkei.registry"
    verbose_name = "連携台帳"

    def ready(self):
        from renkei.core import caching, imports, reference_data
        from renkei.registry import services
        from renkei.registry.imports import AssociationMembersImport, RelationsImport

        caching.register(content=self.label, pages="registry")
        reference_data.register(services.load_reference_data)
        imports.register(RelationsImport())
        imports.register(AssociationMembersImport())
