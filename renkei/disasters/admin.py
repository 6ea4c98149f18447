"""The admin keeps the disasters' lists (職種, 派遣ルート, populations) and the printed records;
the coordination itself is done on the back office's screens (/secretariat/disasters/)."""

from django.contrib import admin

from renkei.core.admin import AuditedModelAdmin
from renkei.disasters.models import Channel, Disaster, DispatchFigure, FundContribution, Population, Role, SupplyProvision


class FundContributionInline(admin.TabularInline):
    model = FundContribution
    extra = 0
    fields = ["kind", "amount_yen", "decided_on", "share_rule", "equal_percent"]


class DispatchFigureInline(admin.TabularInline):
    model = DispatchFigure
    extra = 0
    autocomplete_fields = ["destinations"]


class SupplyProvisionInline(admin.TabularInline):
    model = SupplyProvision
    extra = 0


@admin.register(Disaster)
class DisasterAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "started_on", "state", "is_drill"]
    list_filter = ["kind", "state", "is_drill"]
    search_fields = ["name"]
    autocomplete_fields = ["affected"]
    inlines = [FundContributionInline, DispatchFigureInline, SupplyProvisionInline]


@admin.register(Role, Channel)
class ListAdmin(AuditedModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(Population)
class PopulationAdmin(AuditedModelAdmin):
    list_display = ["local_government", "population", "census"]
