from django.contrib import admin

from renkei.core.admin import ReadOnlyModelAdmin
from renkei.inquiries.models import Inquiry


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyModelAdmin):
    list_display = ["subject", "desk", "status", "email", "created_at"]
    list_filter = ["desk", "status"]
    search_fields = ["subject", "email", "name"]
