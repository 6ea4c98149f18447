from django.contrib import admin

from renkei.core import audit, trash
from renkei.core.models import AuditEntry


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin whose every save and delete lands in the audit log with the changed fields; deletions
    can be put back for TRASH_DAYS (core.trash)."""

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk is not None:
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = audit.snapshot(previous) if previous else {}
        super().save_model(request, obj, form, change)
        audit.log_action(
            actor=request.user,
            action=f"{obj._meta.label_lower}.{'changed' if change else 'created'}",
            obj=obj,
            changes=audit.diff(before, audit.snapshot(obj)),
        )

    def delete_model(self, request, obj):
        trash.delete(obj, actor=request.user, action=f"{obj._meta.label_lower}.deleted")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """For records nobody edits by hand: shown, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "actor_repr", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_repr", "object_repr", "action"]
