"""Server-side SVG: the figures by fiscal year as a bar chart, and partners by prefecture as a map.

Both are drawn as data for a template (no JavaScript) and always sit beside the table they
show, which is the accessible form of the same numbers.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.safestring import mark_safe

from renkei.core.dates import fiscal_year_short_label
from renkei.core.templatetags.renkei import fiscal_year
from renkei.statistics.models import Metric

PATHS_FILE = Path(__file__).resolve().parent / "data" / "prefecture_paths.json"

# Design-token colours with at least 3:1 contrast against white (WCAG 1.4.11).
SERIES_COLOURS = {
    Metric.EXCHANGE: "#0017c1",  # blue-900
    Metric.MEMBER: "#197a4b",  # green-800
    Metric.AGREEMENT: "#c74700",  # orange-800
    Metric.TOTAL: "#4d4d4d",  # solid-gray-700
}
MAP_CLASSES = ("#e8f1fe", "#9db7f9", "#4979f5", "#0031d8", "#000060")  # blue 50 → 1200


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


def bar_chart(years, width: int = 640, height: int = 300) -> dict:
    """Grouped bars, one group per fiscal year, one bar per figure; None values are left out."""
    left, bottom, top = 56, 40, 16
    plot_height = height - bottom - top
    values = [f.value for year in years for f in year.figures.values() if f.value is not None]
    ceiling = _nice_ceiling(max(values, default=1))
    group_width = (width - left - 8) / max(len(years), 1)
    bar_width = group_width / (len(Metric) + 1)
    bars, groups = [], []
    for i, year in enumerate(years):
        x0 = left + i * group_width + bar_width / 2
        named = fiscal_year(year.fiscal_year)  # 平成27年度, or FY2015 on the English pages
        label = (fiscal_year_short_label(year.fiscal_year) if named != f"FY{year.fiscal_year}" else named) \
            if width < 480 else named
        groups.append({"x": x0 + bar_width * len(Metric) / 2, "label": label})
        for j, metric in enumerate(Metric):
            figure = year.figures[metric.value]
            if figure.value is None:
                continue
            h = plot_height * figure.value / ceiling
            bars.append(Bar(x=round(x0 + j * bar_width, 1), y=round(top + plot_height - h, 1),
                            width=round(bar_width * 0.9, 1), height=round(h, 1),
                            colour=SERIES_COLOURS[metric], label=f"{named} {metric.label}: {figure.value}"))
    ticks = [{"y": round(top + plot_height - plot_height * t / 4, 1), "value": ceiling * t // 4} for t in range(5)]
    legend = [{"colour": SERIES_COLOURS[m], "label": m.label} for m in Metric]
    return {"width": width, "height": height, "bars": bars, "groups": groups, "ticks": ticks,
            "legend": legend, "left": left, "baseline": top + plot_height}


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 2.5, 5 × 10^n that is at least the value."""
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return value


PATH_DATA = re.compile(r"[MLHVZCQSTAmlhvzcqsta0-9 .,-]+")


@cache
def _prefecture_paths() -> dict:
    """The map's geometry, read once; each path is only commands and numbers, so it goes into
    the page as it is (escaping 47 long strings was a third of the page's drawing)."""
    data = json.loads(PATHS_FILE.read_text(encoding="utf-8"))
    for code, path in data["paths"].items():
        if not PATH_DATA.fullmatch(path):
            raise ValueError(f"prefecture {code}: not SVG path data")
        data["paths"][code] = mark_safe(path)  # noqa: S308 (checked just above)  # nosec B308 B703
    return data


def prefecture_map(counts: dict[str, int], names: dict[str, str]) -> dict:
    """A choropleth: each prefecture (2-digit code) filled by its count, in five classes."""
    data = _prefecture_paths()
    top = max(counts.values(), default=0)
    bounds = [0] + [round(top * k / 4) for k in (1, 2, 3)] if top else [0, 0, 0, 0]
    prefectures = []
    for code, path in data["paths"].items():
        count = counts.get(code, 0)
        level = 0 if count == 0 else 1 + sum(count > b for b in bounds[1:])
        prefectures.append({"code": code, "name": names.get(code, code), "count": count, "path": path,
                            "colour": MAP_CLASSES[min(level, 4)]})
    legend = [{"colour": MAP_CLASSES[0], "label": "0"}]
    edges = [0, *bounds[1:], top]
    for level in range(1, 5):
        low, high = edges[level - 1] + 1, edges[level]
        if high >= low:
            legend.append({"colour": MAP_CLASSES[level], "label": f"{low}〜{high}" if high > low else f"{high}"})
    return {"width": data["width"], "height": data["height"], "prefectures": prefectures, "legend": legend}
