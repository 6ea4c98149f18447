"""数字で見る: the four figures as of a date, from the records, and the table by fiscal year.

Each figure counts municipalities, each once: with a relation in force with any ward
(交流自治体), members (会員登録自治体), covered by an agreement in force (協定締結自治体), and the
union of the three (合計). Before the registry holds every record of a figure (RecordCoverage),
the published figure stands, marked with its source and its fiscal year: the publication does
not say on which day it was counted, and no day is invented for it. A 合計 is given only where its
three parts are of one day (or printed together for one fiscal year).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet

from renkei.core.dates import fiscal_year_label
from renkei.membership.models import Member
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import AssociationMember, Relation, WideAreaAgreement
from renkei.registry.selectors import covered_condition
from renkei.statistics.models import Metric, PublishedFigure, RecordCoverage, StatisticsYear

COMPUTED = "computed"
PUBLISHED = "published"
NOT_RECORDED = "not_recorded"  # neither complete records nor a published figure for that year
NOT_COMBINED = "not_combined"  # 合計 of parts of different days (a count and a printed figure): not given
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


# The counting queries, compiled once for each day and set of agreements in force: building one
# through the ORM (six subqueries, two dozen conditions) costs three times what the database takes
# to run it. The records themselves are read by every run; only the SQL text is kept.
_COMPILED: dict[tuple, tuple[str, tuple]] = {}
_COMPILED_KEPT = 256


def _agreements(agreements):
    if agreements is None:
        agreements = list(WideAreaAgreement.objects.select_related("association__prefecture"))
    return agreements


def _in_force(agreements, day: dt.date) -> tuple:
    """What shapes the SQL of a day's count: the associations in force and how each counts."""
    return tuple(sorted((a.association_id, a.association.membership_rule, a.association.prefecture_id)
                        for a in agreements if a.in_force_on(day)))


def _run(key: tuple, compile_sql):
    """Run the query `compile_sql()` builds (as SQL and parameters), built once per key."""
    key = (connection.alias, connection.vendor, *key)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = compile_sql()
        if len(_COMPILED) >= _COMPILED_KEPT:
            _COMPILED.clear()
        _COMPILED[key] = compiled
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def figures_as_of(day: dt.date, agreements=None) -> dict[str, int]:
    """The four figures computed from the records as of a day, in one counting query."""
    agreements = _agreements(agreements)
    [result] = _run(("figures", day, _in_force(agreements, day)), lambda: _counting_query(day, agreements))
    return {metric.value: result[metric.value] for metric in Metric}


def _counting_query(day: dt.date, agreements) -> tuple[str, tuple]:
    """SELECT COUNT(…) FILTER (…) AS <metric>, … over the municipalities: the SQL and its parameters."""
    conditions = _conditions(day, agreements)
    counts = {metric.value: Count("pk", filter=condition) for metric, condition in conditions.items()}
    counts[Metric.TOTAL.value] = Count("pk", filter=_union(conditions))
    query = LocalGovernment.objects.municipalities().query.chain()
    for name, count in counts.items():
        query.add_annotation(count, name, select=True)
    query.clear_ordering(force=True)
    query.select, query.default_cols = (), False
    query.set_annotation_mask(counts)
    return query.get_compiler(connection.alias).as_sql()


@dataclass
class Figure:
    value: int | None
    basis: str
    source: object | None = None
    fiscal_year: int | None = None  # PUBLISHED: the fiscal year it was published for; in the table, the column
    records_from: dt.date | None = None  # for NOT_RECORDED: from when the records are complete

    @property
    def known(self) -> bool:
        return self.basis in (COMPUTED, PUBLISHED)


@dataclass
class YearFigures:
    fiscal_year: int
    reference_date: dt.date | None  # None: no source states the day the year's figures are of
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


def _fiscal_year_end(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year + 1, 3, 31)


