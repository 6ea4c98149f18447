from django.contrib import admin

from renkei.core.admin import AuditedModelAdmin
from renkei.registry.models import (
    Association,
    AssociationMember,
    CooperationField,
    CorporatePartnership,
    PartnershipField,
    Relation,
    RelationKind,
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


@admin.register(RelationKind)
class RelationKindAdmin(AuditedModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(CooperationField)
class CooperationFieldAdmin(AuditedModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(AssociationMember)
class AssociationMemberAdmin(AuditedModelAdmin):
    list_display = ["association", "local_government", "joined_on", "left_on"]
    list_filter = ["association"]
    list_select_related = ["association", "local_government"]
    autocomplete_fields = ["local_government"]


@admin.register(Relation)
class RelationAdmin(AuditedModelAdmin):
    list_display = ["ward", "municipality", "kind", "started_on", "ended_on"]
    list_filter = ["kind", "ward"]
    list_select_related = ["ward", "municipality", "kind"]
    autocomplete_fields = ["municipality"]
    date_hierarchy = "started_on"
