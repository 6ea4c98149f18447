from django.contrib import admin

from renkei.municipalities.models import LocalGovernment


@admin.register(LocalGovernment)
class LocalGovernmentAdmin(admin.ModelAdmin):
    """Reference data: shipped with the product and read-only here."""

    list_display = ["code", "name", "kana", "kind", "prefecture"]
    list_filter = ["kind"]
    list_select_related = ["prefecture"]
    search_fields = ["code", "name", "kana"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