class _Sources:
    """What decides where each figure comes from, fetched once for many dates."""

    def __init__(self):
        self.coverage = dict(RecordCoverage.objects.values_list("metric", "complete_from"))
        self.published = {}
        for figure in PublishedFigure.objects.select_related("source").order_by("source__published_on"):
            self.published[(figure.fiscal_year, figure.metric)] = figure  # the latest source wins
        self.agreements = list(WideAreaAgreement.objects.select_related("association__prefecture"))

    def complete(self, metric: str, day: dt.date) -> bool:
        if metric == Metric.TOTAL:
            return all(self.complete(m, day) for m in PARTS)
        complete_from = self.coverage.get(metric)
        return complete_from is not None and complete_from <= day

    def _published(self, fiscal_year: int, metric: str) -> Figure | None:
        """A printed figure: the day it is of is not printed, only its fiscal year. 「-」 in a
        printed table is none (the print's 増加数 counts it as 0)."""
        printed = self.published.get((fiscal_year, metric))
        if printed is None:
            return None
        return Figure(printed.value or 0, PUBLISHED, printed.source, fiscal_year=fiscal_year)

    def _known_by(self, fiscal_year: int, metric: str) -> dt.date | None:
        """The last day a printed figure can be of: its fiscal year's end, or the day it was
        published if that came first."""
        printed = self.published.get((fiscal_year, metric))
        if printed is None:
            return None
        return min(_fiscal_year_end(fiscal_year), printed.source.published_on or _fiscal_year_end(fiscal_year))

    def _not_recorded(self, metric: str) -> Figure:
        return Figure(None, NOT_RECORDED, records_from=self._records_from(metric))

    def _total(self, computed: dict | None, parts: dict[str, Figure]) -> Figure:
        """合計 counts the union of the three, so it is known only where all three are of the
        same day: counted from complete records, or printed together for one fiscal year."""
        if all(figure.basis == COMPUTED for figure in parts.values()):
            return Figure(computed[Metric.TOTAL.value], COMPUTED)
        years = {figure.fiscal_year if figure.basis == PUBLISHED else None for figure in parts.values()}
        if len(years) == 1 and None not in years:
            [year] = years
            printed = self._published(year, Metric.TOTAL.value)
            if printed is not None:
                return printed
        if all(figure.known for figure in parts.values()):
            return Figure(None, NOT_COMBINED)
        return self._not_recorded(Metric.TOTAL.value)

    def figures(self, day: dt.date) -> dict[str, Figure]:
        """The four figures of a day: each from the records where they are complete on that day,
        else the latest printed figure whose fiscal year had ended (or that was published) by that
        day, labelled with its fiscal year; else unknown, saying from when the records start.
        Never a count of records that are not all there, never a figure of a later day."""
        computed, result = None, {}
        for metric in PARTS:
            if self.complete(metric, day):
                if computed is None:
                    computed = figures_as_of(day, self.agreements)
                result[metric.value] = Figure(computed[metric.value], COMPUTED)
                continue
            years = [year for (year, printed_metric) in self.published if printed_metric == metric.value
                     and self._known_by(year, metric.value) <= day]
            result[metric.value] = self._published(max(years), metric.value) if years else self._not_recorded(metric)
        result[Metric.TOTAL.value] = self._total(computed, result)
        return result

    def year(self, fiscal_year: int, reference_date: dt.date | None) -> dict[str, Figure]:
        """A fiscal year's column: counted on its 基準日 where the records are complete then, else
        the figure printed for that fiscal year (its day unknown), else unknown."""
        computed, result = None, {}
        for metric in PARTS:
            if reference_date is not None and self.complete(metric, reference_date):
                if computed is None:
                    computed = figures_as_of(reference_date, self.agreements)
                result[metric.value] = Figure(computed[metric.value], COMPUTED)
            else:
                result[metric.value] = self._published(fiscal_year, metric.value) or self._not_recorded(metric)
        result[Metric.TOTAL.value] = self._total(computed, result)
        for figure in result.values():
            figure.fiscal_year = fiscal_year  # the column it stands in
        return result

    def _records_from(self, metric: str) -> dt.date | None:
        if metric == Metric.TOTAL:
            starts = [self.coverage.get(m) for m in PARTS]
            return None if None in starts else max(starts)
        return self.coverage.get(metric)


def figures_on(day: dt.date) -> dict[str, Figure]:
    """The four figures for any date (see _Sources.figures)."""
    return _Sources().figures(day)


def sources() -> "_Sources":
    """What decides where each figure comes from, read once for a page that asks several times."""
    return _Sources()


def complete_parts(day: dt.date, sources: "_Sources | None" = None) -> list[str]:
    """The figures whose records are complete on a day (what a map of that day can count)."""
    sources = sources or _Sources()
    return [metric for metric in PARTS if sources.complete(metric, day)]


def table(latest: int | None = None, sources: "_Sources | None" = None) -> list[YearFigures]:
    """Every fiscal year the secretariat has listed, oldest first, each counted on its 基準日
    where one is set; with `latest`, only that many of the most recent years (the home page
    shows one)."""
    sources = sources or _Sources()
    chosen = StatisticsYear.objects.order_by("-fiscal_year")
    years = []
    for year in sorted(chosen[:latest] if latest else chosen, key=lambda y: y.fiscal_year):
        row = YearFigures(year.fiscal_year, year.reference_date)
        row.figures = sources.year(year.fiscal_year, year.reference_date)
        years.append(row)
    return years


def rows(years: list[YearFigures]) -> list[dict]:
    """The table turned round: one row per figure across the years, with the increase from the
    first year to the last (the newsletter's 「27→30年度増加数」), None where either is unknown."""
    result = []
    for metric in Metric:
        cells = [year.figures[metric.value] for year in years]
        known = bool(cells) and cells[0].value is not None and cells[-1].value is not None
        result.append({"metric": metric, "cells": cells,
                       "increase": cells[-1].value - cells[0].value if known else None})
    return result


def by_prefecture(day: dt.date, metrics=(Metric.TOTAL,), agreements=None) -> dict[str, int]:
    """How many municipalities the union of some figures counts in each prefecture, by 2-digit
    prefecture code."""
    agreements = _agreements(agreements)

    def compile_sql():
        conditions = _conditions(day, agreements)
        conditions[Metric.TOTAL] = _union(conditions)
        condition = Q(pk__in=[])
        for metric in metrics:
            condition |= conditions[metric]
        counts = (LocalGovernment.objects.municipalities().filter(condition).values("prefecture_id")
                  .annotate(n=Count("pk")).values("prefecture_id", "n").order_by())
        return counts.query.get_compiler(connection.alias).as_sql()

    rows = _run(("by_prefecture", day, _in_force(agreements, day), tuple(metrics)), compile_sql)
    return {row["prefecture_id"][:2]: row["n"] for row in rows}


def exchange_records_note(day) -> dict | None:
    """While the relations are not all recorded, what 数字で見る prints instead: the latest
    published 各区の交流自治体, so the list's count is not read as the figure. None once the
    records are complete on `day`."""
    complete_from = (RecordCoverage.objects.filter(metric=Metric.EXCHANGE)
                     .values_list("complete_from", flat=True).first())
    if complete_from is not None and complete_from <= day:
        return None
    printed = (PublishedFigure.objects.filter(metric=Metric.EXCHANGE, value__isnull=False)
               .select_related("source").order_by("-fiscal_year", "-source__published_on").first())
    return {"complete_from": complete_from, "published": printed}
