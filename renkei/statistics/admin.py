from django.contrib import admin

from renkei.core.admin import AuditedModelAdmin
from renkei.statistics.models import PublishedFigure, RecordCoverage, StatisticsYear


@admin.register(PublishedFigure)
class PublishedFigureAdmin(AuditedModelAdmin):
    list_display = ["fiscal_year", "metric", "value", "source"]
    list_filter = ["fiscal_year", "metric"]


@admin.register(StatisticsYear)
class StatisticsYearAdmin(AuditedModelAdmin):
    """The secretariat sets each fiscal year's reference date (基準日) here."""

    list_display = ["fiscal_year", "reference_date"]


@admin.register(RecordCoverage)
class RecordCoverageAdmin(AuditedModelAdmin):
    """From which date the registry holds every record of a figure; before it, published figures stand."""

    list_display = ["metric", "complete_from"]
