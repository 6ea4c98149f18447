from django.contrib import admin

from renkei.core.admin import AuditedModelAdmin
from renkei.portal.models import Event, NewsItem, Profile


@admin.register(Event)
class EventAdmin(AuditedModelAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "status", "publish_at", "organization"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "series"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["associations"]
    raw_id_fields = ["participants", "organization", "submitted_by"]


@admin.register(NewsItem)
class NewsItemAdmin(AuditedModelAdmin):
    list_display = ["title", "status", "publish_at"]
    list_filter = ["status"]
    search_fields = ["title", "body"]
    date_hierarchy = "publish_at"


@admin.register(Profile)
class ProfileAdmin(AuditedModelAdmin):
    list_display = ["local_government", "catchphrase", "updated_at"]
    raw_id_fields = ["local_government", "updated_by"]
