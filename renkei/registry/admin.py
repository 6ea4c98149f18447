from django.contrib import admin

from renkei.core.admin import AuditedModelAdmin
from renkei.registry.models import (
    Association,
    CorporatePartnership,
    PartnershipField,
    PublishedFigure,
    WideAreaAgreement,
)


@admin.register(Association)
class AssociationAdmin(AuditedModelAdmin):
    list_display = ["name", "prefecture", "membership_rule"]
    list_select_related = ["prefecture"]
    autocomplete_fields = ["prefecture"]


@admin.register(WideAreaAgreement)
class WideAreaAgreementAdmin(AuditedModelAdmin):
    list_display = ["association", "signed_on", "ended_on", "printed_member_count"]
    list_select_related = ["association"]


class PartnershipFieldInline(admin.TabularInline):
    model = PartnershipField
    extra = 0


@admin.register(CorporatePartnership)
class CorporatePartnershipAdmin(AuditedModelAdmin):
    list_display = ["company", "signed_on", "ended_on"]
    inlines = [PartnershipFieldInline]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(AuditedModelAdmin):
    list_display = ["fiscal_year", "metric", "value", "source"]
    list_filter = ["fiscal_year", "metric"]
