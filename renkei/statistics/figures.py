"""数字で見る: the four figures as of a date, from the records, and the table by fiscal year.

Each figure counts municipalities, each once: with a relation in force with any ward
(交流自治体), members (会員登録自治体), covered by an agreement in force (協定締結自治体), and the
union of the three (合計). Before the registry holds every record of a figure (RecordCoverage),
the published figure stands, marked with its source.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from renkei.core.dates import fiscal_year_label
from renkei.membership.models import Member
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import (
    AssociationMember,
    Metric,
    PublishedFigure,
    RecordCoverage,
    Relation,
    StatisticsYear,
    WideAreaAgreement,
)
from renkei.registry.selectors import covered_condition

COMPUTED = "computed"
PUBLISHED = "published"
PARTS = (Metric.EXCHANGE, Metric.MEMBER, Metric.AGREEMENT)


def _conditions(day: dt.date, agreements=None) -> dict[str, Q]:
    """For each figure, a condition on LocalGovernment selecting the municipalities it counts.

    `agreements`: all wide-area agreements, fetched once by the caller; None fetches them.
    """
    if agreements is None:
        agreements = list(WideAreaAgreement.objects.select_related("association__prefecture"))
    in_force = [a for a in agreements if a.in_force_on(day)]
    exchange = Relation.objects.in_force_on(day).values("municipality_id")
    members = Member.objects.active_on(day).values("local_government_id")
    listed = AssociationMember.objects.filter(
        association__in=[a.association_id for a in in_force], joined_on__lte=day
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=day)).values("local_government_id")
    return {
        Metric.EXCHANGE: Q(pk__in=exchange),
        Metric.MEMBER: Q(pk__in=members),
        Metric.AGREEMENT: covered_condition(in_force) | Q(pk__in=listed),
    }


def _union(conditions: dict[str, Q]) -> Q:
    return conditions[Metric.EXCHANGE] | conditions[Metric.MEMBER] | conditions[Metric.AGREEMENT]


def municipalities(day: dt.date, metric: str) -> QuerySet[LocalGovernment]:
    """The municipalities a figure counts as of a day."""
    conditions = _conditions(day)
    condition = _union(conditions) if metric == Metric.TOTAL else conditions[metric]
    return LocalGovernment.objects.municipalities().filter(condition)


def figures_as_of(day: dt.date, agreements=None) -> dict[str, int]:
    """The four figures computed from the records as of a day, in one counting query."""
    conditions = _conditions(day, agreements)
    counts = {metric: Count("pk", filter=condition) for metric, condition in conditions.items()}
    counts[Metric.TOTAL] = Count("pk", filter=_union(conditions))
    result = LocalGovernment.objects.municipalities().aggregate(**{m.value: c for m, c in counts.items()})
    return {metric.value: result[metric.value] for metric in Metric}


@dataclass
class Figure:
    value: int | None
    basis: str
    source: object | None = None
    fiscal_year: int | None = None


@dataclass
class YearFigures:
    fiscal_year: int
    reference_date: dt.date
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


def table(latest: int | None = None) -> list[YearFigures]:
    """Every fiscal year the secretariat has set a reference date for, oldest first; with
    `latest`, only that many of the most recent years (the home page shows one)."""
    coverage = dict(RecordCoverage.objects.values_list("metric", "complete_from"))
    published = {}
    for figure in PublishedFigure.objects.select_related("source").order_by("source__published_on"):
        published[(figure.fiscal_year, figure.metric)] = figure  # the latest source wins
    agreements = list(WideAreaAgreement.objects.select_related("association__prefecture"))
    years = []
    chosen = StatisticsYear.objects.order_by("-fiscal_year")
    for year in sorted(chosen[:latest] if latest else chosen, key=lambda y: y.fiscal_year):
        day = year.reference_date
        row = YearFigures(year.fiscal_year, day)
        computed = None
        for metric in Metric:
            parts_complete = all(_complete(coverage, m, day) for m in PARTS)
            can_compute = parts_complete if metric == Metric.TOTAL else _complete(coverage, metric, day)
            printed = published.get((year.fiscal_year, metric.value))
            if can_compute or printed is None:
                if computed is None:
                    computed = figures_as_of(day, agreements)
                row.figures[metric.value] = Figure(computed[metric.value], COMPUTED, fiscal_year=year.fiscal_year)
            else:
                row.figures[metric.value] = Figure(printed.value, PUBLISHED, printed.source, fiscal_year=year.fiscal_year)
        years.append(row)
    return years


def _complete(coverage: dict, metric: str, day: dt.date) -> bool:
    complete_from = coverage.get(metric)
    return complete_from is not None and complete_from <= day


def rows(years: list[YearFigures]) -> list[dict]:
    """The table turned round: one row per figure across the years, with the increase from the
    first year to the last (the newsletter's 「27→30年度増加数」)."""
    result = []
    for metric in Metric:
        cells = [year.figures[metric.value] for year in years]
        first, last = (cells[0].value or 0, cells[-1].value or 0) if cells else (0, 0)
        result.append({"metric": metric, "cells": cells, "increase": last - first})
    return result


def by_prefecture(day: dt.date, metric: str = Metric.TOTAL) -> dict[str, int]:
    """How many municipalities a figure counts in each prefecture, by 2-digit prefecture code."""
    counts = (municipalities(day, metric).values_list("prefecture_id").annotate(n=Count("pk"))
              .values_list("prefecture_id", "n"))
    return {code[:2]: n for code, n in counts}
