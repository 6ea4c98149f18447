from django.contrib import admin

from renkei.core.admin import AuditedModelAdmin
from renkei.sources.models import Erratum, Publication


@admin.register(Publication)
class PublicationAdmin(AuditedModelAdmin):
    list_display = ["title", "publisher", "published_on"]


@admin.register(Erratum)
class ErratumAdmin(AuditedModelAdmin):
    list_display = ["publication", "location", "field", "printed", "corrected"]
    list_filter = ["publication"]
