"""The statistics table (数字で見る交流自治体数の推移) as the publications printed it."""

from dataclasses import dataclass

from renkei.registry.models import Metric, PublishedFigure


@dataclass
class Row:
    metric: Metric
    values: list[int | None]

    @property
    def increase(self) -> int | None:
        """The change from the first year to the last; 「-」 counts as none (0)."""
        if not self.values:
            return None
        return (self.values[-1] or 0) - (self.values[0] or 0)


@dataclass
class StatisticsTable:
    fiscal_years: list[int]
    rows: list[Row]
    source: object | None

    def latest(self) -> dict[str, int | None]:
        if not self.fiscal_years:
            return {}
        return {row.metric.value: row.values[-1] for row in self.rows} | {
            "fiscal_year": self.fiscal_years[-1]
        }


def published_statistics() -> StatisticsTable:
    figures = list(PublishedFigure.objects.select_related("source").order_by("fiscal_year"))
    fiscal_years = sorted({f.fiscal_year for f in figures})
    by_key = {(f.fiscal_year, f.metric): f.value for f in figures}
    rows = [Row(metric, [by_key.get((fy, metric.value)) for fy in fiscal_years]) for metric in Metric]
    return StatisticsTable(fiscal_years, rows, figures[0].source if figures else None)
