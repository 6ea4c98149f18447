from django.contrib import admin

from renkei.core.admin import AuditedModelAdmin
from renkei.portal.models import Event, NewsItem


@admin.register(Event)
class EventAdmin(AuditedModelAdmin):
    list_display = ["title", "series", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["title", "series"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["associations"]


@admin.register(NewsItem)
class NewsItemAdmin(AuditedModelAdmin):
    list_display = ["title", "published_on"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_on"
