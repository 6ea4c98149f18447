from django.contrib import admin

from renkei.core.admin import ReadOnlyModelAdmin
from renkei.municipalities.models import LocalGovernment


@admin.register(LocalGovernment)
class LocalGovernmentAdmin(ReadOnlyModelAdmin):
    """Reference data: shipped with the product and read-only here."""

    list_display = ["code", "name", "kana", "kind", "prefecture"]
    list_filter = ["kind"]
    list_select_related = ["prefecture"]
    search_fields = ["code", "name", "kana"]

