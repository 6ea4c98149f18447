from django.contrib import admin

from renkei.core.admin import AuditedModelAdmin
from renkei.disasters.models import Disaster, FundContribution, StaffDispatch, SupplyProvision


class FundContributionInline(admin.TabularInline):
    model = FundContribution
    extra = 0


class StaffDispatchInline(admin.TabularInline):
    model = StaffDispatch
    extra = 0
    autocomplete_fields = ["destinations"]


class SupplyProvisionInline(admin.TabularInline):
    model = SupplyProvision
    extra = 0


@admin.register(Disaster)
class DisasterAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "started_on"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [FundContributionInline, StaffDispatchInline, SupplyProvisionInline]
